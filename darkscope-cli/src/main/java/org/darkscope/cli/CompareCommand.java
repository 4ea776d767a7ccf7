package org.darkscope.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.darkscope.Comparison;
import org.darkscope.bundle.EventFingerprints;
import org.darkscope.detect.Detectors;
import org.darkscope.detect.TrainingListener;
import org.darkscope.event.Event;
import org.darkscope.io.EventFiles;
import org.darkscope.report.ComparisonReport;
import org.darkscope.report.ReportProvenance;
import org.darkscope.select.Channel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code darkscope compare}: who wins when the signal is unknown? Supervised, hyperclass, weakly
 * supervised and unsupervised detectors, one signal left out at a time ({@link Comparison}),
 * written as {@code results.json}, {@code results.md} and {@code report.html}.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare supervised (classifier, hyperclass), weakly supervised (data-vs-reference) and unsupervised "
                + "detectors on signals left out one at a time.",
                "Example: darkscope compare --train-background train.csv.gz --background test.csv.gz "
                        + "--signal A.csv.gz B.csv.gz --out compare-out"})
final class CompareCommand implements Callable<Integer> {
    /** The methods unless --detectors says otherwise: the recommended detector, a distance, the autoencoder, the MET cut, and the three that learn from other samples. */
    static final String DEFAULT_DETECTORS = Detectors.RECOMMENDED + ",knn,ae,met,classifier,hyperclass,data-vs-reference";

    @Spec
    CommandSpec spec;

    @Option(names = "--train-background", required = true, arity = "1..*", paramLabel = "FILE",
            description = "Background to learn from (and the reference of data-vs-reference).")
    List<Path> trainBackground;

    @Option(names = "--background", required = true, paramLabel = "FILE",
            description = "Held-out background: every method is judged on it; the pseudo-data's background.")
    Path background;

    @Option(names = "--signal", required = true, arity = "2..*", paramLabel = "FILE", description = "At least two signal files.")
    List<Path> signals;

    @Option(names = "--detectors", defaultValue = DEFAULT_DETECTORS, split = ",", paramLabel = "LIST",
            description = "Methods to compare, as in benchmark (NAME or NAME:KEY=VALUE:...; default: ${DEFAULT-VALUE}).")
    List<String> detectors;

    @Option(names = "--injected-fraction", defaultValue = "0.01", paramLabel = "F",
            description = "Signal events injected into the pseudo-data of data-vs-reference, as a fraction of its background (default: ${DEFAULT-VALUE}).")
    double injectedFraction;

    @Option(names = "--signal-training-fraction", defaultValue = "0.5", paramLabel = "F",
            description = "Fraction of each signal to train on and inject; the rest is judged (default: ${DEFAULT-VALUE}).")
    double signalTrainingFraction;

    @Option(names = "--validation-fraction", defaultValue = "0.2", paramLabel = "F",
            description = "Fraction of every training sample held out for validation (default: ${DEFAULT-VALUE}); none by a detector that validates nothing (kde, knn, iforest).")
    double validationFraction;

    @Option(names = "--channel", defaultValue = "chan1", description = "Selection every event must pass (default: ${DEFAULT-VALUE}).")
    String channel;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for results.json, results.md and report.html.")
    Path out;

    @Mixin
    TrainingOptions training;

    @Option(names = TrainingOverlap.OPTION, description = "Go on when the held-out background or a signal holds events of the"
            + " training background (refused by default: training events look less anomalous than unseen ones).")
    boolean allowTrainingOverlap;

    @Mixin
    InputOptions input;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        java.util.stream.Stream.of(trainBackground, List.of(background), signals).flatMap(List::stream)
                .filter(org.darkscope.io.ImageSample::isImageSample).findFirst().ifPresent(f -> {
                    throw new UsageException("compare trains classifiers on collision events; " + f
                            + " holds detector images: judge image detectors with darkscope benchmark");
                });
        List<DetectorSpec> specs = DetectorSpec.parseAll(detectors);
        requireFraction("--injected-fraction", injectedFraction);
        requireFraction("--signal-training-fraction", signalTrainingFraction);
        TrainingOptions.requireValidationFraction(validationFraction);
        List<DistinctSamples.Sample> samples = new ArrayList<>(List.of(new DistinctSamples.Sample("--train-background", trainBackground),
                new DistinctSamples.Sample("--background", List.of(background))));
        samples.add(new DistinctSamples.Sample("--signal", signals));
        DistinctSamples.require(samples);
        List<Path> inputs = new ArrayList<>(trainBackground);
        inputs.add(background);
        inputs.addAll(signals);
        OutputGuard.checkResult(out, OutputGuard.Kind.RESULT_DIRECTORY, inputs);
        Channel selection = Channel.byName(channel);

