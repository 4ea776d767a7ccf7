package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.darkscope.event.Distortion;
import org.darkscope.event.Event;
import org.darkscope.io.BundledSample;
import org.darkscope.io.EventFiles;
import org.darkscope.io.EventWriter;
import org.darkscope.io.ParseMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signal-agnostic protocol ({@code --distortions}), learning curves ({@code --training-sizes})
 * and the {@code default} alias, on a small slice of the bundled sample.
 */
class ProtocolCommandTest {
    @TempDir
    static Path dir;
    static Path train;
    static Path test;
    static Path out;
    static JsonNode results;

    @BeforeAll
    static void runProtocol() throws IOException {
        BundledSample.Split split = BundledSample.extractAndSplit(dir.resolve("sample"), 0.6, "train.csv.gz", "test.csv.gz");
        train = split.first();
        // a small held-out slice keeps the test quick
        test = dir.resolve("test-slice.csv.gz");
        EventWriter.write(test, EventFiles.read(split.rest(), ParseMode.STRICT, 600));
        out = dir.resolve("protocol");
        CliRunner r = CliRunner.run("benchmark", "--train", train.toString(), "--background", test.toString(),
                "--distortions", "--training-sizes", "300,1000", "--detectors", "knn,default,gmm:components=2",
                "--out", out.toString(), "--epochs", "2", "--seed", "3");
        assertEquals(0, r.exitCode(), r.err());
        results = Json.MAPPER.readTree(out.resolve("results.json").toFile());
    }

    @Test
    void everyDetectorIsJudgedOnEveryDistortionWithItsTrainingTime() {
        assertEquals(3, results.get("results").size());
        for (JsonNode result : results.get("results")) {
            Set<String> names = new HashSet<>();
            result.get("signals").forEach(s -> names.add(s.get("name").asText()));
            for (Distortion d : Distortion.values()) {
                assertTrue(names.contains(d.sampleName()), result.get("detector") + " lacks " + d.sampleName());
            }
            assertEquals(300, result.get("signals").get(0).get("events").asInt(), "the odd half of 600 events");
            assertTrue(result.get("training_seconds").asDouble() >= 0);
            double mean = 0;
            for (JsonNode s : result.get("signals")) {
                mean += s.get("auc").asDouble() / Distortion.values().length;
            }
            assertEquals(mean, result.get("distortions").get("mean_auc").asDouble(), 1e-12);
        }
        assertEquals("gmm:components=2", results.get("results").get(2).get("detector").asText());
    }

    /** A pseudo-signal rebuilt by the test from the protocol's description, scored by the score command, gives the reported AUC. */
    @Test
    void distortedAucAgreesWithAnIndependentRebuild() throws IOException {
        List<Event> events = EventFiles.read(test, ParseMode.STRICT, -1);
        List<Event> even = new ArrayList<>();
        List<Event> distorted = new ArrayList<>();
        Distortion d = Distortion.EXTRA_LEPTON;
        SplittableRandom random = new SplittableRandom(Distortion.PROTOCOL_SEED + d.ordinal());
        for (int i = 0; i < events.size(); i++) {
            if (i % 2 == 0) {
                even.add(events.get(i));
            } else {
                distorted.add(d.apply(events.get(i), random));
            }
        }
        Path evenFile = dir.resolve("even.csv.gz");
        Path distortedFile = dir.resolve("distorted.csv.gz");
        EventWriter.write(evenFile, even);
        EventWriter.write(distortedFile, distorted);
        float[] b = score(evenFile);
        float[] s = score(distortedFile);
        double wins = 0;
        for (float si : s) {
            for (float bj : b) {
                wins += si > bj ? 1 : si == bj ? 0.5 : 0;
            }
        }
        JsonNode reported = null;
        for (JsonNode signal : results.get("results").get(0).get("signals")) {
            if (signal.get("name").asText().equals(d.sampleName())) {
                reported = signal;
            }
        }
        assertEquals(wins / ((double) s.length * b.length), reported.get("auc").asDouble(), 1e-9);
    }

