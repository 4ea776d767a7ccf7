package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.darkscope.event.Event;
import org.darkscope.io.BundledSample;
import org.darkscope.io.EventFiles;
import org.darkscope.io.EventWriter;
import org.darkscope.io.ImageSample;
import org.darkscope.io.NpyWriter;
import org.darkscope.io.ParseMode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code darkscope split}: two disjoint parts that together are the sample, in its order, the same for the same seed. */
class SplitCommandTest {
    @TempDir
    Path dir;

    private List<String> lines;
    private Path background;

    @BeforeEach
    void sample() {
        background = BundledSample.extractTo(dir.resolve("sample")).resolve(BundledSample.BACKGROUND);
        lines = read(background);
    }

    private static List<String> read(Path file) {
        return EventFiles.read(file, ParseMode.STRICT, -1).stream().map(EventWriter::format).toList();
    }

    private CliRunner split(String train, String heldOut, String... more) {
        List<String> args = new ArrayList<>(List.of("split", background.toString(), "--train", dir.resolve(train).toString(),
                "--held-out", dir.resolve(heldOut).toString()));
        args.addAll(List.of(more));
        return CliRunner.run(args.toArray(String[]::new));
    }

    /** Whether {@code part} is {@code whole} with some lines left out, in the same order. */
    private static boolean subsequence(List<String> part, List<String> whole) {
        int i = 0;
        for (String line : whole) {
            if (i < part.size() && part.get(i).equals(line)) {
                i++;
            }
        }
        return i == part.size();
    }

    @Test
    void randomPartsAreDisjointAndMakeTheSampleWithTheAskedShare() throws IOException {
        CliRunner r = split("train.csv.gz", "test.csv", "--train-fraction", "0.3");
        assertEquals(0, r.exitCode(), r.err());
        List<String> train = read(dir.resolve("train.csv.gz"));
        List<String> test = read(dir.resolve("test.csv"));
        assertEquals(Math.round(0.3 * lines.size()), train.size());
        assertEquals(lines.size(), train.size() + test.size());
        // every event of the sample in exactly one part: as multisets of lines, train + test = the sample
        Map<String, Integer> counts = new HashMap<>();
        lines.forEach(l -> counts.merge(l, 1, Integer::sum));
        for (String l : train) {
            counts.merge(l, -1, Integer::sum);
        }
        for (String l : test) {
            counts.merge(l, -1, Integer::sum);
        }
        assertTrue(counts.values().stream().allMatch(c -> c == 0));
        assertTrue(subsequence(train, lines) && subsequence(test, lines), "each part keeps the sample's order");
        assertNotEquals(lines.subList(0, train.size()), train, "a random part, not the first events");
        assertTrue(r.out().contains(String.format("%,d events to train on", train.size())), r.out());

        // the same seed, the same bytes; another seed, other events
        assertEquals(0, split("again.csv.gz", "again-test.csv", "--train-fraction", "0.3").exitCode());
        assertArrayEquals(Files.readAllBytes(dir.resolve("train.csv.gz")), Files.readAllBytes(dir.resolve("again.csv.gz")));
        assertEquals(0, split("other.csv", "other-test.csv", "--train-fraction", "0.3", "--seed", "7").exitCode());
        assertNotEquals(train, read(dir.resolve("other.csv")));
    }

    @Test
    void fileOrderTakesTheFirstEvents() {
        assertEquals(0, split("first.csv", "rest.csv", "--order", "file").exitCode());
        int n = (int) Math.round(0.6 * lines.size());
        assertEquals(lines.subList(0, n), read(dir.resolve("first.csv")));
        assertEquals(lines.subList(n, lines.size()), read(dir.resolve("rest.csv")));
    }

    @Test
    void aModelTrainedOnOnePartIsJudgedOnTheOtherAndRefusedOnTheWhole() {
        assertEquals(0, split("train.csv", "test.csv").exitCode());
        Path model = dir.resolve("kde.model");
        Path train = dir.resolve("train.csv");
        assertEquals(0, CliRunner.run("train", "--detector", "kde", "--background", train.toString(), "--out", model.toString())
                .exitCode());
        String signal = background.resolveSibling(BundledSample.SIGNALS.get(1)).toString();
        CliRunner heldOut = CliRunner.run("evaluate", "--model", model.toString(), "--background", dir.resolve("test.csv").toString(),
                "--signal", signal);
        assertEquals(0, heldOut.exitCode(), heldOut.err());
        CliRunner whole = CliRunner.run("evaluate", "--model", model.toString(), "--background", background.toString(), "--signal", signal);
        assertEquals(2, whole.exitCode());
        assertTrue(whole.err().contains("holds events the model was trained on") && whole.err().contains("darkscope split"), whole.err());
    }

