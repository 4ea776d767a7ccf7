package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.darkscope.event.Event;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unweighting keeps each event with probability w / w_max, every kept event then weighing w_max. */
class UnweightCommandTest {
    @TempDir
    Path dir;

    /**
     * Two slices of 2,000 events of one process: one weighing 1 (odd IDs: every event kept), one
     * weighing 0.25 (even IDs: a quarter kept, binomially).
     */
    private Path sliced() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            boolean soft = i % 2 == 0;
            lines.add((i + 1) + ";wjets;" + (soft ? "1" : "0.25") + ";250000;0.5;j,"
                    + (700000 + i) + ",650000,0.3,1.2;");
        }
        return Files.write(dir.resolve("sliced.csv"), lines);
    }

    @Test
    void eachEventIsKeptByItsShareOfTheLargestWeightAndThenWeighsIt() throws IOException {
        Path sliced = sliced();
        Path out = dir.resolve("unweighted.csv");
        CliRunner r = CliRunner.run("unweight", sliced.toString(), "--out", out.toString(), "--seed", "3");
        assertEquals(0, r.exitCode(), r.err());
        List<Event> kept = EventFiles.read(out, ParseMode.STRICT, Long.MAX_VALUE);
        long hard = kept.stream().filter(e -> Long.parseLong(e.eventId()) % 2 == 0).count();
        assertEquals(2000, kept.size() - hard, "every event of the largest weight kept");
        assertEquals(500, hard, 4 * Math.sqrt(2000 * 0.25 * 0.75), "a quarter of the others, within four binomial deviations");
        assertTrue(kept.stream().allMatch(e -> e.weight() == 1.0), "each kept event weighs the largest weight");
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "kept %,d of 4,000 events (0.625, mean weight over the largest)",
                kept.size())), r.out());
        assertFalse(r.out().contains("every process has one weight"), "two slices of one process: " + r.out());
        // the same seed, the same bytes; another seed, other events
        Path again = dir.resolve("again.csv");
        assertEquals(0, CliRunner.run("unweight", sliced.toString(), "--out", again.toString(), "--seed", "3").exitCode());
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(again));
        Path other = dir.resolve("other.csv");
        assertEquals(0, CliRunner.run("unweight", sliced.toString(), "--out", other.toString(), "--seed", "4").exitCode());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(out), Files.readAllBytes(other)));
        // an existing output is not replaced without --force
        CliRunner refused = CliRunner.run("unweight", sliced.toString(), "--out", out.toString());
        assertEquals(2, refused.exitCode(), refused.err());
    }

    /** One weight per process (the challenge's mixtures, or single processes put together): it says what unweighting did. */
    @Test
    void oneWeightPerProcessIsSaidToChangeAMixture() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(sliced()));
        for (int i = 1; i < lines.size(); i += 2) { // the slice weighing 0.25 another process
            lines.set(i, lines.get(i).replace(";wjets;", ";ttbar;"));
        }
        Path mixture = Files.write(dir.resolve("mixture.csv"), lines);
        CliRunner r = CliRunner.run("unweight", mixture.toString(), "--out", dir.resolve("mixed.csv").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("note: every process has one weight: where the sample is already a mixture"), r.out());
    }

    @Test
    void aNegativeWeightIsRefusedNamingItsEvent() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(sliced()));
        lines.set(6, lines.get(6).replace(";1;", ";-1;"));
        Path nlo = Files.write(dir.resolve("nlo.csv"), lines);
        Path out = dir.resolve("none.csv");
        CliRunner r = CliRunner.run("unweight", nlo.toString(), "--out", out.toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains(nlo + ": event 7 (the 7-th read) has weight -1.0"), r.err());
        assertFalse(Files.exists(out), "nothing written");
    }
}
