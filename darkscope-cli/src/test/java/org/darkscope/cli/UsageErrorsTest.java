package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command line that does not parse is answered in a few lines (the error, what may have been
 * meant, the synopsis), never with the whole help, in which {@code train}'s error was followed by
 * 270 lines of every detector's settings.
 */
class UsageErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aFileGivenWithoutItsOptionIsNamedWithTheOptionsThatReadFiles() throws IOException {
        Path events = Files.writeString(dir.resolve("events.csv"), "");
        CliRunner r = CliRunner.run("train", "--detector", "kde", "--out", dir.resolve("m.model").toString(), events.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("darkscope train: error: Unmatched argument at index 5: '" + events + "'"), r.err());
        assertTrue(r.err().contains(events + " is a file given without an option: darkscope train reads files with --background, "
                + "--signal, --data."), r.err());
        assertTrue(r.err().contains("Usage: darkscope train [-hV]") && r.err().endsWith("darkscope train --help describes its options."
                + System.lineSeparator()), r.err());
        assertFalse(r.err().contains("kde (reads"), "the settings list is the help's, not the error's: " + r.err());
        assertTrue(r.err().lines().count() < 15, r.err());
        assertFalse(Files.exists(dir.resolve("m.model")));
    }

    @Test
    void aMistypedOptionIsNamedBesideTheRequiredOptionItLeftMissing() {
        CliRunner r = CliRunner.run("evaluate", "--model", "m", "--backgroud", "b.csv", "--signal", "s.csv");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("darkscope evaluate: error: Missing required option: '--background=FILE'"), r.err());
        assertTrue(r.err().contains("darkscope evaluate: error: Unknown options: '--backgroud', 'b.csv'"), r.err());
        assertTrue(r.err().contains("Possible solutions: --background"), r.err());
        assertFalse(r.err().contains("given without an option"), "b.csv is the mistyped option's value: " + r.err());
    }

    /**
     * A mistyped option after the files of an option that takes several is a usage error naming the
     * option meant, not one more file to read ("--jsno: no such file", exit 3, before); a value of
     * {@code -} (standard output) and a negative number are still values.
     */
    @Test
    void aMistypedOptionAfterAListOfFilesIsNotTakenAsOneOfThem() throws IOException {
        Path signal = Files.writeString(dir.resolve("s.csv"), "");
        CliRunner r = CliRunner.run("evaluate", "--model", "m", "--background", "b.csv", "--signal", signal.toString(), "--jsno",
                dir.resolve("out.json").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("darkscope evaluate: error: Unknown option: '--jsno'"), r.err());
        assertTrue(r.err().contains("Possible solutions: --json"), r.err());
        assertFalse(r.err().contains("no such file"), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.contains("error:")).count(), r.err());
        CliRunner minus = CliRunner.run("score", "--model", dir.resolve("missing").toString(), "--out", "-", signal.toString());
        assertEquals(3, minus.exitCode(), minus.err()); // the missing bundle, read after the options parsed
        CliRunner seed = CliRunner.run("split", signal.toString(), "--train", dir.resolve("t.csv").toString(), "--held-out",
                dir.resolve("h.csv").toString(), "--seed", "-3");
        assertFalse(seed.err().contains("Unknown option"), seed.err());
    }

    @Test
    void aMistypedCommandIsAnsweredWithTheCommandsItMayMean() {
        CliRunner r = CliRunner.run("trian");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("darkscope train"), r.err());
        assertTrue(r.err().contains("Usage: darkscope [-hV] [COMMAND]"), r.err());
    }
}
