package org.darkscope.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.darkscope.InputException;
import org.darkscope.Pipeline;
import org.darkscope.bundle.Manifest;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.event.Distortion;
import org.darkscope.io.AtomicFile;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;
import org.darkscope.metric.Evaluation;
import org.darkscope.metric.FigureDifference;
import org.darkscope.report.DifferencesTable;
import org.darkscope.report.HtmlReport;
import org.darkscope.report.LearningCurve;
import org.darkscope.report.PseudoData;
import org.darkscope.report.ReportProvenance;
import org.darkscope.select.Channel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code darkscope benchmark}: several detectors, same data, one table and one report. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = {"Train each detector on the same background, evaluate on the same held-out background and signals.",
                "Writes DIR/results.json, DIR/results.md, DIR/report.html and the bundles under DIR/models.",
                "--distortions adds the signal-agnostic protocol's pseudo-signals (distorted held-out background);",
                "--training-sizes adds learning curves (AUC and eps_S@1e-2 against the number of training events).",
                "Example: darkscope benchmark --train train.csv.gz --background test.csv.gz --signal sig.csv.gz --detectors ht,met,knn --out bench"})
final class BenchmarkCommand implements Callable<Integer> {
    /** The physics baselines every learning curve shows. */
    static final List<String> BASELINES = List.of("ht", "met");

    @Spec
    CommandSpec spec;

    @Option(names = "--train", required = true, arity = "1..*", paramLabel = "FILE", description = "Background to train on.")
    List<Path> train;

    @Option(names = "--background", required = true, paramLabel = "FILE", description = "Held-out background to evaluate on.")
    Path background;

    @Option(names = "--signal", arity = "1..*", paramLabel = "FILE", description = "Signal files.")
    List<Path> signals = new ArrayList<>();

    @Option(names = "--distortions",
            description = "Also evaluate on distorted held-out background (the signal-agnostic protocol): the even events "
                    + "of --background are the reference, the odd ones distorted.")
    boolean distortions;

    @Option(names = "--weighted", description = "Judge every held-out event by its weight column, as darkscope evaluate --weighted"
            + " (training counts each event once); not with --distortions, whose pseudo-signals are counted once.")
    boolean weighted;

    @Option(names = "--detectors", required = true, split = ",", paramLabel = "a,b,...",
            description = "Detectors to compare; a detector with settings is written NAME:KEY=VALUE:..., e.g. knn:k=30; "
                    + "a list value is written with +, e.g. ae:hidden=32+4; KEY encoding picks the encoding, e.g. ae:encoding=kinematic-sym.")
    List<String> detectors;

