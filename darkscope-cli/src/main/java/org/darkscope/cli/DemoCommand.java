package org.darkscope.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.darkscope.detect.Detectors;
import org.darkscope.detect.TrainingConfig;
import org.darkscope.io.BundledSample;
import org.darkscope.io.ParseMode;
import org.darkscope.select.Channel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code darkscope demo}: the main job on the bundled channel-1 sample, no arguments needed. The
 * background (in the file's order, processes interleaved) is split into a training part (the first 60 %) and a held-out part;
 * every detector is trained on the first and evaluated on the second against both signals.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Train and compare the detectors on the bundled sample and write the report.",
                "Example: darkscope demo --out demo-out"})
final class DemoCommand implements Callable<Integer> {
    /** The detectors the demo compares: the physics baselines first, then the recommended detector and its members. */
    static final List<String> DETECTORS = List.of("ht", "met", Detectors.RECOMMENDED, "kde", "exceedance", "flow", "knn", "gmm", "maf",
            "ae", "vae", "conv-vae", "deep-svdd", "iforest");
    /** Fraction of the background used for training; the rest is the held-out test background. */
    static final double TRAIN_FRACTION = 0.6;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--epochs", defaultValue = "" + TrainingConfig.DEFAULT_EPOCHS, paramLabel = "N", description = "Maximum epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        OutputGuard.checkResult(out, OutputGuard.Kind.RESULT_DIRECTORY, List.of());
        PrintWriter o = spec.commandLine().getOut();
        BundledSample.Split split = BundledSample.extractAndSplit(out.resolve("data"), TRAIN_FRACTION,
                "background_train_part.csv.gz", "background_test_part.csv.gz");
        o.printf("demo: %d background events for training, %d held out; signals %s%n", split.firstEvents(),
                split.restEvents(), BundledSample.SIGNALS);
        TrainingOptions training = new TrainingOptions(epochs, TrainingConfig.DEFAULT_BATCH_SIZE, TrainingConfig.DEFAULT_LEARNING_RATE, seed, 10);
        List<Path> signals = List.of(split.signal(0), split.signal(1));
        BenchmarkCommand.Plan plan = new BenchmarkCommand.Plan(List.of(split.first()), split.rest(), signals, false, false,
                DETECTORS.stream().map(DetectorSpec::parse).toList(),
                Channel.CHAN1, training, ParseMode.STRICT, false, null);
        int code = BenchmarkCommand.run(o, spec.commandLine().getErr(), plan, List.of(), out,
                spec.commandLine().getParseResult().originalArgs());
        o.println("demo: open " + out.toAbsolutePath().resolve("report.html") + " in a browser");
        return code;
    }
}
