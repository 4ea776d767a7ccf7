package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.darkscope.io.BundledSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command that takes two samples refuses one file given as both, before reading a model or an event. */
class DistinctSamplesTest {
    @TempDir
    Path dir;

    @Test
    void oneFileAsTwoSamplesIsRefusedByEveryCommand() throws IOException {
        Path sample = BundledSample.extractTo(dir.resolve("sample"));
        String background = sample.resolve(BundledSample.BACKGROUND).toString();
        Path copy = dir.resolve("copy of the background.csv.gz");
        Files.copy(Path.of(background), copy);
        String model = dir.resolve("no such model").toString();
        String out = dir.resolve("out").toString();
        List<List<String>> commands = List.of(
                List.of("evaluate", "--model", model, "--background", background, "--signal", copy.toString()),
                List.of("search", "--model", model, "--background", background, "--data", copy.toString()),
                List.of("mix", "--background", background, "--signal", copy.toString(), "--signal-events", "5", "--out", out),
                List.of("trigger", "calibrate", "--model", model, "--background", background, "--input-rate", "40e6",
                        "--rate", "1e5", "--signal", copy.toString()),
                List.of("trigger", "quantize", "--model", model, "--background", background, "--signal", copy.toString()),
                List.of("benchmark", "--train", background, "--background", background, "--signal", copy.toString(),
                        "--detectors", "met", "--out", out));
        for (List<String> command : commands) {
            CliRunner r = CliRunner.run(command.toArray(String[]::new));
            assertEquals(2, r.exitCode(), command + ": " + r.err());
            String second = command.contains("--data") ? "--data" : "--signal";
            assertTrue(r.err().contains(background + " and " + copy + " (the same events) given as --background and as " + second),
                    command + ": " + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
            assertFalse(Files.exists(Path.of(out)), "nothing written");
        }
    }

    /** One file twice in one sample would count its events twice: in a scores file, a trigger's rate, a training sample. */
    @Test
    void oneFileTwiceInOneSampleIsRefused() throws IOException {
        Path sample = BundledSample.extractTo(dir.resolve("sample"));
        String background = sample.resolve(BundledSample.BACKGROUND).toString();
        String signal = sample.resolve(BundledSample.SIGNALS.get(0)).toString();
        Path copy = dir.resolve("copy of the background.csv.gz");
        Files.copy(Path.of(background), copy);
        String model = dir.resolve("model").toString();
        assertEquals(0, CliRunner.run("train", "--detector", "met", "--background", signal, "--out", model).exitCode());
        String out = dir.resolve("out").toString();
        List<List<String>> commands = List.of(
                List.of("score", "--model", model, "--out", out, background, signal, copy.toString()),
                List.of("trigger", "calibrate", "--model", model, "--background", background, copy.toString(), "--input-rate", "40e6",
                        "--rate", "1e5"),
                List.of("benchmark", "--train", background, copy.toString(), "--background", signal, "--distortions",
                        "--detectors", "met", "--out", out));
        for (List<String> command : commands) {
            CliRunner r = CliRunner.run(command.toArray(String[]::new));
            assertEquals(2, r.exitCode(), command + ": " + r.err());
            String option = command.get(0).equals("score") ? "FILE" : command.get(0).equals("benchmark") ? "--train" : "--background";
            assertTrue(r.err().contains(background + " and " + copy + " (the same events) given as " + option
                    + " twice: give each file once"), command + ": " + r.err());
            assertFalse(Files.exists(Path.of(out)), "nothing written");
        }
        CliRunner once = CliRunner.run("score", "--model", model, "--out", out, background, signal);
        assertEquals(0, once.exitCode(), once.err());
    }
}
