package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        List<String> twice = new ArrayList<>(List.of("trigger", "calibrate", "--model", model, "--background", background,
                copy.toString(), "--input-rate", "40e6", "--rate", "1e5"));
        CliRunner r = CliRunner.run(twice.toArray(String[]::new));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("given as --background twice"), r.err());
    }
}
