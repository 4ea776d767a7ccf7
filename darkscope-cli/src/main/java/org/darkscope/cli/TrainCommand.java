package org.darkscope.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.darkscope.Pipeline;
import org.darkscope.bundle.Manifest;
import org.darkscope.detect.Detectors;
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
                "Example: darkscope train --detector vae --background data/sample/chan1/background_train.csv.gz --out vae.model"})
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

    @Option(names = "--background", required = true, arity = "1..*", paramLabel = "FILE", description = "Background event files.")
    List<Path> background;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Bundle directory to write.")
    Path out;

    @Option(names = "--channel", defaultValue = "chan1", description = "Selection training events must pass (default: ${DEFAULT-VALUE}).")
    String channel;

    @Mixin
    TrainingOptions training;

    @Option(names = "--max-events", defaultValue = "-1", paramLabel = "N", description = "Train on at most N selected events.")
    long maxEvents;

    @Option(names = "--validation-fraction", defaultValue = "0.2", paramLabel = "F",
            description = "Fraction of the background held out for validation (default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(names = "--encoding", paramLabel = "NAME", completionCandidates = EncodingNames.class,
            description = "Event encoding (default: the detector's): ${COMPLETION-CANDIDATES}.")
    String encoding;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Detector setting, e.g. --set beta=0.5 (repeatable; each detector's settings are listed below"
                    + " and by darkscope info --detector NAME).")
    List<String> settings = new ArrayList<>();

    @Option(names = "--force", description = "Replace an existing model bundle at --out.")
    boolean force;

    @Mixin
    InputOptions input;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Hyperparameters parsed = Hyperparameters.parse(settings);
        Detectors.create(detector, parsed).close(); // an unknown detector or setting is refused before reading any event
        OutputGuard.check(out, force, background, true);
        ProgressBar progress = new ProgressBar(err, detector, training.verbose);
        Pipeline.TrainRequest request = new Pipeline.TrainRequest(detector, parsed, encoding,
                background, Channel.byName(channel), maxEvents, validationFraction, input.mode(), training.config(progress));
        Pipeline.TrainResult result = Pipeline.train(request, out);
        progress.finish();
        err.print(EventFiles.describeSkipped(result.reports()));
        Manifest m = result.manifest();
        long outside = m.trainingFiles().stream().mapToLong(Manifest.TrainingFile::outsideChannel).sum();
        PrintWriter o = spec.commandLine().getOut();
        o.printf("trained %s on %d background events (%d for validation), %d parameters%n", m.detector(),
                m.trainedOnEvents(), m.validationEvents(), m.parameters());
        if (outside > 0) {
            o.printf("%d event(s) outside %s were not used%n", outside, m.channel());
        }
        for (String recovery : m.history().recoveries()) {
            o.println("recovered: " + recovery);
        }
        if (!m.history().epochs().isEmpty()) {
            o.printf("kept the weights of epoch %d (%s)%n", m.history().bestEpoch(), m.history().stopReason());
        }
        o.println("wrote " + out);
        return Main.EXIT_OK;
    }
}
