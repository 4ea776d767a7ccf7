package org.darkscope.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.darkscope.Pipeline;
import org.darkscope.bundle.Manifest;
import org.darkscope.detect.Detector;
import org.darkscope.detect.Detectors;
import org.darkscope.detect.ExternalModel;
import org.darkscope.detect.SampleClassifier;
import org.darkscope.detect.Hyperparameters;
import org.darkscope.detect.TrainingConfig;
import org.darkscope.feature.Encoding;
import org.darkscope.feature.Encodings;
import org.darkscope.io.EventFiles;
import org.darkscope.select.Channel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code darkscope train}: learn the Standard Model from background and write a model bundle. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a detector on background events and write a model bundle.",
                "Example: darkscope train --detector vae --background data/sample/chan1/background_train.csv.gz --out vae.model",
                "Supervised: darkscope train --detector classifier --background B.csv.gz --signal S.csv.gz --out c.model",
                "Weakly supervised: darkscope train --detector data-vs-reference --background REFERENCE --data DATA --out d.model"})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--detector", required = true, paramLabel = "NAME", completionCandidates = DetectorNames.class,
            description = "One of: ${COMPLETION-CANDIDATES}.")
    String detector;

    /** The known encodings' names, for help and completion. */
    static final class EncodingNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Encodings.all().stream().map(Encoding::name).iterator();
        }
    }

    /** The registered detectors' names, for help and completion. */
    static final class DetectorNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.stream.Stream.concat(Detectors.kinds().stream().map(Detectors.Kind::name),
                    java.util.stream.Stream.of(Detectors.DEFAULT)).iterator();
        }
    }

    @Option(names = "--background", arity = "1..*", paramLabel = "FILE",
            description = "Background event files (optional for onnx, which learns nothing: then none is read).")
    List<Path> background = new ArrayList<>();

    @Option(names = "--signal", arity = "1..*", paramLabel = "FILE",
            description = "Signal event files, for classifier (all files one signal) and hyperclass (each file one signal model).")
    List<Path> signal = new ArrayList<>();

    @Option(names = "--data", arity = "1..*", paramLabel = "FILE",
            description = "The data, for data-vs-reference (--background is then the reference background).")
    List<Path> data = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Bundle directory to write.")
    Path out;

    @Option(names = "--channel", defaultValue = "chan1", description = "Selection training events must pass (default: ${DEFAULT-VALUE}).")
    String channel;

    @Mixin
    TrainingOptions training;

    @Option(names = "--max-events", defaultValue = "-1", paramLabel = "N", description = "Train on at most N selected events.")
    long maxEvents;

    @Option(names = "--validation-fraction", defaultValue = "0.2", paramLabel = "F",
            description = "Fraction of the background held out for validation (default: ${DEFAULT-VALUE}); none by a detector that validates nothing (kde, knn, iforest, the default combined).")
    double validationFraction;

    @Option(names = "--encoding", paramLabel = "NAME", completionCandidates = EncodingNames.class,
            description = "Event encoding (default: the detector's): ${COMPLETION-CANDIDATES}.")
    String encoding;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Detector setting, e.g. --set beta=0.5 (repeatable; each detector's settings are listed below"
                    + " and by darkscope info --detector NAME).")
    List<String> settings = new ArrayList<>();

    @Option(names = "--weighted", description = "Count each background event by its weight (a sample made in slices of HT, say), not once,"
            + " with a detector that learns from weighted events (darkscope info --detector NAME says which); no weight may be negative.")
    boolean weighted;

    @Option(names = "--force", description = "Replace an existing model bundle at --out.")
    boolean force;

    @Mixin
    InputOptions input;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (maxEvents == 0 || maxEvents < -1) {
            throw new UsageException("--max-events must be at least 1, got " + maxEvents + " (leave it out to train on every event)");
        }
        TrainingOptions.requireValidationFraction(validationFraction);
        Hyperparameters parsed = Hyperparameters.parse(settings);
        List<List<Path>> others;
        try (Detector d = Detectors.create(detector, parsed)) { // an unknown detector or setting is refused before reading any event
            others = otherSamples(d);
            if (weighted) {
                try {
                    Detectors.requireFitsWeights(d);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
            }
            if (background.isEmpty() && !(d instanceof ExternalModel)) {
                throw new UsageException("--background is required: " + d.name() + " learns from background events");
            }
        }
        List<Path> inputs = new ArrayList<>(background);
        inputs.addAll(signal);
        inputs.addAll(data);
        OutputGuard.check(out, force, inputs, true);
        ProgressBar progress = new ProgressBar(err, detector, training.verbose);
        Pipeline.TrainRequest request = new Pipeline.TrainRequest(detector, parsed, encoding,
                background, others, Channel.byName(channel), maxEvents, validationFraction, input.mode(), training.config(progress), weighted);
        Pipeline.TrainResult result = Pipeline.train(request, out);
        progress.finish();
        err.print(EventFiles.describeSkipped(result.reports()));
        Manifest m = result.manifest();
        long outside = m.trainingFiles().stream().mapToLong(Manifest.TrainingFile::outsideChannel).sum();
        PrintWriter o = spec.commandLine().getOut();
        if (m.trainedOnEvents() == 0 && m.history().epochs().isEmpty() && background.isEmpty()) {
            o.printf("made the %s bundle (nothing is trained: the model comes from %s)%n", m.detector(),
                    m.hyperparameters().getOrDefault("model", "elsewhere"));
        } else {
            o.printf("trained %s on %d %s events%s (%s)%s, %d parameters%n", m.detector(),
                    m.trainedOnEvents(), data.isEmpty() ? "background" : "reference", weighted ? " counted by their weights" : "", validationPart(m),
                    others.isEmpty() ? "" : " against " + others.size() + " "
                            + (data.isEmpty() ? "signal" : "data") + " sample" + (others.size() > 1 ? "s" : ""), m.parameters());
        }
        if (outside > 0) {
            o.printf("%d event(s) outside %s were not used%n", outside, m.channel());
        }
        for (String recovery : m.history().recoveries()) {
            o.println("recovered: " + recovery);
        }
        if (!m.history().epochs().isEmpty()) {
            o.printf("kept the weights of epoch %d (%s)%n", m.history().bestEpoch(), m.history().stopReason());
        }
        result.advice().forEach(a -> o.println("note: " + a));
        o.println("wrote " + out);
        return Main.EXIT_OK;
    }

    /**
     * The other samples a {@link SampleClassifier} learns from, as the command line gives them:
     * all {@code --signal} files one signal for {@code classifier}, each one signal model for
     * {@code hyperclass}, all {@code --data} files the data; refused where the detector does not
     * take what is given, or a file is given as two samples.
     */
    private List<List<Path>> otherSamples(Detector d) {
        DistinctSamples.require(List.of(new DistinctSamples.Sample("--background", background),
                new DistinctSamples.Sample("--signal", signal), new DistinctSamples.Sample("--data", data)));
        if (!(d instanceof SampleClassifier classifier)) {
            if (!signal.isEmpty() || !data.isEmpty()) {
                throw new UsageException(d.name() + " learns from background alone: --signal and --data are for "
                        + "classifier, hyperclass and data-vs-reference");
            }
            return List.of();
        }
        List<Path> given = classifier.role() == SampleClassifier.Role.SIGNAL ? signal : data;
        List<Path> wrong = classifier.role() == SampleClassifier.Role.SIGNAL ? data : signal;
        if (!wrong.isEmpty()) {
            throw new UsageException(d.name() + " takes " + classifier.role().option() + ", not "
                    + (classifier.role() == SampleClassifier.Role.SIGNAL ? "--data" : "--signal"));
        }
        List<List<Path>> samples;
        if (given.isEmpty()) {
            samples = List.of();
        } else if (classifier.maximumSamples() == 1) { // all files one sample: the signal, or the data
            samples = List.of(given);
        } else { // each file one signal model
            samples = given.stream().map(List::of).toList();
        }
        try {
            classifier.requireSamples(samples.size());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return samples;
    }

    /** What of the training events was held for validation: so many, none asked, or none because the detector validates nothing. */
    private String validationPart(Manifest m) {
        if (m.validationEvents() > 0) {
            return m.validationEvents() + " for validation";
        }
        return validationFraction > 0 ? "all: " + m.detector() + " validates nothing" : "no validation part";
    }
}
