package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.darkscope.io.BundledSample;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model is judged in the channel it was trained in: evaluate and search leave out, and say, the
 * events outside it, so that a file holding them judges as the file without them; score and the
 * trigger see every event, and the trigger's tools say how many lie outside.
 */
class ChannelSelectionTest {
    /** MET of the events moved out of channel 1: 150 GeV, below its 200 GeV cut. */
    private static final String LOW_MET_MEV = "150000";
    private static final int EVENTS = 400;

    @TempDir
    Path dir;
    private Path mixed;
    private Path selected;
    private Path signal;
    private Path model;

    @BeforeEach
    void files() throws IOException {
        Path sample = BundledSample.extractTo(dir.resolve("sample"));
        signal = sample.resolve(BundledSample.SIGNALS.get(0));
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(sample.resolve(BundledSample.BACKGROUND))), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null && lines.size() < EVENTS; line = in.readLine()) {
                lines.add(line);
            }
        }
        List<String> withOutside = new ArrayList<>();
        List<String> inside = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (i % 4 == 3) {
                String[] fields = lines.get(i).split(";", -1);
                fields[3] = LOW_MET_MEV; // event ID; process ID; event weight; MET; ...
                withOutside.add(String.join(";", fields));
            } else {
                withOutside.add(lines.get(i));
                inside.add(lines.get(i));
            }
        }
        mixed = Files.write(dir.resolve("mixed.csv"), withOutside);
        selected = Files.write(dir.resolve("selected.csv"), inside);
        model = dir.resolve("met.model");
        CliRunner train = CliRunner.run("train", "--detector", "met", "--background", selected.toString(), "--out", model.toString());
        assertEquals(0, train.exitCode(), train.err());
    }

    private JsonNode evaluate(Path background, String name) throws IOException {
        Path json = dir.resolve(name + ".json");
        CliRunner r = CliRunner.run("evaluate", "--model", model.toString(), "--background", background.toString(),
                "--signal", signal.toString(), "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        if (background.equals(mixed)) {
            assertTrue(r.err().contains(mixed + ": 100 of 400 events lie outside chan1, the model's channel: not judged"), r.err());
        } else {
            assertFalse(r.err().contains("outside"), r.err());
        }
        return Json.MAPPER.readTree(json.toFile());
    }

    /** Channel-1 events trained in chan2a (three leptons) are none of them in it: exit 3, and the channel is named as the likely mistake. */
    @Test
    void trainingInAChannelTheSampleIsNotInNamesTheChannel() throws IOException {
        long passing = 0; // chan2a by hand: MET >= 50 GeV and three electrons or muons above 15 GeV
        for (String line : Files.readAllLines(selected)) {
            String[] fields = line.split(";");
            long leptons = java.util.Arrays.stream(fields).skip(5).map(o -> o.split(","))
                    .filter(o -> o[0].matches("[em][+-]") && Double.parseDouble(o[2]) > 15_000).count();
            passing += Double.parseDouble(fields[3]) >= 50_000 && leptons >= 3 ? 1 : 0;
        }
        CliRunner r = CliRunner.run("train", "--detector", "kde", "--background", selected.toString(), "--channel", "chan2a",
                "--out", dir.resolve("kde.model").toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(passing < 2, passing + " pass: the sample is too few in chan2a to train on");
        assertTrue(r.err().contains("only " + passing + " of the " + (EVENTS - EVENTS / 4) + " background events read pass chan2a:"
                + " too few to train on; is --channel chan2a the channel the sample was selected in (chan1, chan2a, chan2b, chan3)?"), r.err());
        assertFalse(Files.exists(dir.resolve("kde.model")), "nothing written");
    }

    @Test
    void evaluateJudgesTheChannelsEventsAndSaysHowManyItLeftOut() throws IOException {
        JsonNode withOutside = evaluate(mixed, "mixed");
        JsonNode inside = evaluate(selected, "selected");
        assertEquals(300, withOutside.get("background").get("events").asLong());
        assertEquals(inside.get("signals"), withOutside.get("signals"));
    }

    @Test
    void searchJudgesTheChannelsEvents() {
        CliRunner r = CliRunner.run("search", "--model", model.toString(), "--background", mixed.toString(), "--data",
                signal.toString(), "--toys", "20", "--seed", "1");
        CliRunner s = CliRunner.run("search", "--model", model.toString(), "--background", selected.toString(), "--data",
                signal.toString(), "--toys", "20", "--seed", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(0, s.exitCode(), s.err());
        assertTrue(r.err().contains("100 of 400 events lie outside chan1"), r.err());
        assertEquals(s.out(), r.out());
    }

    @Test
    void scoreAndTheTriggerScoreEveryEventAndTheTriggerSaysHowManyLieOutside() throws IOException {
        Path scores = dir.resolve("scores.csv");
        CliRunner r = CliRunner.run("score", "--model", model.toString(), "--out", scores.toString(), mixed.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(EVENTS + 1, Files.readAllLines(scores).size(), "a header and every event");
        CliRunner trigger = CliRunner.run("trigger", "calibrate", "--model", model.toString(), "--background", mixed.toString(),
                "--input-rate", "40e6", "--rate", "4e6");
        assertEquals(0, trigger.exitCode(), trigger.err());
        assertTrue(trigger.err().contains(mixed + ": 100 of 400 events lie outside chan1, the model's channel: scored all the same"),
                trigger.err());
    }

    @Test
    void theProtocolsDistortionsAndTheFixedPointTriggerSayHowManyLieOutside() {
        CliRunner benchmark = CliRunner.run("benchmark", "--train", selected.toString(), "--background", mixed.toString(),
                "--distortions", "--detectors", "met", "--out", dir.resolve("protocol").toString());
        assertEquals(0, benchmark.exitCode(), benchmark.err());
        assertTrue(benchmark.err().contains(mixed + ": 100 of 400 events lie outside chan1, the model's channel: not judged"),
                benchmark.err());
        Path ae = dir.resolve("ae.model");
        CliRunner train = CliRunner.run("train", "--detector", "ae", "--background", selected.toString(), "--out", ae.toString(),
                "--epochs", "1");
        assertEquals(0, train.exitCode(), train.err());
        CliRunner quantize = CliRunner.run("trigger", "quantize", "--model", ae.toString(), "--bits", "16", "--integer-bits", "8",
                "--background", mixed.toString(), "--signal", signal.toString(), "--allow-training-overlap", "--threshold", "1");
        assertEquals(0, quantize.exitCode(), quantize.err());
        assertTrue(quantize.err().contains(mixed + ": 100 of 400 events lie outside chan1, the model's channel: scored all the same"),
                quantize.err());
    }
}