    @Option(names = "--training-sizes", split = ",", paramLabel = "N,N,...",
            description = "Train each detector on the first N selected training events for each N, and plot AUC and "
                    + "eps_S@1e-2 against N (with the ht and met baselines).")
    List<Long> trainingSizes = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--exposure", paramLabel = "TONNE_YEARS",
            description = "Add the pseudo-data figures: expected background and background plus each signal against the score, "
                    + "for this exposure (rates from --rate or the samples' data-card.json, as simulate-tpc writes it).")
    Double exposure;

    @Option(names = "--rate", paramLabel = "SAMPLE=RATE", description = "A sample's selected events per tonne-year, by its name "
            + "(the file name without .npy, .csv, .gz), for --exposure.")
    Map<String, Double> rates = new LinkedHashMap<>();

    @Option(names = "--channel", defaultValue = "chan1", description = "Selection for training events (default: ${DEFAULT-VALUE}).")
    String channel;

    @Mixin
    TrainingOptions training;

    @Option(names = TrainingOverlap.OPTION, description = "Go on when the held-out background or a signal holds training"
            + " events (refused by default: detectors judged on their own training events look better than they are).")
    boolean allowTrainingOverlap;

    @Mixin
    InputOptions input;

    @Override
    public Integer call() {
        if (signals.isEmpty() && !distortions) {
            throw new UsageException("benchmark needs --signal FILE... or --distortions (or both)");
        }
        if (trainingSizes.stream().anyMatch(n -> n < 2)) {
            throw new UsageException("--training-sizes must be at least 2 events each");
        }
        List<DetectorSpec> specs = DetectorSpec.parseAll(detectors); // refuses a bad one before any work
        specs.stream().filter(DetectorSpec::learnsFromOtherSamples).findFirst().ifPresent(s -> {
            throw new UsageException(s.name() + " learns from other samples as well as background: benchmark trains on background "
                    + "alone; compare it with darkscope compare (or train it with darkscope train --signal/--data)");
        });
        DistinctSamples.require(List.of(new DistinctSamples.Sample("--train", train))); // judged on --train: --allow-training-overlap
        DistinctSamples.require("--background", List.of(background), "--signal", signals);
        List<Path> judged = new ArrayList<>(signals);
        judged.add(0, background);
        List<Path> inputs = new ArrayList<>(judged);
        inputs.addAll(train);
        OutputGuard.checkResult(out, OutputGuard.Kind.RESULT_DIRECTORY, inputs);
        TrainingOverlap.refuseTrainingFiles(train, judged, allowTrainingOverlap, spec.commandLine().getErr());
        if (weighted && distortions) {
            throw new UsageException("--weighted judges the samples by their weights; --distortions judges the protocol's pseudo-signals,"
                    + " made of the held-out events counted once: give one of them");
        }
        if (distortions && org.darkscope.io.ImageSample.isImageSample(background)) {
            throw new UsageException("--distortions distorts collision events; " + background + " holds detector images");
        }
        PseudoData pseudoData = pseudoData();
        Plan plan = new Plan(train, background, signals, distortions, weighted, specs, Channel.byName(channel), training, input.mode(),
                allowTrainingOverlap, pseudoData);
        return run(spec.commandLine().getOut(), spec.commandLine().getErr(), plan, trainingSizes, out,
                spec.commandLine().getParseResult().originalArgs());
    }

    /** The pseudo-data of {@code --exposure}, or null; refused where a sample has no rate. */
    private PseudoData pseudoData() {
        if (exposure == null) {
            if (!rates.isEmpty()) {
                throw new UsageException("--rate is for the pseudo-data figures: give --exposure TONNE_YEARS too");
            }
            return null;
        }
        if (!(exposure > 0) || rates.values().stream().anyMatch(r -> !(r >= 0))) {
            throw new UsageException("--exposure must be positive and every --rate at least 0");
        }
        List<String> missing = new ArrayList<>();
        PseudoData data = PseudoData.of(exposure, rates, background, signals, missing);
        if (!missing.isEmpty()) {
            throw new UsageException("--exposure needs every sample's rate: give --rate " + missing.get(0)
                    + "=EVENTS_PER_TONNE_YEAR (no data-card.json beside it gives one)" + (missing.size() > 1 ? ", and for " + missing.subList(1, missing.size()) : ""));
        }
        return data;
    }

    /**
     * What to benchmark.
     *
     * @param train       background to train on
     * @param background  held-out background
     * @param signals     signal files (may be empty when {@code distortions} is set)
     * @param distortions whether to add the distorted-background pseudo-signals
     * @param weighted    whether the held-out events count by their weights
     * @param detectors   the detectors, with their settings
     * @param channel     the training selection
     * @param training    training options
     * @param mode        strict or lenient parsing
     * @param allowTrainingOverlap whether to go on when the judged samples hold training events
     * @param pseudoData  the pseudo-data figures' exposure and rates, or null
     */
    record Plan(List<Path> train, Path background, List<Path> signals, boolean distortions, boolean weighted, List<DetectorSpec> detectors,
                Channel channel, TrainingOptions training, ParseMode mode, boolean allowTrainingOverlap, PseudoData pseudoData) {
    }

    /** One detector trained and judged: the evaluation, its bundle's manifest, the training time in seconds, whether it learns. */
    private record Trained(Evaluation evaluation, Manifest manifest, double seconds, boolean learns) {
    }

    /** A detector judged and its object in results.json. */
    private record Judged(Trained trained, ObjectNode result) {
    }

    /**
     * Says which bundles under {@code models} this run will not write (an earlier run's into the same
     * directory, with other detectors): left as they are, and not among this run's results.
     */
    private static void sayStaleBundles(Path models, List<DetectorSpec> detectors, PrintWriter err) {
        if (!java.nio.file.Files.isDirectory(models)) {
            return;
        }
        java.util.Set<String> written = new java.util.HashSet<>();
        detectors.forEach(d -> written.add(d.directoryName()));
        try (java.util.stream.Stream<Path> bundles = java.nio.file.Files.list(models)) {
            List<Path> stale = bundles.filter(b -> !written.contains(b.getFileName().toString())).sorted().toList();
            if (!stale.isEmpty()) {
                err.println("benchmark: " + stale.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", "))
                        + (stale.size() == 1 ? " is" : " are") + " from an earlier run into " + models.getParent()
                        + ", not among these detectors: left as " + (stale.size() == 1 ? "it is" : "they are") + ", not in these results");
                err.flush();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + models + ": " + e.getMessage(), e);
        }
    }

    /** Runs the benchmark (also the heart of {@code demo}); {@code command}: the arguments, for the report's provenance. */
    static int run(PrintWriter o, PrintWriter err, Plan plan, List<Long> trainingSizes, Path out, List<String> command) {
        List<HtmlReport.Entry> entries = new ArrayList<>();
        ObjectNode root = Json.object();
        ArrayNode results = root.putArray("results");
        ArrayNode failures = root.putArray("failures");
        // every detector reads the same files: what reading them found is said once
        java.util.Set<String> said = new java.util.HashSet<>();
        java.util.function.Consumer<String> sayOnce = text -> {
            if (said.add(text)) {
                err.print(text);
            }
        };
        sayStaleBundles(out.resolve("models"), plan.detectors(), err);
        List<Judged> judged = new ArrayList<>();
        for (DetectorSpec detector : plan.detectors()) {
            o.println("== " + detector.text());
            o.flush();
            try {
                Trained trained = trainAndEvaluate(plan, detector, -1, out.resolve("models").resolve(detector.directoryName()), err, sayOnce);
                Evaluator.printTable(o, trained.evaluation());
                o.printf(Locale.ROOT, "  trained in %.2f s%n", trained.seconds());
                ObjectNode result = Evaluator.toJson(trained.evaluation());
                result.put("training_seconds", trained.seconds());
                result.put("training_events", trained.manifest().trainedOnEvents());
                results.add(result);
                judged.add(new Judged(trained, result));
                entries.add(new HtmlReport.Entry(trained.evaluation(), trained.manifest(), null));
            } catch (InputException | UsageException e) {
                throw e; // bad data (or training events among the judged) fail every detector alike: stop
            } catch (RuntimeException e) {
                String message = detector.text() + ": " + (e.getMessage() != null ? e.getMessage() : e.toString());
                err.println("benchmark: " + message + " (going on with the other detectors)");
                ObjectNode failure = failures.addObject();
                failure.put("detector", detector.text());
                failure.put("error", String.valueOf(e.getMessage()));
                entries.add(new HtmlReport.Entry(null, null, "failed: " + message));
            }
            o.flush();
        }
        List<LearningCurve.Point> curve = learningCurve(o, err, sayOnce, plan, trainingSizes, out, failures);
        if (!trainingSizes.isEmpty()) {
            ArrayNode points = root.putArray("learning_curve");
            for (LearningCurve.Point p : curve) {
                ObjectNode node = points.addObject();
                node.put("detector", p.detector());
                node.put("training_events", p.trainingEvents());
                node.put("training_seconds", p.trainingSeconds());
                ArrayNode signalNodes = node.putArray("signals");
                for (LearningCurve.SignalPoint s : p.signals()) {
                    ObjectNode sn = signalNodes.addObject();
                    sn.put("name", s.name());
                    sn.put("auc", s.auc());
                    sn.put("eps_s", s.epsS());
                    if (!Double.isNaN(s.aucError())) {
                        sn.put("auc_error", s.aucError());
                    }
                    if (!Double.isNaN(s.epsSError())) {
                        sn.put("eps_s_error", s.epsSError());
                    }
                    if (!Double.isNaN(s.epsSLimit())) {
                        sn.put(Evaluator.limitKey(s.epsS()), s.epsSLimit());
                    }
                }
            }
        }
        List<DifferencesTable.Row> differences = againstBaselines(judged);
        String markdown = HtmlReport.markdown(entries) + DifferencesTable.markdown(AGAINST_BASELINES, differences)
                + LearningCurve.markdown(curve);
        AtomicFile.write(out.resolve("results.md"), markdown.getBytes(StandardCharsets.UTF_8));
        if (plan.pseudoData() != null) {
            ObjectNode pseudo = root.putObject("pseudo_data");
            pseudo.put("exposure_tonne_years", plan.pseudoData().exposureTonneYears());
            ObjectNode rateNode = pseudo.putObject("rates_per_tonne_year");
            plan.pseudoData().rates().forEach(rateNode::put);
        }
        Json.write(out.resolve("results.json"), root);
        HtmlReport.write(out, entries, curve, AGAINST_BASELINES, differences, plan.pseudoData(), provenance(plan, entries, command));
        o.println();
        o.print(markdown);
        o.println("wrote " + out.resolve("results.json") + ", " + out.resolve("results.md") + ", " + out.resolve(HtmlReport.PAGE));
        o.flush();
        return failures.isEmpty() ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }

    /** The heading of the table of every detector that learns against the baselines. */
    private static final String AGAINST_BASELINES = "Against the baselines";

    /**
     * Every detector that learns against every baseline judged beside it (a detector that learns
     * nothing: {@code ht}, {@code met}, {@code s2s1}), on each real signal (the pseudo-signals of
     * {@code --distortions} have a background of their own): the differences of their figures,
     * added to each signal's object in results.json as {@code differences}, and the table's rows.
     */
    private static List<DifferencesTable.Row> againstBaselines(List<Judged> judged) {
        List<Evaluation> baselines = judged.stream().filter(j -> !j.trained().learns()).map(j -> j.trained().evaluation()).toList();
        List<DifferencesTable.Row> all = new ArrayList<>();
        for (Judged detector : judged) {
            if (!detector.trained().learns()) {
                continue;
            }
            Evaluation a = detector.trained().evaluation();
            List<String> pseudo = Evaluator.distorted(a).stream().map(Evaluation.Signal::name).toList();
            List<DifferencesTable.Row> rows = new ArrayList<>();
            for (Evaluation.Signal signal : a.signals()) {
                List<FigureDifference> differences = pseudo.contains(signal.name()) ? List.of() : baselines.stream()
                        .flatMap(b -> sameEvents(a, signal, b).map(same -> FigureDifference.between(a, signal, b, same)).stream())
                        .toList();
                if (!differences.isEmpty()) {
                    rows.add(new DifferencesTable.Row(a.detector(), signal.name(), differences));
                }
            }
            Evaluator.putDifferences(detector.result(), rows);
            all.addAll(rows);
        }
        return all;
    }

    /** {@code b}'s judgement of the events of {@code a}'s {@code signal}: a signal of that name over as many events, against as many background events. */
    private static java.util.Optional<Evaluation.Signal> sameEvents(Evaluation a, Evaluation.Signal signal, Evaluation b) {
        return b.signals().stream().filter(s -> s.name().equals(signal.name()) && s.scores().length == signal.scores().length
                && b.backgroundScores().length == a.backgroundScores().length).findFirst();
    }

    /** The report's provenance: the command, the files read with their events, every model trained. */
    private static ReportProvenance provenance(Plan plan, List<HtmlReport.Entry> entries, List<String> command) {
        Map<Path, Long> inputs = new LinkedHashMap<>();
        Map<String, Manifest> models = new LinkedHashMap<>();
        plan.train().forEach(f -> inputs.put(f, -1L));
        inputs.put(plan.background(), -1L);
        plan.signals().forEach(f -> inputs.put(f, -1L));
        for (HtmlReport.Entry e : entries) {
            if (e.evaluation() == null) {
                continue;
            }
            models.put(e.evaluation().detector(), e.manifest());
            for (Manifest.TrainingFile f : e.manifest().trainingFiles()) {
                inputs.put(Path.of(f.path()), f.events());
            }
            inputs.put(plan.background(), e.evaluation().backgroundEvents());
            for (int i = 0; i < plan.signals().size() && i < e.evaluation().signals().size(); i++) {
                inputs.put(plan.signals().get(i), (long) e.evaluation().signals().get(i).scores().length);
            }
        }
        return ReportProvenance.now(command, inputs, models);
    }

    /**
     * Trains {@code detector} on at most {@code maxEvents} events (negative: all) into {@code model} and evaluates it;
     * what reading the training and the judged files found goes to {@code say}.
     */
    private static Trained trainAndEvaluate(Plan plan, DetectorSpec spec, long maxEvents, Path model, PrintWriter err,
                                            java.util.function.Consumer<String> say) {
        ProgressBar progress = new ProgressBar(err, spec.text(), plan.training().verbose);
        long start = System.nanoTime();
        Pipeline.TrainResult trainedOn = Pipeline.train(new Pipeline.TrainRequest(spec.name(), spec.settings(), spec.encoding(), plan.train(),
                plan.channel(), maxEvents, 0.2, plan.mode(), plan.training().config(progress)), model);
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.finish();
        say.accept(EventFiles.describeSkipped(trainedOn.reports()));
        try (TrainedModel loaded = ModelBundle.load(model)) {
            TrainingOverlap overlap = TrainingOverlap.of(model, loaded, List.of(), plan.allowTrainingOverlap(), err);
            Evaluation evaluation = Evaluator.evaluate(loaded, overlap,
                    new Evaluator.Samples(plan.background(), plan.signals(), plan.mode(), plan.weighted()), true, say,
                    new ScoringProgress(err, spec.text()));
            if (plan.distortions()) {
                Evaluation distorted = Evaluator.evaluateDistortions(loaded, plan.background(), plan.mode(),
                        Distortion.PROTOCOL_SEED, say);
                List<Evaluation.Signal> all = new ArrayList<>(evaluation.signals());
                all.addAll(distorted.signals());
                // the pseudo-signals are judged against the even half; the real ones against the whole file
                evaluation = new Evaluation(evaluation.detector(), evaluation.backgroundName(), evaluation.backgroundScores(),
                        evaluation.backgroundWeights(), all);
            }
            if (!spec.text().equals(evaluation.detector())) { // a detector with settings, or the alias: name it as given
                evaluation = new Evaluation(spec.text(), evaluation.backgroundName(), evaluation.backgroundScores(),
                        evaluation.backgroundWeights(), evaluation.signals());
            }
            return new Trained(evaluation, loaded.manifest(), seconds, loaded.detector().learns());
        }
    }

    /** Every detector (and the baselines) trained at every size; a failure is recorded and the rest go on. */
    private static List<LearningCurve.Point> learningCurve(PrintWriter o, PrintWriter err, java.util.function.Consumer<String> say,
                                                          Plan plan, List<Long> sizes, Path out, ArrayNode failures) {
        List<LearningCurve.Point> points = new ArrayList<>();
        if (sizes.isEmpty()) {
            return points;
        }
        List<DetectorSpec> detectors = new ArrayList<>(BASELINES.stream().map(DetectorSpec::parse).toList());
        plan.detectors().stream().filter(d -> !BASELINES.contains(d.text())).forEach(detectors::add);
        List<Long> ascending = sizes.stream().sorted().distinct().toList();
        long previous = -1; // the training events of the last size's points
        for (long size : ascending) {
            long trained = -1;
            for (DetectorSpec detector : detectors) {
                try {
                    Trained t = trainAndEvaluate(plan, detector, size,
                            out.resolve("learning-curve").resolve(detector.directoryName() + "-" + size), err, say);
                    Manifest m = t.manifest();
                    long events = m.trainedOnEvents() + m.validationEvents();
                    if (events == previous) { // fewer events than this size asks for: the last size's events again
                        o.printf(Locale.ROOT, "learning curve: the training files hold %d events in the channel: %s left out "
                                + "(the same events as the point at %d)%n", events, sizesFrom(ascending, size), previous);
                        return points;
                    }
                    trained = events;
                    points.add(LearningCurve.Point.of(detector.text(), events, t.seconds(), t.evaluation()));
                    o.printf(Locale.ROOT, "learning curve: %s on %d events%n", detector.text(), events);
                } catch (InputException | UsageException e) {
                    throw e;
                } catch (RuntimeException e) {
                    err.println("benchmark: learning curve, " + detector.text() + " at " + size + " events: " + e.getMessage());
                    ObjectNode failure = failures.addObject();
                    failure.put("detector", detector.text());
                    failure.put("training_events", size);
                    failure.put("error", String.valueOf(e.getMessage()));
                }
                o.flush();
            }
            if (trained >= 0 && trained < size) {
                List<Long> larger = ascending.subList(ascending.indexOf(size) + 1, ascending.size());
                o.printf(Locale.ROOT, "learning curve: the training files hold %d events in the channel: the point asked for at %d "
                        + "trains on all of them%s%n", trained, size, larger.isEmpty() ? "" : "; " + sizesFrom(larger, larger.get(0))
                        + " left out (the same events)");
                return points;
            }
            previous = trained;
        }
        return points;
    }

    /** The sizes of {@code ascending} from {@code first} on, as words: "5000 is", "5000 and 10000 are". */
    private static String sizesFrom(List<Long> ascending, long first) {
        List<String> sizes = ascending.subList(ascending.indexOf(first), ascending.size()).stream().map(String::valueOf).toList();
        return sizes.size() == 1 ? sizes.get(0) + " is"
                : String.join(", ", sizes.subList(0, sizes.size() - 1)) + " and " + sizes.get(sizes.size() - 1) + " are";
    }
}
