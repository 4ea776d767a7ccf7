package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.darkscope.io.BundledSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** trigger calibrate on the bundled sample: the threshold, its rate interval, the signals kept, and the refusal. */
class TriggerCommandTest {
    @TempDir
    Path dir;

    @Test
    void calibrateKeepsTheAskedRateOfTheBackgroundItWasGiven() throws IOException {
        BundledSample.Split split = BundledSample.extractAndSplit(dir.resolve("sample"), 0.6, "train.csv.gz", "test.csv.gz");
        Path model = dir.resolve("knn.model");
        assertEquals(0, CliRunner.run("train", "--detector", "knn", "--background", split.first().toString(), "--out", model.toString())
                .exitCode());
        Path json = dir.resolve("trigger.json");
        CliRunner r = CliRunner.run("trigger", "calibrate", "--model", model.toString(), "--background", split.rest().toString(),
                "--input-rate", "40e6", "--rate", "1e6", "--signal", split.signal(0).toString(), split.signal(1).toString(),
                "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode root = Json.MAPPER.readTree(json.toFile());
        for (String key : List.of("threshold", "input_rate_hz", "rate_hz", "background_efficiency", "rate_interval_hz",
                "background_events_above", "signals")) {
            assertTrue(root.has(key), "missing " + key);
        }
        double threshold = root.get("threshold").asDouble();
        float[] background = CliRunner.scores(model, split.rest(), dir.resolve("bkg-scores.csv"));
        long above = 0;
        for (float s : background) {
            above += s > threshold ? 1 : 0;
        }
        assertEquals(above, root.get("background_events_above").asLong());
        assertEquals(40e6 * above / background.length, root.get("rate_hz").asDouble(), 1e-6);
        double low = root.get("rate_interval_hz").get(0).asDouble();
        double high = root.get("rate_interval_hz").get(1).asDouble();
        assertTrue(low <= 1e6 && 1e6 <= high, "the asked rate lies in the stated interval: " + low + " - " + high);
        float[] signal = CliRunner.scores(model, split.signal(1), dir.resolve("sig-scores.csv"));
        long kept = 0;
        for (float s : signal) {
            kept += s > threshold ? 1 : 0;
        }
        assertEquals((double) kept / signal.length, root.get("signals").get(1).get("efficiency").asDouble(), 1e-12);

        Path refusedJson = dir.resolve("refused.json");
        CliRunner refused = CliRunner.run("trigger", "calibrate", "--model", model.toString(), "--background", split.rest().toString(),
                "--input-rate", "40e6", "--rate", "1000", "--json", refusedJson.toString());
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(refused.err().startsWith("darkscope trigger calibrate: error: the background sample cannot resolve"), refused.err());
        assertFalse(Files.exists(refusedJson));
        assertEquals(2, CliRunner.run("trigger").exitCode());
    }
}
