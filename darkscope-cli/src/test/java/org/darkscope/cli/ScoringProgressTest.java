package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The progress line of a long scoring: when it shows, what it says, and that it leaves a clean line behind. */
class ScoringProgressTest {
    private static final long SECOND = 1_000_000_000L;

    /** A clock the test moves by hand, in nanoseconds. */
    private long now = 5 * SECOND;

    @Test
    void showsAfterTwoSecondsAtMostTwiceASecondAndErasesItselfWhenTheFileIsDone() {
        StringWriter text = new StringWriter();
        ScoringProgress progress = new ScoringProgress(new PrintWriter(text), "evaluate", true, () -> now);
        Path file = Path.of("/data/big.csv");
        now += SECOND;
        progress.scored(file, 8_192);
        assertEquals("", text.toString(), "nothing in the first two seconds");
        now += 3 * SECOND / 2; // 2.5 s after the start
        progress.scored(file, 20_000);
        String first = "\revaluate: big.csv  20,000 events  8,000 events/s";
        assertEquals(first, text.toString());
        now += SECOND / 4;
        progress.scored(file, 22_000);
        assertEquals(first, text.toString(), "not redrawn within half a second");
        now += SECOND / 4; // 3 s
        progress.scored(file, 300_000);
        String second = "\revaluate: big.csv  300,000 events  100,000 events/s";
        assertEquals(first + second, text.toString());
        progress.finished(file);
        String erased = "\r" + " ".repeat(second.length() - 1) + "\r";
        assertEquals(first + second + erased, text.toString(), "the line blanked, the cursor at its start");
        // the next file is timed from the end of the one before: nothing in its first two seconds
        now += SECOND;
        progress.scored(Path.of("signal.csv"), 8_192);
        progress.finished(Path.of("signal.csv"));
        assertEquals(first + second + erased, text.toString(), "a file scored in under two seconds shows nothing");
    }

    @Test
    void aShorterLineCoversTheLongerOneBeforeIt() {
        StringWriter text = new StringWriter();
        ScoringProgress progress = new ScoringProgress(new PrintWriter(text), "score", true, () -> now);
        Path file = Path.of("a.csv");
        now += 2 * SECOND;
        progress.scored(file, 2_000_000); // "score: a.csv  2,000,000 events  1,000,000 events/s"
        now += 98 * SECOND;
        progress.scored(file, 2_000_001); // 20,000 events/s: seven characters shorter
        String[] lines = text.toString().split("\r", -1);
        assertEquals(3, lines.length, text.toString());
        assertEquals(lines[1].length(), lines[2].length(), "padded to the length of the line it overwrites");
        assertEquals("score: a.csv  2,000,001 events  20,000 events/s", lines[2].strip());
    }

    @Test
    void nothingWhereNoOneWatches() {
        StringWriter text = new StringWriter();
        ScoringProgress progress = new ScoringProgress(new PrintWriter(text), "score", false, () -> now);
        for (int i = 1; i <= 10; i++) {
            now += SECOND;
            progress.scored(Path.of("a.csv"), 100_000L * i);
        }
        progress.finished(Path.of("a.csv"));
        assertEquals("", text.toString());
    }

    /** Whether standard error is a terminal is what the launcher says; a CI job never draws. */
    @Test
    void standardErrorIsATerminalWhereTheLauncherSaysSo() {
        String before = System.getProperty(ProgressBar.STDERR_TERMINAL);
        try {
            System.setProperty(ProgressBar.STDERR_TERMINAL, "false");
            assertEquals(false, ProgressBar.interactive());
            System.setProperty(ProgressBar.STDERR_TERMINAL, "true");
            assertEquals(System.getenv("CI") == null, ProgressBar.interactive());
        } finally {
            if (before == null) {
                System.clearProperty(ProgressBar.STDERR_TERMINAL);
            } else {
                System.setProperty(ProgressBar.STDERR_TERMINAL, before);
            }
        }
    }

    /** Training's steps without epochs: a line each with --verbose, nothing where standard error is no terminal. */
    @Test
    void trainingStepsAreLinesWhenVerboseAndSilentInALog() {
        String before = System.getProperty(ProgressBar.STDERR_TERMINAL);
        try {
            System.setProperty(ProgressBar.STDERR_TERMINAL, "false");
            java.io.StringWriter verbose = new java.io.StringWriter();
            new ProgressBar(new java.io.PrintWriter(verbose), "combined", true).onStep("calibrating kde out of fold", 2, 5);
            assertEquals("combined: calibrating kde out of fold 2/5" + System.lineSeparator(), verbose.toString());
            java.io.StringWriter log = new java.io.StringWriter();
            new ProgressBar(new java.io.PrintWriter(log), "combined", false).onStep("calibrating kde out of fold", 2, 5);
            assertEquals("", log.toString());
        } finally {
            if (before == null) {
                System.clearProperty(ProgressBar.STDERR_TERMINAL);
            } else {
                System.setProperty(ProgressBar.STDERR_TERMINAL, before);
            }
        }
    }
}
