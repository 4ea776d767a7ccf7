package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.event.Event;
import org.darkscope.io.BundledSample;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --weighted} on a sample made in slices: 60 % of the bundled background, of which the
 * events below 300 GeV of MET are thinned to one in four, each kept one weighing four times its
 * weight, as a generator run in slices of MET gives. Counted by their weights, the slices describe
 * the whole sample again; counted once, the soft events are four times too rare.
 */
class WeightedTrainingCommandTest {
    @TempDir
    static Path dir;
    private static BundledSample.Split split;
    private static Path sliced;

    @BeforeAll
    static void sample() throws IOException {
        split = BundledSample.extractAndSplit(dir.resolve("sample"), 0.6, "train.csv.gz", "test.csv.gz");
        List<String> kept = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(split.first()))))) {
            int soft = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] fields = line.split(";", -1);
                if (Double.parseDouble(fields[3]) >= 300_000) { // MET in MeV
                    kept.add(line);
                } else if (soft++ % 4 == 0) {
                    fields[2] = Double.toString(4 * Double.parseDouble(fields[2]));
                    kept.add(String.join(";", fields));
                }
            }
        }
        sliced = Files.write(dir.resolve("sliced.csv"), kept);
    }

    private static Path train(String detector, Path background, boolean weighted) {
        Path out = dir.resolve(detector + (weighted ? "-weighted" : "") + "-" + background.getFileName() + ".model");
        List<String> args = new ArrayList<>(List.of("train", "--detector", detector, "--background", background.toString(),
                "--out", out.toString(), "--force"));
        if (weighted) {
            args.add("--weighted");
        }
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(weighted, r.out().contains("background events counted by their weights"), r.out());
        assertEquals(!weighted && background.equals(sliced), r.out().contains("the background's event weights differ within a process"),
                "the note on weights where they are not counted: " + r.out());
        return out;
    }

    private static float[] scores(Path model, List<Event> events) {
        try (TrainedModel loaded = ModelBundle.load(model)) {
            return loaded.score(events);
        }
    }

    private static double meanDistance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }

    /**
     * On the held-out 40 %, the density learnt from the slices by their weights lies closer to the one
     * learnt from the whole sample than the density learnt from them counted once: for kde (a
     * density) and for the recommended combined (tail probabilities).
     */
    @Test
    void theSlicesByTheirWeightsDescribeTheWholeSample() {
        List<Event> heldOut = EventFiles.read(split.rest(), ParseMode.STRICT, Long.MAX_VALUE);
        for (String detector : List.of("kde", "combined")) {
            float[] whole = scores(train(detector, split.first(), false), heldOut);
            double byWeight = meanDistance(scores(train(detector, sliced, true), heldOut), whole);
            double once = meanDistance(scores(train(detector, sliced, false), heldOut), whole);
            assertTrue(byWeight < 0.75 * once, detector + ": mean |score - whole sample's| " + byWeight + " by weight, " + once + " counted once");
        }
        Path model = dir.resolve("kde-weighted-sliced.csv.model");
        CliRunner info = CliRunner.run("info", "--model", model.toString());
        assertTrue(info.out().contains("counted by their weights"), info.out());
        CliRunner json = CliRunner.run("info", "--model", model.toString(), "--json", dir.resolve("kde.json").toString());
        assertEquals(0, json.exitCode(), json.err());
    }

    /** The challenge's files weigh each process's events alike: counting those weights again changes the mixture, and train says so. */
    @Test
    void weightsOnePerProcessAreSaidToChangeAMixture() {
        CliRunner r = CliRunner.run("train", "--detector", "exceedance", "--background", split.first().toString(), "--weighted",
                "--out", dir.resolve("mixture.model").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("note: the background: every process has one weight: where the sample is already a mixture"), r.out());
    }

    @Test
    void aDetectorThatCountsEventsOnceIsRefusedNamingThoseThatDo() {
        CliRunner r = CliRunner.run("train", "--detector", "knn", "--background", sliced.toString(), "--weighted",
                "--out", dir.resolve("knn.model").toString());
        assertEquals(Main.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().contains("knn learns from events counted once each, so it cannot train --weighted")
                && r.err().contains("kde") && r.err().contains("flow") && r.err().contains("darkscope unweight"), r.err());
        assertFalse(Files.exists(dir.resolve("knn.model")));
        CliRunner info = CliRunner.run("info", "--detector", "knn");
        assertTrue(info.out().contains("train --weighted: refused"), info.out());
        assertTrue(CliRunner.run("info", "--detector", "gmm").out().contains("train --weighted: counts each background event by its weight"));
    }

    @Test
    void aNegativeWeightIsRefusedNamingItsEvent() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(sliced));
        String[] fields = lines.get(9).split(";", -1);
        fields[2] = "-" + fields[2];
        lines.set(9, String.join(";", fields));
        Path nlo = Files.write(dir.resolve("nlo.csv"), lines);
        CliRunner r = CliRunner.run("train", "--detector", "kde", "--background", nlo.toString(), "--weighted",
                "--out", dir.resolve("nlo.model").toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.exitCode());
        assertTrue(r.err().contains(nlo + ": event " + fields[0] + " (the 10-th read) has weight -"), r.err());
        assertFalse(Files.exists(dir.resolve("nlo.model")));
    }
}
