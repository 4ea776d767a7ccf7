package org.darkscope.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.darkscope.event.Event;
import org.darkscope.io.BundledSample;
import org.darkscope.io.EventFiles;
import org.darkscope.io.EventWriter;
import org.darkscope.io.ParseMode;
import org.darkscope.select.Channel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code darkscope demo}: the main job on the bundled channel-1 sample, no arguments needed. The
 * (shuffled) background is split into a training part (first 60 %) and a held-out test part;
 * every detector is trained on the first and evaluated on the second against both signals.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Train and compare the detectors on the bundled sample and write the report.",
                "Example: darkscope demo --out demo-out"})
final class DemoCommand implements Callable<Integer> {
    /** The detectors the demo compares: the physics baselines first. */
    static final List<String> DETECTORS = List.of("ht", "met", "ae", "vae", "conv-vae", "deep-svdd", "flow", "iforest", "combined");
    /** Fraction of the background used for training; the rest is the held-out test background. */
    static final double TRAIN_FRACTION = 0.6;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--epochs", defaultValue = "60", paramLabel = "N", description = "Maximum epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        Path data = BundledSample.extractTo(out.resolve("data"));
        List<Event> background = EventFiles.read(data.resolve(BundledSample.BACKGROUND), ParseMode.STRICT, -1);
        int split = (int) Math.round(background.size() * TRAIN_FRACTION);
        Path train = data.resolve("background_train_part.csv.gz");
        Path test = data.resolve("background_test_part.csv.gz");
        write(train, background.subList(0, split));
        write(test, background.subList(split, background.size()));
        o.printf("demo: %d background events for training, %d held out; signals %s%n", split, background.size() - split,
                BundledSample.SIGNALS);
        TrainingOptions training = new TrainingOptions(epochs, 128, 1e-3, seed, 10);
        List<Path> signals = BundledSample.SIGNALS.stream().map(data::resolve).toList();
        int code = BenchmarkCommand.run(o, spec.commandLine().getErr(), List.of(train), test, signals, DETECTORS, out,
                Channel.CHAN1, training, ParseMode.STRICT);
        o.println("demo: open " + out.toAbsolutePath().resolve("report.html") + " in a browser");
        return code;
    }

    private static void write(Path file, List<Event> events) {
        try (EventWriter writer = EventWriter.create(file)) {
            events.forEach(writer::write);
        }
    }
}
