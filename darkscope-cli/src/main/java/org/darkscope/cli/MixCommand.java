package org.darkscope.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.darkscope.event.Event;
import org.darkscope.io.EventFiles;
import org.darkscope.io.EventReader;
import org.darkscope.io.EventWriter;
import org.darkscope.io.ImageSample;
import org.darkscope.io.NpyWriter;
import org.darkscope.io.ParseMode;
import org.darkscope.stats.RandomOrder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code darkscope mix}: pseudo-data, background with N signal events at random positions. Event
 * IDs are renumbered 1, 2, ...; the process ID column keeps the truth (the search never reads it).
 * The background is streamed, so any size can be mixed. Detector images mix the same way (see {@link #mixImages}).
 */
@Command(name = "mix", mixinStandardHelpOptions = true,
        description = {"Make pseudo-data: background with N signal events mixed in at random positions.",
                "Example: darkscope mix --background test_bkg.csv.gz --signal signal.csv.gz --signal-events 30 --out data.csv.gz"})
final class MixCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--background", required = true, paramLabel = "FILE", description = "Background events: every one is kept.")
    Path background;

    @Option(names = "--signal", required = true, paramLabel = "FILE", description = "Signal events, of which --signal-events are drawn.")
    Path signal;

    @Option(names = "--signal-events", required = true, paramLabel = "N", description = "Signal events to mix in.")
    int signalEvents;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file (.csv or .csv.gz).")
    Path out;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = "Replace an existing file at --out.")
    boolean force;

    @picocli.CommandLine.Mixin
    InputOptions input;

    @Override
    public Integer call() {
        if (signalEvents < 0) {
            throw new UsageException("--signal-events must not be negative");
        }
        ReadTwice.require("mix", background, "to count its events, then to mix the signal in");
        DistinctSamples.require("--background", List.of(background), "--signal", List.of(signal));
        OutputGuard.check(out, OutputGuard.Kind.DATA, force, List.of(background, signal));
        SplittableRandom random = new SplittableRandom(seed);
        if (ImageSample.isImageSample(background) || ImageSample.isImageSample(signal)) {
            return mixImages(random);
        }
        List<Event> signals = new ArrayList<>();
        List<EventFiles.FileReport> reports = new ArrayList<>();
        try (EventReader reader = EventReader.open(signal, input.mode())) {
            while (reader.hasNext()) {
                signals.add(reader.next());
            }
            reports.add(reader.report());
        }
        if (signalEvents > signals.size()) {
            throw new UsageException("--signal-events " + signalEvents + " but " + signal + " holds only " + signals.size() + " events");
        }
        // N signal events chosen at random, without replacement
        int[] order = RandomOrder.permutation(signals.size(), random);
        List<Event> chosen = new ArrayList<>(signalEvents);
        for (int i = 0; i < signalEvents; i++) {
            chosen.add(signals.get(order[i]));
        }
        EventFiles.FileReport counted = EventFiles.count(background, input.mode());
        long backgroundEvents = counted.events();
        reports.add(0, counted);
        long total = backgroundEvents + signalEvents;
        long[] positions = RandomOrder.positions(total, signalEvents, random);
        long id = 0;
        int nextSignal = 0;
        try (EventWriter writer = EventWriter.create(out); EventReader reader = EventReader.open(background, input.mode())) {
            while (id < total) {
                Event e = nextSignal < signalEvents && positions[nextSignal] == id ? chosen.get(nextSignal++) : reader.next();
                id++;
                writer.write(new Event(Long.toString(id), e.processId(), e.weight(), e.met(), e.metPhi(), e.objects()));
            }
            writer.commit();
        }
        spec.commandLine().getErr().print(EventFiles.describeSkipped(reports));
        spec.commandLine().getOut().printf("wrote %s: %d background + %d signal events%n", out, backgroundEvents, signalEvents);
        return Main.EXIT_OK;
    }

    /**
     * Images: the background streamed and N signal images chosen at random put in at random
     * positions, written as a float32 N x C x H x W {@code .npy}; its sidecar states the layout
     * and, as the truth the process column keeps for events, the positions (1, 2, ...) of the signal images.
     */
    private int mixImages(SplittableRandom random) {
        if (!ImageSample.isImageSample(background) || !ImageSample.isImageSample(signal)) {
            throw new UsageException("mix puts images into images or events into events: " + background + " and " + signal + " differ");
        }
        if (input.skipBadLines) {
            throw new UsageException("--skip-bad-lines skips lines of event files; images are mixed whole (a bad image stops the mix)");
        }
        if (!out.getFileName().toString().endsWith(".npy")) {
            throw new UsageException("--out " + out + ": mixed images are written as a .npy file; give a name ending in .npy");
        }
        // Strictly read, a sample holds the images it announces (its header, its PNG files), or
        // the read fails: the counts need no pass over the images.
        int[] shape;
        long signalImages;
        try (ImageSample s = ImageSample.open(signal, ParseMode.STRICT)) {
            shape = s.shape();
            signalImages = s.announced();
        }
        if (signalEvents > signalImages) {
            throw new UsageException("--signal-events " + signalEvents + " but " + signal + " holds only " + signalImages + " images");
        }
        int[] order = RandomOrder.permutation((int) signalImages, random);
        java.util.Map<Integer, Integer> slotOfImage = new java.util.HashMap<>(); // signal image -> its place among the chosen
        for (int i = 0; i < signalEvents; i++) {
            slotOfImage.put(order[i], i);
        }
        float[][] chosen = new float[signalEvents][];
        try (ImageSample s = ImageSample.open(signal, ParseMode.STRICT)) {
            for (int i = 0; s.hasNext(); i++) { // every image read: strict mode checks them all
                float[] image = s.next();
                Integer slot = slotOfImage.get(i);
                if (slot != null) {
                    chosen[slot] = image;
                }
            }
        }
        long backgroundImages;
        try (ImageSample b = ImageSample.open(background, ParseMode.STRICT)) {
            ImageSample.requireShape(background, b.shape(), signal, shape);
            backgroundImages = b.announced();
        }
        long total = backgroundImages + signalEvents;
        long[] positions = RandomOrder.positions(total, signalEvents, random);
        try (NpyWriter writer = new NpyWriter(out, Math.toIntExact(total), shape[0], shape[1], shape[2]);
             ImageSample b = ImageSample.open(background, ParseMode.STRICT)) {
            int nextSignal = 0;
            for (long position = 0; position < total; position++) {
                boolean isSignal = nextSignal < signalEvents && positions[nextSignal] == position;
                writer.write(isSignal ? chosen[nextSignal++] : b.next());
            }
            writer.commit();
        }
        com.fasterxml.jackson.databind.node.ObjectNode sidecar = Json.object();
        sidecar.put("layout", "NCHW");
        sidecar.put("background", background.toString());
        sidecar.put("signal", signal.toString());
        com.fasterxml.jackson.databind.node.ArrayNode truth = sidecar.putArray("signal_positions");
        for (long p : positions) {
            truth.add(p + 1);
        }
        Json.write(ImageSample.sidecarOf(out), sidecar);
        spec.commandLine().getOut().printf("wrote %s: %d background + %d signal images (their positions in %s)%n", out, backgroundImages,
                signalEvents, ImageSample.sidecarOf(out).getFileName());
        return Main.EXIT_OK;
    }
}