    private static float[] score(Path events) throws IOException {
        return CliRunner.scores(out.resolve("models").resolve("knn"), events, dir.resolve(events.getFileName() + ".scores.csv"));
    }

    @Test
    void learningCurveHasEveryDetectorAndBothBaselinesAtEverySize() throws IOException {
        JsonNode curve = results.get("learning_curve");
        Set<String> seen = new HashSet<>();
        for (JsonNode point : curve) {
            assertTrue(point.has("detector") && point.has("training_events") && point.has("signals"), point.toString());
            for (JsonNode s : point.get("signals")) {
                assertTrue(s.has("name") && s.has("auc") && s.has("eps_s"), s.toString());
                assertTrue(s.get("auc").asDouble() >= 0 && s.get("auc").asDouble() <= 1);
                // the statistical error from the events judged: below the AUC's own room to move, above zero
                assertTrue(s.get("auc_error").asDouble() > 0 && s.get("auc_error").asDouble() < 0.1, s.toString());
                assertTrue(s.has("eps_s_error"), s.toString());
            }
            seen.add(point.get("detector").asText() + "@" + point.get("training_events").asLong());
        }
        for (String detector : List.of("ht", "met", "knn", "default", "gmm:components=2")) {
            assertTrue(seen.contains(detector + "@300") && seen.contains(detector + "@1000"), detector + " in " + seen);
        }
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("Learning curves") && html.contains("AUC against training events"));
        assertTrue(Files.readString(out.resolve("results.md")).contains("| knn | 300 |"));
        JsonNode first = curve.get(0).get("signals").get(0);
        assertTrue(Files.readString(out.resolve("results.md")).contains(String.format(java.util.Locale.ROOT, " %.3f +- %.3f / ",
                first.get("auc").asDouble(), first.get("auc_error").asDouble())), first.toString());
    }

    @Test
    void theDefaultAliasTrainsTheRecommendedDetectorAndInfoNamesIt() throws IOException {
        Path json = dir.resolve("info.json");
        CliRunner r = CliRunner.run("info", "--model", out.resolve("models").resolve("default").toString(), "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(org.darkscope.detect.Detectors.RECOMMENDED, Json.MAPPER.readTree(json.toFile()).get("detector").asText());
        assertEquals("default", results.get("results").get(1).get("detector").asText());
    }

    @Test
    void benchmarkWithoutSignalsOrDistortionsIsABadUsage() {
        CliRunner r = CliRunner.run("benchmark", "--train", train.toString(), "--background", test.toString(),
                "--detectors", "knn", "--out", dir.resolve("none").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--signal") && r.err().contains("--distortions"), r.err());
    }

    /**
     * Sizes beyond the training events train on all of them once: one point there, the larger
     * sizes left out and said (they would train on the same events again), with or without a size
     * equal to the number of events.
     */
    @Test
    void sizesBeyondTheTrainingEventsGiveOnePointOnAllOfThem() throws IOException {
        Path small = dir.resolve("small-train.csv.gz");
        EventWriter.write(small, EventFiles.read(train, ParseMode.STRICT, 400));
        long available = EventFiles.read(small, ParseMode.STRICT, -1).size(); // all in the channel: the bundled sample's selection
        for (String sizes : List.of("200,700,5000", "200," + available + ",5000")) {
            Path curveOut = dir.resolve("curve-" + sizes.replace(',', '-'));
            CliRunner r = CliRunner.run("benchmark", "--train", small.toString(), "--background", test.toString(), "--distortions",
                    "--training-sizes", sizes, "--detectors", "met", "--out", curveOut.toString());
            assertEquals(0, r.exitCode(), r.err());
            List<Long> trained = new ArrayList<>();
            Json.MAPPER.readTree(curveOut.resolve("results.json").toFile()).get("learning_curve")
                    .forEach(p -> trained.add(p.get("training_events").asLong()));
            assertEquals(List.of(200L, 200L, available, available), trained, sizes + ": ht and met at 200 and at all events");
            assertTrue(r.out().contains("the training files hold " + available + " events in the channel")
                    && r.out().contains("5000 is left out"), r.out());
        }
    }
}
