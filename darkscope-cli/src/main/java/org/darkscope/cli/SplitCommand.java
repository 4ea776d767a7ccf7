package org.darkscope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.darkscope.io.EventFiles;
import org.darkscope.io.EventReader;
import org.darkscope.io.EventWriter;
import org.darkscope.io.ImageSample;
import org.darkscope.io.NpyWriter;
import org.darkscope.io.ParseMode;
import org.darkscope.stats.SelectionSampling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code darkscope split}: one sample split in two disjoint parts, one to train on and one held
 * out to judge on, so that no model is judged on the events it learned from. By default the
 * training part is a uniformly random subset of exactly the asked share ({@link SelectionSampling},
 * seeded), which a file sorted by process cannot bias; {@code --order file} takes the first events,
 * as the demo does. Events keep their IDs and values (read back identical); the input is read
 * twice, to count and to split, in constant memory. Image samples split the same way, into
 * {@code .npy} files.
 */
@Command(name = "split", mixinStandardHelpOptions = true,
        description = {"Split a sample in two: a part to train on and a held-out part to judge on, with no event in both.",
                "Example: darkscope split background.csv.gz --train train.csv.gz --held-out test.csv.gz"})
final class SplitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The sample: event files, read in this order, or image samples (.npy, PNG folders).")
    List<Path> inputs;

    @Option(names = "--train", required = true, paramLabel = "FILE", description = "The part to train on (.csv, .csv.gz; .npy for images).")
    Path train;

    @Option(names = "--held-out", required = true, paramLabel = "FILE", description = "The rest, to judge on (.csv, .csv.gz; .npy for images).")
    Path heldOut;

    @Option(names = "--train-fraction", defaultValue = "0.6", paramLabel = "F",
            description = "Share of the events in the training part, rounded to a whole event (default: ${DEFAULT-VALUE}, the demo's).")
    double trainFraction;

    @Option(names = "--order", defaultValue = "random", paramLabel = "random|file",
            description = "random: a random subset of the events, drawn with --seed; file: the first events (default: ${DEFAULT-VALUE}).")
    String order;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Random seed of --order random (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = "Replace existing files at --train and --held-out.")
    boolean force;

    @Mixin
    InputOptions input;

    @Override
    public Integer call() {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new UsageException("--train-fraction " + trainFraction + ": give a share between 0 and 1, both parts hold events");
        }
        if (!order.equals("random") && !order.equals("file")) {
            throw new UsageException("--order takes random (a random subset, drawn with --seed) or file (the first events), got " + order);
        }
        if (!random() && spec.commandLine().getParseResult().hasMatchedOption("--seed")) {
            throw new UsageException("--seed draws the random subset; --order file takes the first events and draws nothing: give one of them");
        }
        for (Path in : inputs) {
            ReadTwice.require("split", in, "to count its events, then to split them");
        }
        DistinctSamples.require(List.of(new DistinctSamples.Sample("FILE", inputs)));
        OutputGuard.requireSeparate("--train", train, "--held-out", heldOut, null);
        OutputGuard.check(train, OutputGuard.Kind.DATA, force, inputs);
        OutputGuard.check(heldOut, OutputGuard.Kind.DATA, force, inputs);
        Parts parts = ImageSample.areImages(inputs, "the sample to split") ? splitImages() : splitEvents();
        String how = random() ? "chosen at random (seed " + seed + ")" : "the first in file order";
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %,d %s to train on, %s; %s: %,d held out%n", train, parts.train(),
                parts.unit(), how, heldOut, parts.total() - parts.train());
        return Main.EXIT_OK;
    }

    /** What was written: {@code train} of {@code total} events or images to the training part. */
    private record Parts(long total, long train, String unit) {
    }

    private boolean random() {
        return order.equals("random");
    }

    /** The training events' number, refused where a part would be empty. */
    private long trainingShare(long total, String unit) {
        long n = Math.round(total * trainFraction);
        if (n == 0 || n == total) {
            throw new UsageException(String.format(Locale.ROOT, "--train-fraction %s of %d %s leaves the %s part empty: give more %s or "
                    + "another fraction", trainFraction, total, unit, n == 0 ? "training" : "held-out", unit));
        }
        return n;
    }

    /** For each event in turn, whether it goes to the training part. */
    private BooleanSupplier membership(long total, long trainEvents) {
        if (random()) {
            return new SelectionSampling(total, trainEvents, new SplittableRandom(seed))::next;
        }
        long[] position = {0};
        return () -> position[0]++ < trainEvents;
    }

    private Parts splitEvents() {
        for (Path out : List.of(train, heldOut)) {
            if (ImageSample.isImageSample(out)) {
                throw new UsageException(out + ": events are written as CSV; give a name ending in .csv or .csv.gz");
            }
        }
        ParseMode mode = input.mode();
        // bad lines are reported once, from the second pass
        long total = inputs.stream().mapToLong(in -> EventFiles.count(in, mode).events()).sum();
        long trainEvents = trainingShare(total, "events");
        BooleanSupplier inTraining = membership(total, trainEvents);
        List<EventFiles.FileReport> reports = new ArrayList<>();
        try (EventWriter trainWriter = EventWriter.create(train); EventWriter heldOutWriter = EventWriter.create(heldOut)) {
            for (Path in : inputs) {
                try (EventReader reader = EventReader.open(in, mode)) {
                    while (reader.hasNext()) {
                        (inTraining.getAsBoolean() ? trainWriter : heldOutWriter).write(reader.next());
                    }
                    reports.add(reader.report());
                }
            }
            trainWriter.commit();
            heldOutWriter.commit();
        }
        spec.commandLine().getErr().print(EventFiles.describeSkipped(reports));
        return new Parts(total, trainEvents, "events");
    }

    /** Images: strictly read, a sample holds the images it announces, so the count needs no pass over them. */
    private Parts splitImages() {
        if (input.skipBadLines) {
            throw new UsageException("--skip-bad-lines skips lines of event files; images are split whole (a bad image stops the split)");
        }
        for (Path out : List.of(train, heldOut)) {
            if (!out.getFileName().toString().endsWith(".npy")) {
                throw new UsageException(out + ": images are written as a .npy file; give a name ending in .npy");
            }
        }
        int[] shape = null;
        long total = 0;
        for (Path in : inputs) {
            try (ImageSample s = ImageSample.open(in, ParseMode.STRICT)) {
                if (shape != null) {
                    ImageSample.requireShape(in, s.shape(), inputs.get(0), shape);
                }
                shape = s.shape();
                total += s.announced();
            }
        }
        long trainImages = trainingShare(total, "images");
        BooleanSupplier inTraining = membership(total, trainImages);
        try (NpyWriter trainWriter = new NpyWriter(train, Math.toIntExact(trainImages), shape[0], shape[1], shape[2]);
             NpyWriter heldOutWriter = new NpyWriter(heldOut, Math.toIntExact(total - trainImages), shape[0], shape[1], shape[2])) {
            for (Path in : inputs) {
                try (ImageSample s = ImageSample.open(in, ParseMode.STRICT)) {
                    while (s.hasNext()) {
                        (inTraining.getAsBoolean() ? trainWriter : heldOutWriter).write(s.next());
                    }
                }
            }
            trainWriter.commit();
            heldOutWriter.commit();
        }
        for (Path out : List.of(train, heldOut)) {
            ObjectNode sidecar = Json.object();
            sidecar.put("layout", "NCHW");
            com.fasterxml.jackson.databind.node.ArrayNode parts = sidecar.putArray("part_of");
            inputs.forEach(in -> parts.add(in.toString()));
            Json.write(ImageSample.sidecarOf(out), sidecar);
        }
        return new Parts(total, trainImages, "images");
    }
}