    @Test
    void refusesWhatWouldLoseOrMeanNothing() throws IOException, InterruptedException {
        Path existing = dir.resolve("existing.csv");
        Files.writeString(existing, "keep me\n");
        String[][] refused = {
            {"existing.csv", "test.csv"},
            {"a.csv", "a.csv"},
            {"a.csv", "b.csv", "--train-fraction", "1"},
            {"a.csv", "b.csv", "--train-fraction", "0"},
            {"a.csv", "b.csv", "--train-fraction", "0.00001"},
            {"a.csv", "b.csv", "--order", "shuffled"},
            {"a.csv", "b.csv", "--order", "file", "--seed", "7"},
            {"a.npy", "b.npy"},
        };
        for (String[] args : refused) {
            String[] more = java.util.Arrays.copyOfRange(args, 2, args.length);
            CliRunner r = split(args[0], args[1], more);
            assertEquals(2, r.exitCode(), String.join(" ", args) + ": " + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
            assertFalse(Files.exists(dir.resolve("a.csv")) || Files.exists(dir.resolve("test.csv")), "nothing written");
        }
        assertEquals("keep me\n", Files.readString(existing));
        CliRunner overInput = CliRunner.run("split", background.toString(), "--train", background.toString(), "--held-out",
                dir.resolve("b.csv").toString(), "--force");
        assertEquals(2, overInput.exitCode());
        assertTrue(overInput.err().contains("would overwrite the input"), overInput.err());
        CliRunner stdin = CliRunner.run("split", "-", "--train", dir.resolve("a.csv").toString(), "--held-out", dir.resolve("b.csv").toString());
        assertEquals(2, stdin.exitCode());
        assertTrue(stdin.err().contains("standard input can be read once: give a file"), stdin.err());
        Path fifo = dir.resolve("pipe");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) { // where mkfifo exists
            CliRunner pipe = CliRunner.run("split", fifo.toString(), "--train", dir.resolve("a.csv").toString(), "--held-out",
                    dir.resolve("b.csv").toString());
            assertEquals(2, pipe.exitCode());
            assertTrue(pipe.err().contains("split reads " + fifo + " twice (to count its events, then to split them), and a pipe can be "
                    + "read once: give a file"), pipe.err());
            CliRunner mix = CliRunner.run("mix", "--background", fifo.toString(), "--signal", background.toString(), "--signal-events", "1",
                    "--out", dir.resolve("a.csv").toString());
            assertEquals(2, mix.exitCode());
            assertTrue(mix.err().contains("mix reads " + fifo + " twice"), mix.err());
        }
        assertEquals(0, split("existing.csv", "test.csv", "--force").exitCode(), "--force replaces");
    }

    @Test
    void badLinesStopTheSplitOrAreSkippedAndCounted() throws IOException {
        Path bad = dir.resolve("bad.csv");
        List<String> withBadLine = new ArrayList<>(lines.subList(0, 10));
        withBadLine.add(4, "1;ttbar;1;not-a-number;0.1;");
        Files.write(bad, withBadLine);
        String a = dir.resolve("a.csv").toString();
        String b = dir.resolve("b.csv").toString();
        CliRunner strict = CliRunner.run("split", bad.toString(), "--train", a, "--held-out", b);
        assertEquals(3, strict.exitCode());
        assertTrue(strict.err().contains(bad + ":5"), strict.err());
        assertFalse(Files.exists(Path.of(a)) || Files.exists(Path.of(b)), "nothing written");
        CliRunner lenient = CliRunner.run("split", bad.toString(), "--train", a, "--held-out", b, "--skip-bad-lines");
        assertEquals(0, lenient.exitCode(), lenient.err());
        assertEquals(10, read(Path.of(a)).size() + read(Path.of(b)).size());
        assertTrue(lenient.err().contains("1 bad line"), lenient.err());
    }

    @Test
    void imagesSplitIntoNpyFilesOfTheSampleImages() throws IOException {
        Path npy = dir.resolve("images.npy");
        int n = 10;
        try (NpyWriter writer = new NpyWriter(npy, n, 1, 2, 3)) {
            for (int i = 0; i < n; i++) {
                writer.write(new float[] {i, i + 0.5f, 2, 3, 4, 5});
            }
            writer.commit();
        }
        Files.writeString(dir.resolve("images.npy" + ImageSample.SIDECAR), "{\"layout\": \"NCHW\"}");
        CliRunner r = CliRunner.run("split", npy.toString(), "--train", dir.resolve("a.npy").toString(), "--held-out",
                dir.resolve("b.npy").toString(), "--train-fraction", "0.7");
        assertEquals(0, r.exitCode(), r.err());
        List<Float> firsts = new ArrayList<>();
        for (String part : List.of("a.npy", "b.npy")) {
            try (ImageSample s = ImageSample.open(dir.resolve(part), ParseMode.STRICT)) {
                assertArrayEquals(new int[] {1, 2, 3}, s.shape());
                assertEquals(part.equals("a.npy") ? 7 : 3, s.announced());
                while (s.hasNext()) {
                    float[] image = s.next();
                    assertEquals(image[0] + 0.5f, image[1]);
                    firsts.add(image[0]);
                }
            }
        }
        assertEquals(List.of(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f), firsts.stream().sorted().toList());
        assertTrue(Files.readString(dir.resolve("a.npy" + ImageSample.SIDECAR)).replaceAll("\\s", "")
                .contains("\"part_of\":[\"" + npy.toString().replace("\\", "\\\\") + "\"]"));
        Path otherShape = dir.resolve("other.npy");
        try (NpyWriter writer = new NpyWriter(otherShape, 2, 1, 3, 2)) {
            writer.write(new float[6]);
            writer.write(new float[6]);
            writer.commit();
        }
        Files.writeString(dir.resolve("other.npy" + ImageSample.SIDECAR), "{\"layout\": \"NCHW\"}");
        CliRunner shapes = CliRunner.run("split", npy.toString(), otherShape.toString(), "--train", dir.resolve("c.npy").toString(),
                "--held-out", dir.resolve("d.npy").toString());
        assertEquals(3, shapes.exitCode(), shapes.err());
        assertTrue(shapes.err().contains(otherShape + ": images of [1, 3, 2], " + npy + "'s are [1, 2, 3]"), shapes.err());
        CliRunner kinds = CliRunner.run("split", npy.toString(), background.toString(), "--train", dir.resolve("c.npy").toString(),
                "--held-out", dir.resolve("d.npy").toString());
        assertEquals(2, kinds.exitCode(), kinds.err());
        assertTrue(kinds.err().contains("mixes image samples and event files"), kinds.err());
        assertFalse(Files.exists(dir.resolve("c.npy")) || Files.exists(dir.resolve("d.npy")), "nothing written");
    }
}