        List<Event> train = new ArrayList<>();
        trainBackground.forEach(f -> train.addAll(read(f, selection)));
        List<Event> heldOut = read(background, selection);
        List<Comparison.Sample> signalSamples = new ArrayList<>();
        for (Path s : signals) {
            signalSamples.add(new Comparison.Sample(EventFiles.sampleName(s), read(s, selection)));
        }
        if (signalSamples.stream().map(Comparison.Sample::name).distinct().count() < signalSamples.size()) {
            throw new UsageException("two --signal files have the same name; results name signals by file name: rename one");
        }
        EventFingerprints trained = EventFingerprints.empty();
        train.forEach(trained::add);
        TrainingOverlap overlap = TrainingOverlap.of(trained, allowTrainingOverlap, err);
        overlap.check(background, overlap.count(heldOut));
        for (int i = 0; i < signals.size(); i++) {
            overlap.check(signals.get(i), overlap.count(signalSamples.get(i).events()));
        }
        List<Comparison.Method> methods = specs.stream()
                .map(s -> new Comparison.Method(s.text(), s.name(), s.settings(), s.encoding())).toList();
        Comparison.Request request = new Comparison.Request(train, heldOut, signalSamples, methods, signalTrainingFraction,
                injectedFraction, validationFraction, training.config(training.verbose ? new ProgressBar(err, "compare", true)
                        : TrainingListener.SILENT)); // many trainings: one line each, and with --verbose one per epoch
        long start = System.nanoTime();
        Comparison.Result result = Comparison.run(request, what -> {
            err.println("compare: " + what);
            err.flush();
        });
        write(result, request, train.size(), heldOut.size());
        err.print(EventFiles.describeSkipped(reports));
        PrintWriter o = spec.commandLine().getOut();
        o.print(ComparisonReport.markdown(result));
        o.printf(Locale.ROOT, "compared %d methods on %d signals in %.0f s; wrote %s%n", methods.size(), signalSamples.size(),
                (System.nanoTime() - start) / 1e9, out);
        return Main.EXIT_OK;
    }

    /** Events read per input file, for the report's provenance. */
    private final Map<Path, Long> eventsRead = new LinkedHashMap<>();

    /** What reading each input gave, its skipped lines said at the end. */
    private final List<EventFiles.FileReport> reports = new ArrayList<>();

    private List<Event> read(Path file, Channel selection) {
        EventFiles.Contents contents = EventFiles.readAll(file, input.mode());
        reports.add(contents.report());
        List<Event> all = contents.events();
        eventsRead.put(file, (long) all.size());
        List<Event> events = all.stream().filter(selection).toList();
        if (events.size() < 2) {
            throw new org.darkscope.InputException(file + ": only " + events.size() + " event(s) pass " + selection.cliName()
                    + ": too few to compare on");
        }
        return events;
    }

    private void write(Comparison.Result result, Comparison.Request request, int trainEvents, int heldOutEvents) {
        try {
            Files.createDirectories(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + out + ": " + e.getMessage(), e);
        }
        ObjectNode json = Json.object();
        ArrayNode signalNames = json.putArray("signals");
        result.signals().forEach(signalNames::add);
        ArrayNode methodNames = json.putArray("methods");
        result.methods().forEach(methodNames::add);
        json.put("background_efficiency", Comparison.BACKGROUND_EFFICIENCY);
        json.put("injected_fraction", request.injectedFraction());
        json.put("signal_training_fraction", request.signalTrainingFraction());
        json.put("training_background_events", trainEvents);
        json.put("background_events", heldOutEvents);
        ArrayNode cells = json.putArray("cells");
        for (Comparison.Cell c : result.cells()) {
            ObjectNode cell = cells.addObject().put("signal", c.signal()).put("method", c.method()).put("trained_on", c.trainedOn())
                    .put("auc", c.auc()).put("eps_s", c.epsS());
            if (!Double.isNaN(c.aucError())) {
                cell.put("auc_error", c.aucError());
            }
            if (!Double.isNaN(c.epsSError())) {
                cell.put("eps_s_error", c.epsSError());
            }
            if (!Double.isNaN(c.epsSLimit())) {
                cell.put(Evaluator.limitKey(c.epsS()), c.epsSLimit());
            }
            cell.put("eps_b_resolved", c.resolved()).put("eps_b_on_shared_score", c.onSharedScore());
        }
        Json.write(out.resolve("results.json"), json);
        List<String> notes = List.of(String.format(Locale.ROOT, "Trained on %d background events, judged on %d held-out background "
                        + "events and on the %.0f %% of each signal no model trained on. classifier: trained on each signal in turn; "
                        + "hyperclass: on every signal but the one judged (with the five generic distortions of the training background "
                        + "where fewer than two remain); data-vs-reference: on the held-out background with %.2g %% of the judged signal "
                        + "injected, against the training background; the others on background alone.",
                trainEvents, heldOutEvents, 100 * (1 - request.signalTrainingFraction()), 100 * request.injectedFraction()));
        ComparisonReport.write(out, result, notes, ReportProvenance.now(Arrays.asList(spec.commandLine().getParseResult()
                .originalArgs().toArray(String[]::new)), eventsRead, Map.of()));
    }

    /** A fraction in (0, 1); else refused, naming the option and its value. */
    private static void requireFraction(String option, double value) {
        if (!(value > 0 && value < 1)) {
            throw new UsageException(option + " must be in (0, 1), got " + value);
        }
    }
}
