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
        // the signal efficiency's central 68.27 % Clopper-Pearson interval, from the beta distribution's quantiles
        JsonNode signalInterval = root.get("signals").get(1).get("efficiency_interval");
        double tail = (1 - 0.6827) / 2;
        assertEquals(org.apache.commons.statistics.distribution.BetaDistribution.of(kept, signal.length - kept + 1)
                .inverseCumulativeProbability(tail), signalInterval.get(0).asDouble(), 1e-9);
        assertEquals(org.apache.commons.statistics.distribution.BetaDistribution.of(kept + 1, signal.length - kept)
                .inverseCumulativeProbability(1 - tail), signalInterval.get(1).asDouble(), 1e-9);
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "(68 %% interval %.4g - %.4g)",
                signalInterval.get(0).asDouble(), signalInterval.get(1).asDouble())), r.out());

        Path refusedJson = dir.resolve("refused.json");
        CliRunner refused = CliRunner.run("trigger", "calibrate", "--model", model.toString(), "--background", split.rest().toString(),
                "--input-rate", "40e6", "--rate", "1000", "--json", refusedJson.toString());
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(refused.err().startsWith("darkscope trigger calibrate: error: the background sample cannot resolve"), refused.err());
        assertFalse(Files.exists(refusedJson));
        String[][] rates = {{"0", "1000", "--input-rate must be a positive, finite rate in Hz, got 0.0"},
            {"40e6", "Infinity", "--rate must be a positive, finite rate in Hz, got Infinity"},
            {"40e6", "50e6", "--rate 5.0E7 Hz is above --input-rate 4.0E7 Hz"}};
        for (String[] given : rates) {
            CliRunner bad = CliRunner.run("trigger", "calibrate", "--model", model.toString(), "--background", split.rest().toString(),
                    "--input-rate", given[0], "--rate", given[1]);
            assertEquals(2, bad.exitCode(), bad.err());
            assertTrue(bad.err().contains(given[2]), bad.err());
        }
        assertEquals(2, CliRunner.run("trigger").exitCode());
    }

    /** quantize: at 18 bits the fixed-point autoencoder is the float one to within its resolution; at 6 it is not; knn is refused. */
    @Test
    void quantizeComparesFixedPointWithFloat() throws IOException {
        BundledSample.Split split = BundledSample.extractAndSplit(dir.resolve("q"), 0.6, "train.csv.gz", "test.csv.gz");
        Path model = dir.resolve("ae.model");
        assertEquals(0, CliRunner.run("train", "--detector", "ae", "--background", split.first().toString(), "--out", model.toString(),
                "--epochs", "5").exitCode());
        Path json = dir.resolve("quantize.json");
        Path report = dir.resolve("quantize-report");
        CliRunner r = CliRunner.run("trigger", "quantize", "--model", model.toString(), "--bits", "18", "--integer-bits", "6",
                "--rounding", "rnd", "--saturation", "sat", "--background", split.rest().toString(), "--signal", split.signal(1).toString(),
                "--json", json.toString(), "--report", report.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode root = Json.MAPPER.readTree(json.toFile());
        for (String key : List.of("bits", "integer_bits", "rounding", "saturation", "accept_rate_float", "accept_rate_fixed", "signals", "scan")) {
            assertTrue(root.has(key), "missing " + key);
        }
        assertEquals("rnd", root.get("rounding").asText());
        JsonNode signal = root.get("signals").get(0);
        assertEquals(signal.get("auc_float").asDouble(), signal.get("auc_fixed").asDouble(), 0.01, "18 bits: as good as float");
        assertEquals(root.get("accept_rate_float").asDouble(), root.get("accept_rate_fixed").asDouble(), 0.01);
        assertEquals(TriggerQuantizeCommand.SCAN_TO - TriggerQuantizeCommand.SCAN_FROM + 1, root.get("scan").size());
        JsonNode narrowest = root.get("scan").get(0);
        assertEquals(TriggerQuantizeCommand.SCAN_FROM, narrowest.get("bits").asInt());
        double floatRate = root.get("accept_rate_float").asDouble();
        // 6 bits with 6 integer bits: whole numbers alone, far from the float model's accept rate
        assertTrue(Math.abs(narrowest.get("accept_rate_fixed").asDouble() - floatRate) > 0.25 * floatRate,
                "6 bits cannot hold the float model's threshold (" + floatRate + "): " + narrowest);
        assertTrue(Files.readString(report.resolve("quantization.html")).contains("<h2>Provenance</h2>"));

        Path knn = dir.resolve("knn-q.model");
        assertEquals(0, CliRunner.run("train", "--detector", "knn", "--background", split.first().toString(), "--out", knn.toString())
                .exitCode());
        CliRunner refused = CliRunner.run("trigger", "quantize", "--model", knn.toString(), "--background", split.rest().toString(),
                "--signal", split.signal(1).toString());
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("knn is not one"), refused.err());
    }
}
