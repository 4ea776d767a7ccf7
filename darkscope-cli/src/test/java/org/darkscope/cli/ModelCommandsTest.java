package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.event.Event;
import org.darkscope.io.BundledSample;
import org.darkscope.io.CsvRows;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train, info and score through the command line, and the bundle's guarantees. */
class ModelCommandsTest {
    @TempDir
    Path dir;

    private Path sample() {
        return BundledSample.extractTo(dir.resolve("sample"));
    }

    private Path train(String detector, Path sample, String... extra) {
        Path model = dir.resolve(detector + ".model");
        List<String> args = new java.util.ArrayList<>(List.of("train", "--detector", detector, "--background",
                sample.resolve(BundledSample.BACKGROUND).toString(), "--out", model.toString(), "--epochs", "4", "--seed", "3"));
        args.addAll(List.of(extra));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        return model;
    }

    /**
     * {@code score --members}: a combined model's score is followed by each member's -log10 p. By the
     * rule {@code or} the score is the largest of them, to the bit (the same p); by {@code product}
     * their sum, to float rounding; the score column is the one {@code score} writes without the
     * option. A model of one detector is refused before anything is written.
     */
    @Test
    void scoreWithMembersWritesEachMembersPOfWhichTheScoreIsTheCombination() throws IOException {
        Path sample = sample();
        String background = sample.resolve(BundledSample.BACKGROUND).toString();
        String signal = sample.resolve(BundledSample.SIGNALS.get(1)).toString();
        Path or = train("combined", sample);
        Path product = dir.resolve("product.model");
        assertEquals(0, CliRunner.run("train", "--detector", "combined", "--set", "rule=product", "--background", background, "--out",
                product.toString()).exitCode());
        Path plain = dir.resolve("plain.csv");
        assertEquals(0, CliRunner.run("score", "--model", or.toString(), "--out", plain.toString(), signal).exitCode());
        for (Path model : List.of(or, product)) {
            Path scores = dir.resolve(model.getFileName() + "-members.csv");
            CliRunner r = CliRunner.run("score", "--model", model.toString(), "--out", scores.toString(), "--members", signal);
            assertEquals(0, r.exitCode(), r.err());
            List<String> lines = Files.readAllLines(scores);
            assertEquals("event_id,process,weight,score,neglog10p_kde,neglog10p_exceedance", lines.get(0));
            List<String> without = Files.readAllLines(plain);
            assertEquals(without.size(), lines.size());
            for (int i = 1; i < lines.size(); i++) {
                String[] c = lines.get(i).split(",");
                float score = Float.parseFloat(c[3]);
                float kde = Float.parseFloat(c[4]);
                float exceedance = Float.parseFloat(c[5]);
                assertTrue(kde >= 0 && exceedance >= 0, lines.get(i)); // p <= 1
                if (model == or) {
                    assertEquals(Math.max(kde, exceedance), score, 0, lines.get(i));
                    assertEquals(without.get(i), String.join(",", java.util.Arrays.copyOf(c, 4)), "the score as without --members");
                } else {
                    assertEquals(kde + exceedance, score, 1e-5 * Math.max(1, score), lines.get(i));
                }
            }
        }
        Path met = train("met", sample);
        Path refused = dir.resolve("refused.csv");
        CliRunner r = CliRunner.run("score", "--model", met.toString(), "--out", refused.toString(), "--members", signal);
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("each member's p needs a combined model; " + met + " is met"), r.err());
        assertFalse(Files.exists(refused), "nothing written");
    }

    /**
     * Negative event weights (as NLO generators write) count against their sample: {@code evaluate
     * --weighted} gives the AUC of the signed weights, worked here by counting every pair from
     * {@code score}'s output, and {@code trigger calibrate --weighted} the weight fraction above its
     * threshold; a sample whose weights sum to 0 or less is refused, naming it.
     */
    @Test
    void weightedMeasurementsCountNegativeWeightsAgainstTheirSample() throws IOException {
        Path sample = sample();
        Path model = train("met", sample);
        Path background = negated(sample.resolve(BundledSample.SIGNALS.get(0)), dir.resolve("nlo-background.csv"), 5, Integer.MAX_VALUE);
        Path signal = negated(sample.resolve(BundledSample.SIGNALS.get(1)), dir.resolve("nlo-signal.csv"), 4, 200);
        Path json = dir.resolve("nlo.json");
        CliRunner evaluate = CliRunner.run("evaluate", "--model", model.toString(), "--background", background.toString(),
                "--signal", signal.toString(), "--weighted", "--json", json.toString());
        assertEquals(0, evaluate.exitCode(), evaluate.err());
        assertFalse(evaluate.err().contains("event weights differ"), evaluate.err());
        CliRunner counted = CliRunner.run("evaluate", "--model", model.toString(), "--background", background.toString(),
                "--signal", signal.toString());
        assertEquals(0, counted.exitCode(), counted.err());
        for (Path sampleFile : List.of(background, signal)) { // unweighted, each event counts once: said of each file
            assertTrue(counted.err().contains("note: " + sampleFile + ": its event weights differ within a process ("), counted.err());
        }
        assertTrue(counted.err().contains(" weighted negative): every event counts once, where --weighted counts each by its weight"),
                counted.err());
        double[][] b = scored(model, background);
        double[][] s = scored(model, signal);
        double wins = 0;
        for (int i = 0; i < s[0].length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                wins += s[1][i] * b[1][j] * (s[0][i] > b[0][j] ? 1 : s[0][i] == b[0][j] ? 0.5 : 0);
            }
        }
        double auc = wins / (java.util.Arrays.stream(s[1]).sum() * java.util.Arrays.stream(b[1]).sum());
        assertEquals(auc, new ObjectMapper().readTree(json.toFile()).get("signals").get(0).get("auc").asDouble(), 1e-9);

        Path calibration = dir.resolve("nlo-trigger.json");
        CliRunner calibrate = CliRunner.run("trigger", "calibrate", "--model", model.toString(), "--background", background.toString(),
                "--input-rate", "1e6", "--rate", "1e5", "--weighted", "--json", calibration.toString());
        assertEquals(0, calibrate.exitCode(), calibrate.err());
        JsonNode c = new ObjectMapper().readTree(calibration.toFile());
        double above = 0;
        for (int j = 0; j < b[0].length; j++) {
            above += b[0][j] > c.get("threshold").asDouble() ? b[1][j] : 0;
        }
        assertEquals(above / java.util.Arrays.stream(b[1]).sum(), c.get("background_efficiency").asDouble(), 1e-9);

        Path negative = negated(sample.resolve(BundledSample.SIGNALS.get(1)), dir.resolve("all-negative.csv"), 1, 50);
        String expected = negative + ": the weights of its 50 events sum to -";
        CliRunner refused = CliRunner.run("evaluate", "--model", model.toString(), "--background", background.toString(),
                "--signal", negative.toString(), "--weighted");
        assertEquals(3, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains(expected), refused.err());
        CliRunner refusedTrigger = CliRunner.run("trigger", "calibrate", "--model", model.toString(), "--background", negative.toString(),
                "--input-rate", "1e6", "--rate", "1e5", "--weighted");
        assertEquals(3, refusedTrigger.exitCode(), refusedTrigger.err());
        assertTrue(refusedTrigger.err().contains(expected), refusedTrigger.err());
        assertEquals(0, CliRunner.run("evaluate", "--model", model.toString(), "--background", background.toString(),
                "--signal", negative.toString()).exitCode(), "unweighted, the weights are not read");
    }

    /**
     * Training on a background weighted within its processes (an NLO generator's negative weights)
     * says that the detectors learn from the events counted once each, and what to do; on the bundled
     * background, one weight per process, nothing is said.
     */
    @Test
    void trainingOnASampleWeightedWithinItsProcessesSaysWhatTheDetectorsLearn() throws IOException {
        Path background = sample().resolve(BundledSample.BACKGROUND);
        CliRunner mixture = CliRunner.run("train", "--detector", "met", "--background", background.toString(), "--out",
                dir.resolve("mixture.model").toString());
        assertEquals(0, mixture.exitCode(), mixture.err());
        assertFalse(mixture.out().contains("event weights"), mixture.out());
        Path nlo = negated(background, dir.resolve("nlo-train.csv"), 3, 600);
        CliRunner weighted = CliRunner.run("train", "--detector", "met", "--background", nlo.toString(), "--out",
                dir.resolve("nlo.model").toString());
        assertEquals(0, weighted.exitCode(), weighted.err());
        assertTrue(weighted.out().contains("note: the background's event weights differ within a process (ttbar -0.000112 to 0.000112, "),
                weighted.out());
        assertTrue(weighted.out().contains("; 200 weighted negative): the detector learnt from the events counted once each"), weighted.out());
    }

    /** The first {@code limit} events of the gzipped {@code events}, every {@code every}-th one's weight negated, into {@code out}. */
    private static Path negated(Path events, Path out, int every, int limit) throws IOException {
        List<String> lines;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(events))) {
            lines = new java.util.ArrayList<>(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).lines().limit(limit).toList());
        }
        for (int i = 0; i < lines.size(); i += every) {
            String[] fields = lines.get(i).split(";", -1);
            fields[2] = "-" + fields[2];
            lines.set(i, String.join(";", fields));
        }
        return Files.write(out, lines);
    }

    /** {scores, weights} of every event of {@code events} as {@code darkscope score} writes them. */
    private double[][] scored(Path model, Path events) throws IOException {
        Path out = dir.resolve(events.getFileName() + ".scores.csv");
        assertEquals(0, CliRunner.run("score", "--model", model.toString(), "--out", out.toString(), events.toString()).exitCode());
        List<List<String>> rows = CsvRows.parse(Files.readString(out)); // event_id,process,weight,score after the header
        double[][] columns = new double[2][rows.size() - 1];
        for (int i = 1; i < rows.size(); i++) {
            columns[0][i - 1] = Float.parseFloat(rows.get(i).get(3));
            columns[1][i - 1] = Double.parseDouble(rows.get(i).get(2));
        }
        return columns;
    }

    /**
     * The 30 background events of lowest MET, judged as a signal by the cut on MET: none passes at
     * eps_B = 1e-2, and in place of its error evaluate gives the 95 % upper limit, 1 - 0.05^(1/30).
     */
    @Test
    void anEfficiencyOfZeroIsGivenWithItsUpperLimit() throws IOException {
        Path sample = sample();
        Path model = train("met", sample);
        Path background = sample.resolve(BundledSample.BACKGROUND);
        List<Event> soft = EventFiles.read(background, ParseMode.STRICT, -1).stream()
                .sorted(java.util.Comparator.comparingDouble(Event::met)).limit(30).toList();
        Path softFile = dir.resolve("soft.csv");
        org.darkscope.io.EventWriter.write(softFile, soft);
        Path json = dir.resolve("soft.json");
        CliRunner r = CliRunner.run("evaluate", "--model", model.toString(), "--background", background.toString(),
                "--signal", softFile.toString(), "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        double limit = 1 - Math.pow(0.05, 1.0 / 30);
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "<%.4f", limit)), r.out());
        assertTrue(r.out().contains("no signal event passes"), r.out());
        JsonNode signal = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get("signals").get(0);
        assertEquals(0.0, signal.get("eps_s").get("1e-2").asDouble());
        assertEquals(0.0, signal.get("eps_s_error").get("1e-2").asDouble());
        assertEquals(limit, signal.get("eps_s_upper_limit").get("1e-2").asDouble(), 1e-12);
        assertFalse(signal.has("eps_s_lower_limit"), signal.toString());
        assertFalse(r.out().contains("rough"), "30 events: " + r.out());
        Path three = dir.resolve("three.csv");
        org.darkscope.io.EventWriter.write(three, soft.subList(0, 3));
        CliRunner few = CliRunner.run("evaluate", "--model", model.toString(), "--background", background.toString(), "--signal",
                three.toString());
        assertEquals(0, few.exitCode(), few.err());
        assertTrue(few.out().contains("three: fewer than 10 signal events, whose errors are rough themselves"), few.out());
    }

    @Test
    void savedModelScoresIdenticallyToTheFreshOneAndScoreFileMatches() throws IOException {
        Path sample = sample();
        Path model = train("ae", sample);
        Path signal = sample.resolve(BundledSample.SIGNALS.get(1));
        List<Event> events = EventFiles.read(signal, ParseMode.STRICT, -1);
        float[] first;
        try (TrainedModel m = ModelBundle.load(model)) {
            first = m.score(events);
        }
        Path scores = dir.resolve("scores.csv");
        CliRunner r = CliRunner.run("score", "--model", model.toString(), "--out", scores.toString(), signal.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = Files.readAllLines(scores);
        assertEquals("event_id,process,weight,score", lines.get(0));
        assertEquals(events.size() + 1, lines.size());
        float[] fromFile = new float[events.size()];
        for (int i = 0; i < events.size(); i++) {
            String[] f = lines.get(i + 1).split(",");
            assertEquals(events.get(i).eventId(), f[0]);
            assertEquals(events.get(i).processId(), f[1]);
            fromFile[i] = Float.parseFloat(f[3]);
        }
        assertArrayEquals(first, fromFile);
    }

    @Test
    void infoReportsDetectorParametersAndTrainingData() throws IOException {
        Path sample = sample();
        Path model = train("vae", sample, "--set", "latent=4", "--set", "hidden=32,16");
        Path json = dir.resolve("info.json");
        CliRunner r = CliRunner.run("info", "--model", model.toString(), "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode info = Json.MAPPER.readTree(json.toFile());
        assertEquals("vae", info.get("detector").asText());
        assertEquals(ModelBundle.FORMAT_VERSION, info.get("format_version").asInt());
        // on the 7 features of event-level-no-njet: 7-32-16 encoder, two 16->4 heads, 4-16-32-7 decoder: weights + biases by hand
        long expected = (7 * 32 + 32) + (32 * 16 + 16) + 2 * (16 * 4 + 4) + (4 * 16 + 16) + (16 * 32 + 32) + (32 * 7 + 7);
        assertEquals(expected, info.get("parameters").asLong());
        long events = EventFiles.read(sample.resolve(BundledSample.BACKGROUND), ParseMode.STRICT, -1).size();
        assertEquals(events, info.get("trained_on_events").asLong() + info.get("validation_events").asLong());
        assertEquals(ModelBundle.sha256(sample.resolve(BundledSample.BACKGROUND)),
                info.get("training_files").get(0).get("sha256").asText());
        assertEquals(4, info.get("history").get("epochs").size());
        assertTrue(r.out().contains("trained on  " + info.get("trained_on_events").asLong() + " events (+"
                + info.get("validation_events").asLong() + " validation), seed 3, 4 epochs max, batch 128, learning rate 0.001"), r.out());
    }

    /** info gives a training schedule only to a detector that trained in epochs, and says that a baseline learns nothing. */
    @Test
    void infoGivesTheScheduleOnlyWhereOneWasFollowed() {
        Path sample = sample();
        CliRunner kde = CliRunner.run("info", "--model", train("kde", sample).toString());
        assertEquals(0, kde.exitCode(), kde.err());
        assertTrue(kde.out().lines().anyMatch(l -> l.matches("trained on  \\d+ events \\(\\+0 validation\\), seed 3")), kde.out());
        CliRunner met = CliRunner.run("info", "--model", train("met", sample).toString());
        assertEquals(0, met.exitCode(), met.err());
        assertTrue(met.out().contains("encoding    met (1 feature), channel chan1"), met.out());
        assertTrue(met.out().lines().anyMatch(l -> l.matches("made from   \\d+ events \\(met learns nothing from them\\)")), met.out());
        assertTrue(!kde.out().contains("epochs") && !met.out().contains("epochs"), kde.out() + met.out());
    }

    /**
     * {@code kde} trained on more events than its scoring handles well (the bundled background four
     * times over) says so after training, with their number, and {@code info} of its bundle says it
     * again; on the bundled background neither says anything.
     */
    @Test
    void kdeTrainedOnManyEventsSaysThatItsScoringSlows() throws IOException {
        Path sample = sample();
        List<String> lines;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(sample.resolve(BundledSample.BACKGROUND)))) {
            lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
        Path many = dir.resolve("four-times.csv");
        List<String> four = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            four.addAll(lines);
        }
        Files.write(many, four);
        CliRunner r = CliRunner.run("train", "--detector", "kde", "--background", many.toString(), "--out",
                dir.resolve("many.model").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "note: kde sums the kernels of all its %,d training events",
                four.size())), r.out());
        Path infoJson = dir.resolve("many-info.json");
        CliRunner info = CliRunner.run("info", "--model", dir.resolve("many.model").toString(), "--json", infoJson.toString());
        assertEquals(0, info.exitCode(), info.err());
        assertTrue(info.out().contains("note: kde sums the kernels"), info.out()); // whoever scores with it later is told too
        JsonNode notes = Json.MAPPER.readTree(infoJson.toFile()).get("notes");
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).asText().startsWith("kde sums the kernels"), notes.toString());
        // the recommended combined passes its member's note on: it fits kde on every training event (and calibrates out of fold)
        CliRunner recommended = CliRunner.run("train", "--detector", "default", "--background", many.toString(), "--out",
                dir.resolve("many-default.model").toString());
        assertEquals(0, recommended.exitCode(), recommended.err());
        assertTrue(recommended.out().contains(String.format(java.util.Locale.ROOT, "note: kde sums the kernels of all its %,d training events",
                four.size())), recommended.out());
        CliRunner few = CliRunner.run("train", "--detector", "default", "--background", sample.resolve(BundledSample.BACKGROUND).toString(),
                "--out", dir.resolve("few.model").toString());
        assertEquals(0, few.exitCode(), few.err());
        assertFalse(few.out().contains("note:"), few.out());
        Path fewJson = dir.resolve("few-info.json");
        assertFalse(CliRunner.run("info", "--model", dir.resolve("few.model").toString(), "--json", fewJson.toString()).out().contains("note:"));
        assertEquals(0, Json.MAPPER.readTree(fewJson.toFile()).get("notes").size());
    }

    /**
     * A detector that validates nothing ({@code kde}, {@code gmm} with a fixed number of
     * components) is fitted on every event, none held back, so that its scores do not depend on
     * the seed; one that validates ({@code gmm} choosing its components) holds back the fraction
     * asked. The bundle records the fraction used.
     */
    @Test
    void aDetectorThatValidatesNothingIsFittedOnEveryEventWhateverTheSeed() throws IOException {
        Path sample = sample();
        Path background = sample.resolve(BundledSample.BACKGROUND);
        long events = EventFiles.read(background, ParseMode.STRICT, -1).size();
        List<Event> signal = EventFiles.read(sample.resolve(BundledSample.SIGNALS.get(1)), ParseMode.STRICT, 300);
        float[][] scores = new float[2][];
        for (int seed = 0; seed < 2; seed++) {
            Path model = dir.resolve("kde-" + seed + ".model");
            CliRunner r = CliRunner.run("train", "--detector", "kde", "--background", background.toString(), "--out", model.toString(),
                    "--seed", String.valueOf(seed + 1));
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().startsWith("trained kde on " + events + " background events (all: kde validates nothing)"), r.out());
            JsonNode info = info(model);
            assertEquals(events, info.get("trained_on_events").asLong());
            assertEquals(0, info.get("validation_events").asLong());
            assertEquals(0.0, info.get("training").get("validation_fraction").asDouble());
            try (TrainedModel m = ModelBundle.load(model)) {
                scores[seed] = m.score(signal);
            }
        }
        assertArrayEquals(scores[0], scores[1]);
        JsonNode gmm = info(train("gmm", sample)); // components=auto chooses on the validation part
        assertEquals(Math.round(0.2 * events), gmm.get("validation_events").asLong());
        assertEquals(0.2, gmm.get("training").get("validation_fraction").asDouble());
        Path fixed = dir.resolve("gmm-2.model");
        assertEquals(0, CliRunner.run("train", "--detector", "gmm", "--set", "components=2", "--background", background.toString(),
                "--out", fixed.toString()).exitCode());
        assertEquals(0, info(fixed).get("validation_events").asLong(), "a fixed number of components validates nothing");
    }

    private JsonNode info(Path model) throws IOException {
        Path json = dir.resolve(model.getFileName() + ".json");
        CliRunner r = CliRunner.run("info", "--model", model.toString(), "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        return Json.MAPPER.readTree(json.toFile());
    }

    @Test
    void corruptTruncatedOrForeignBundlesExitWith3() throws IOException {
        Path sample = sample();
        Path model = train("iforest", sample);
        Path out = dir.resolve("s.csv");
        String events = sample.resolve(BundledSample.SIGNALS.get(1)).toString();

        Path forest = model.resolve("forest.json");
        byte[] original = Files.readAllBytes(forest);
        byte[] flipped = original.clone();
        flipped[flipped.length / 2] ^= 1;
        Files.write(forest, flipped);
        CliRunner corrupt = CliRunner.run("score", "--model", model.toString(), "--out", out.toString(), events);
        assertEquals(3, corrupt.exitCode());
        assertTrue(corrupt.err().contains("checksum mismatch for forest.json"), corrupt.err());
        assertFalse(Files.exists(out), "no scores file after a failed run");
        Files.write(forest, original);

        Path manifest = model.resolve("manifest.json");
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.substring(0, text.length() / 2));
        CliRunner truncated = CliRunner.run("info", "--model", model.toString());
        assertEquals(3, truncated.exitCode());
        assertTrue(truncated.err().contains("manifest is not valid JSON or is truncated"), truncated.err());

        Files.writeString(manifest, text.replace("\"format_version\" : 2", "\"format_version\" : 99"));
        CliRunner future = CliRunner.run("info", "--model", model.toString());
        assertEquals(3, future.exitCode());
        assertTrue(future.err().contains("format version 99 is not supported"), future.err());

        CliRunner foreign = CliRunner.run("info", "--model", sample.toString());
        assertEquals(3, foreign.exitCode());
        assertTrue(foreign.err().contains("not a darkscope model bundle"), foreign.err());
    }

    @Test
    void badLineInScoredFileLeavesNoOutputInStrictModeAndIsCountedInLenient() throws IOException {
        Path sample = sample();
        Path model = train("met", sample);
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "1;ttbar;0.5;250000;1.0;j,300000,250000,0.5,-1.0;\n2;ttbar;0.5;oops;1.0;\n"
                + "3;ttbar;0.5;350000;1.0;j,300000,250000,0.5,-1.0;\n");
        Path out = dir.resolve("scores.csv");
        CliRunner strict = CliRunner.run("score", "--model", model.toString(), "--out", out.toString(), bad.toString());
        assertEquals(3, strict.exitCode());
        assertTrue(strict.err().contains(bad + ":2: MET is non-numeric"), strict.err());
        assertFalse(Files.exists(out));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "temporary file left behind");
        }
        CliRunner lenient = CliRunner.run("score", "--model", model.toString(), "--out", out.toString(), bad.toString(), "--skip-bad-lines");
        assertEquals(0, lenient.exitCode(), lenient.err());
        assertTrue(lenient.err().contains("skipped 1 bad line(s)"));
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        assertEquals(350.0f, Float.parseFloat(lines.get(2).split(",")[3]));
    }

    @Test
    void unknownDetectorIsBadUsage() {
        Path sample = sample();
        CliRunner r = CliRunner.run("train", "--detector", "svm", "--background",
                sample.resolve(BundledSample.BACKGROUND).toString(), "--out", dir.resolve("m").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("unknown detector 'svm' (known: "), r.err());
        CliRunner typo = CliRunner.run("train", "--detector", "kdee", "--background",
                sample.resolve(BundledSample.BACKGROUND).toString(), "--out", dir.resolve("m").toString());
        assertEquals(2, typo.exitCode());
        assertTrue(typo.err().contains("unknown detector 'kdee', did you mean kde? (known: "), typo.err());
    }

    /** A mistyped setting is refused (exit 2) naming the real ones, before any event is read, and nothing is written. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"vae, betta=0.5, 'for vae, did you mean beta?'", "iforest, hidden=8, trees", "knn, foo=1, k",
            "combined, kde.bandwith=2, 'member kde: unknown setting bandwith for kde, did you mean bandwidth?'",
            "combined, rul=and, rule",
            "met, k=3, no settings"})
    void unknownSettingIsBadUsageNamingTheKnownOnes(String detector, String setting, String named) {
        Path sample = sample();
        Path model = dir.resolve("typo-" + detector);
        CliRunner r = CliRunner.run("train", "--detector", detector, "--set", setting, "--background",
                sample.resolve(BundledSample.BACKGROUND).toString(), "--out", model.toString());
        assertEquals(2, r.exitCode(), r.err());
        String key = setting.substring(0, setting.indexOf('='));
        key = key.substring(key.indexOf('.') + 1); // a member's setting is checked by the member
        assertTrue(r.err().contains("unknown setting " + key) && r.err().contains(named), r.err());
        assertTrue(!Files.exists(model));
        CliRunner bench = CliRunner.run("benchmark", "--train", sample.resolve(BundledSample.BACKGROUND).toString(), "--background",
                sample.resolve(BundledSample.BACKGROUND).toString(), "--distortions", "--detectors", "ht," + detector + ":" + setting,
                "--out", dir.resolve("typo-bench").toString());
        assertEquals(2, bench.exitCode(), bench.err());
    }

    /**
     * evaluate and search refuse a sample that is the training file or holds training events
     * (exit 2, nothing written), saying how much of it; --allow-training-overlap goes on and says so.
     */
    @Test
    void evaluateAndSearchRefuseTrainingEventsUnlessAllowed() throws IOException {
        BundledSample.Split split = BundledSample.extractAndSplit(dir.resolve("split"), 0.6, "train.csv.gz", "test.csv.gz");
        Path model = dir.resolve("knn.model");
        assertEquals(0, CliRunner.run("train", "--detector", "knn", "--background", split.first().toString(), "--out",
                model.toString()).exitCode());
        String signal = split.signal(0).toString();
        Path json = dir.resolve("eval.json");

        CliRunner same = CliRunner.run("evaluate", "--model", model.toString(), "--background", split.first().toString(),
                "--signal", signal, "--json", json.toString());
        assertEquals(2, same.exitCode(), same.err());
        assertTrue(same.err().contains("is a file the model was trained on") && same.err().contains("--allow-training-overlap"),
                same.err());
        assertFalse(Files.exists(json));

        // data: 200 held-out events and 50 training events, a fifth of it seen in training; the rest of the held-out events the reference
        List<String> heldOut = gunzipLines(split.rest());
        List<String> held = heldOut.subList(0, 200);
        List<String> seen = gunzipLines(split.first()).subList(100, 150);
        Path data = dir.resolve("data.csv");
        Files.write(data, java.util.stream.Stream.concat(held.stream(), seen.stream()).toList());
        Path reference = dir.resolve("reference.csv");
        Files.write(reference, heldOut.subList(200, heldOut.size()));
        String[] search = {"search", "--model", model.toString(), "--background", reference.toString(), "--data", data.toString(),
            "--toys", "20", "--json", json.toString()};
        CliRunner partial = CliRunner.run(search);
        assertEquals(2, partial.exitCode(), partial.err());
        assertTrue(partial.err().contains("holds events the model was trained on: 50 of its 250 events, about 20.0 %"), partial.err());
        assertFalse(Files.exists(json));

        String[] allowed = java.util.Arrays.copyOf(search, search.length + 1);
        allowed[search.length] = "--allow-training-overlap";
        CliRunner anyway = CliRunner.run(allowed);
        assertEquals(0, anyway.exitCode(), anyway.err());
        assertTrue(anyway.err().contains("note: " + data + " holds events the model was trained on"), anyway.err());
        assertTrue(Files.exists(json));

        CliRunner clean = CliRunner.run("evaluate", "--model", model.toString(), "--background", split.rest().toString(),
                "--signal", signal);
        assertEquals(0, clean.exitCode(), clean.err());
        assertFalse(clean.err().contains("trained on"), clean.err());
    }

    private static List<String> gunzipLines(Path file) throws IOException {
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** Scoring two files adds a file column (RFC 4180-quoted), as event IDs repeat across files; one file keeps four columns. */
    @Test
    void scoringSeveralFilesSaysWhichFileEachEventCameFrom() throws IOException {
        Path sample = sample();
        Path model = train("met", sample);
        Path first = sample.resolve(BundledSample.SIGNALS.get(1));
        Path second = dir.resolve("a,b.csv.gz");
        List<Event> firstEvents = EventFiles.read(first, ParseMode.STRICT, -1);
        org.darkscope.io.EventWriter.write(second, firstEvents.subList(0, 100)); // the first 100 again: the same IDs, another file
        Path scores = dir.resolve("two.csv");
        CliRunner r = CliRunner.run("score", "--model", model.toString(), "--out", scores.toString(), first.toString(), second.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<List<String>> rows = CsvRows.parse(Files.readString(scores));
        assertEquals(List.of("event_id", "process", "weight", "score", "file"), rows.get(0));
        int events = firstEvents.size();
        assertEquals(events + 100 + 1, rows.size());
        for (int i = 1; i < rows.size(); i++) {
            assertEquals(5, rows.get(i).size(), "row " + i);
            assertEquals((i <= events ? first : second).toString(), rows.get(i).get(4));
            assertEquals(rows.get(i <= events ? i : i - events).subList(0, 4), rows.get(i).subList(0, 4), "the same events, the same scores");
        }
        Path one = dir.resolve("one.csv");
        assertEquals(0, CliRunner.run("score", "--model", model.toString(), "--out", one.toString(), first.toString()).exitCode());
        assertEquals("event_id,process,weight,score", Files.readAllLines(one).get(0));
    }

    /**
     * Every output is checked before any work: a directory that does not exist or cannot be
     * written (here /proc, which not even root can write), an input as output, an output inside a
     * model bundle, and event data replaced only with --force.
     */
    @Test
    void outputsAreCheckedBeforeAnyWork() throws IOException {
        Path sample = sample();
        String background = sample.resolve(BundledSample.BACKGROUND).toString();
        String signal = sample.resolve(BundledSample.SIGNALS.get(1)).toString();
        Path model = train("knn", sample);
        if (Files.isDirectory(Path.of("/proc/self"))) {
            CliRunner readOnly = CliRunner.run("train", "--detector", "knn", "--background", background, "--out", "/proc/darkscope.model");
            assertEquals(2, readOnly.exitCode(), readOnly.err());
            assertTrue(readOnly.err().contains("/proc is not writable") && !readOnly.err().contains("trained"), readOnly.err());
            CliRunner json = CliRunner.run("inspect", signal, "--json", "/proc/inspect.json");
            assertEquals(2, json.exitCode(), json.err());
        }
        CliRunner missing = CliRunner.run("evaluate", "--model", model.toString(), "--background", background, "--signal", signal,
                "--report", dir.resolve("no/such/report").toString());
        assertEquals(2, missing.exitCode(), missing.err());
        assertTrue(missing.err().contains("does not exist: create it first"), missing.err());
        assertFalse(Files.exists(dir.resolve("no")));
        Path both = dir.resolve("both");
        CliRunner sameOutput = CliRunner.run("evaluate", "--model", model.toString(), "--background", background, "--signal", signal,
                "--json", both.toString(), "--report", both.toString());
        assertEquals(2, sameOutput.exitCode(), sameOutput.err());
        assertTrue(sameOutput.err().contains("--json and --report are both"), sameOutput.err());
        assertFalse(Files.exists(both));
        Path page = dir.resolve("page");
        CliRunner onThePage = CliRunner.run("evaluate", "--model", model.toString(), "--background", background, "--signal", signal,
                "--json", page.resolve("report.html").toString(), "--report", page.toString());
        assertEquals(2, onThePage.exitCode(), onThePage.err());
        assertTrue(onThePage.err().contains("is the page --report writes"), onThePage.err());
        assertFalse(Files.exists(page));
        CliRunner overInput = CliRunner.run("inspect", signal, "--json", signal);
        assertEquals(2, overInput.exitCode(), overInput.err());
        assertTrue(overInput.err().contains("would overwrite the input"), overInput.err());
        // an output inside the model bundle is refused, saying a bundle holds its own files only; a --model that is
        // no bundle is named as such before any output is checked (an output below it was refused as lying inside it)
        Path inBundle = model.resolve("e.json");
        CliRunner inside = CliRunner.run("evaluate", "--model", model.toString(), "--background", background, "--signal", signal,
                "--json", inBundle.toString());
        assertEquals(2, inside.exitCode(), inside.err());
        assertTrue(inside.err().contains(inBundle + " lies inside the model bundle " + model + ", which would no longer load (a bundle"
                + " holds its own files only)"), inside.err());
        assertFalse(Files.exists(inBundle));
        // inside a bundle the command does not read as well: the bundle would no longer load (a file its manifest does not list)
        Path inOtherBundle = model.resolve("inspect.json");
        CliRunner inspectInside = CliRunner.run("inspect", signal, "--json", inOtherBundle.toString());
        assertEquals(2, inspectInside.exitCode(), inspectInside.err());
        assertTrue(inspectInside.err().contains(inOtherBundle + " lies inside the model bundle " + model + ", which would no longer load"),
                inspectInside.err());
        assertFalse(Files.exists(inOtherBundle));
        CliRunner bundleInBundle = CliRunner.run("train", "--detector", "met", "--background", background, "--out",
                model.resolve("met.model").toString());
        assertEquals(2, bundleInBundle.exitCode(), bundleInBundle.err());
        assertTrue(bundleInBundle.err().contains("lies inside the model bundle " + model), bundleInBundle.err());
        CliRunner notAModel = CliRunner.run("score", "--model", dir.toString(), "--out", dir.resolve("s.csv").toString(), signal);
        assertEquals(3, notAModel.exitCode(), notAModel.err());
        assertTrue(notAModel.err().contains(dir + ": not a darkscope model bundle (no manifest.json)"), notAModel.err());

        Path mixed = dir.resolve("mixed.csv");
        String[] mix = {"mix", "--background", background, "--signal", signal, "--signal-events", "5", "--out", mixed.toString()};
        assertEquals(0, CliRunner.run(mix).exitCode());
        byte[] before = Files.readAllBytes(mixed);
        CliRunner again = CliRunner.run(mix);
        assertEquals(2, again.exitCode(), again.err());
        assertTrue(again.err().contains("exists: give --force"), again.err());
        assertArrayEquals(before, Files.readAllBytes(mixed));
        String[] forced = java.util.Arrays.copyOf(mix, mix.length + 1);
        forced[mix.length] = "--force";
        assertEquals(0, CliRunner.run(forced).exitCode());
    }

    /**
     * A bundle gets the umask's permissions, as any directory the user makes (it was readable by
     * its owner alone), and the half-written bundle of a killed training is cleared by the next.
     */
    @Test
    void bundlesGetTheUmasksPermissionsAndStaleOnesAreCleared() throws IOException {
        Path sample = sample();
        Path stale = Files.createDirectories(dir.resolve(".knn.model.999999999.0.part"));
        Files.writeString(stale.resolve("parameters.bin"), "half written");
        Path model = train("knn", sample);
        Path plain = Files.createDirectory(dir.resolve("made-by-the-user"));
        if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(model));
        }
        assertFalse(Files.exists(stale), "the stale half-written bundle of a dead process is removed");
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary directory left");
        }
    }

    /** A value outside a setting's declared range is refused before any work, saying what is allowed. */
    @Test
    void settingOutOfItsRangeIsBadUsage() {
        Path model = dir.resolve("range");
        CliRunner r = CliRunner.run("train", "--detector", "knn", "--set", "k=0", "--background",
                sample().resolve(BundledSample.BACKGROUND).toString(), "--out", model.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("k=0 is not allowed: k takes an integer, 1 to 10000 (default 10)"), r.err());
        CliRunner widths = CliRunner.run("train", "--detector", "ae", "--set", "hidden=0,2", "--background",
                sample().resolve(BundledSample.BACKGROUND).toString(), "--out", model.toString());
        assertEquals(2, widths.exitCode(), widths.err());
        assertTrue(widths.err().contains("hidden takes layer widths, comma-separated, each 1 to 4096 (default 128,2)"), widths.err());
        assertTrue(!Files.exists(model));
    }

    /**
     * Training options that cannot mean what was typed are refused before any event is read, each
     * named with its value: a setting given twice with two values (the first was silently lost), no
     * events at all, a zero epoch count.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "--set|k=5|--set|k=30|setting k given twice (5 and 30): give it once",
        "--max-events|0|--seed|1|--max-events must be at least 1, got 0",
        "--epochs|0|--seed|1|--epochs must be at least 1, got 0",
        "--learning-rate|Infinity|--seed|1|--learning-rate must be a positive finite number, got Infinity"})
    void trainingOptionsThatCannotMeanWhatWasTypedAreBadUsage(String option1, String value1, String option2, String value2,
            String message) {
        Path model = dir.resolve("refused");
        CliRunner r = CliRunner.run("train", "--detector", "knn", option1, value1, option2, value2, "--background",
                sample().resolve(BundledSample.BACKGROUND).toString(), "--out", model.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertFalse(Files.exists(model));
    }

    /** A detector named twice in a benchmark is refused before any training (it trained both, then failed writing the report). */
    @Test
    void aDetectorNamedTwiceInABenchmarkIsBadUsage() {
        CliRunner twice = CliRunner.run("benchmark", "--detectors", "kde,ht,kde", "--distortions", "--train",
                sample().resolve(BundledSample.BACKGROUND).toString(), "--background",
                sample().resolve(BundledSample.SIGNALS.get(0)).toString(), "--out", dir.resolve("twice").toString());
        assertEquals(2, twice.exitCode(), twice.err());
        assertTrue(twice.err().contains("--detectors names kde twice: give each detector once"), twice.err());
        assertFalse(Files.exists(dir.resolve("twice")));
    }

    /** In a benchmark's detector list too, a setting or the encoding given twice with two values is refused. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "knn:k=5:k=30|setting k given twice (5 and 30)",
        "knn:encoding=event-level:encoding=kinematic-56|encoding given twice (event-level and kinematic-56)"})
    void aBenchmarkSpecGivingASettingTwiceIsBadUsage(String detector, String message) {
        CliRunner spec = CliRunner.run("benchmark", "--detectors", detector + ",ht", "--distortions", "--train",
                sample().resolve(BundledSample.BACKGROUND).toString(), "--background",
                sample().resolve(BundledSample.SIGNALS.get(0)).toString(), "--out", dir.resolve("bench").toString());
        assertEquals(2, spec.exitCode(), spec.err());
        assertTrue(spec.err().contains("--detectors " + detector + ": " + message), spec.err());
        assertFalse(Files.exists(dir.resolve("bench")));
    }

    /** A cut trained with another variable's encoding (a detector named ht that would score MET) is refused, saying what to do. */
    @Test
    void aCutIsRefusedAnotherVariablesEncoding() {
        Path model = dir.resolve("ht-on-met");
        CliRunner r = CliRunner.run("train", "--detector", "ht", "--encoding", "met", "--background",
                sample().resolve(BundledSample.BACKGROUND).toString(), "--out", model.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("ht scores the event's HT itself (encoding ht), not --encoding met; to learn from the met encoding, "
                + "train a detector that learns"), r.err());
        assertTrue(!Files.exists(model));
    }

    /** info names the method and lists every declared setting with its default and range, as train --help does. */
    @Test
    void infoAndTrainHelpListTheDeclaredSettings() {
        CliRunner info = CliRunner.run("info", "--detector", "default");
        assertEquals(0, info.exitCode(), info.err());
        String help = CliRunner.run("train", "--help").out().replaceAll("\\s+", ""); // picocli wraps long lines
        assertTrue(info.out().startsWith("default names " + org.darkscope.detect.Detectors.RECOMMENDED), info.out());
        // the method, wrapped in lines of at most 100 characters between the detector's line and its first setting
        List<String> lines = info.out().lines().toList();
        String firstSetting = "  " + org.darkscope.detect.Detectors.kind(org.darkscope.detect.Detectors.RECOMMENDED).settings().get(0).describe();
        List<String> methodLines = lines.subList(2, lines.indexOf(firstSetting));
        assertEquals(org.darkscope.detect.Detectors.kind(org.darkscope.detect.Detectors.RECOMMENDED).method(),
                String.join(" ", methodLines.stream().map(String::strip).toList()), info.out());
        assertTrue(methodLines.size() > 1 && methodLines.stream().allMatch(l -> l.startsWith("  ") && l.length() <= 100), info.out());
        for (org.darkscope.detect.Setting s : org.darkscope.detect.Detectors.kind(org.darkscope.detect.Detectors.RECOMMENDED).settings()) {
            assertTrue(info.out().contains(s.describe()) && info.out().contains(s.meaning()), info.out());
        }
        CliRunner combined = CliRunner.run("info", "--detector", "combined"); // and its default members' settings
        List<org.darkscope.detect.Setting> shown = new java.util.ArrayList<>(org.darkscope.detect.Detectors.kind("combined").settings());
        shown.addAll(org.darkscope.detect.Detectors.kind("kde").settings());
        shown.addAll(org.darkscope.detect.Detectors.kind("exceedance").settings());
        for (org.darkscope.detect.Setting s : shown) {
            assertTrue(combined.out().contains(s.describe()) && combined.out().contains(s.meaning()), combined.out());
        }
        for (org.darkscope.detect.Detectors.Kind kind : org.darkscope.detect.Detectors.kinds()) {
            for (org.darkscope.detect.Setting s : kind.settings()) {
                assertTrue(help.contains(s.describe().replaceAll("\\s+", "")), s + " missing from train --help");
            }
        }
        assertEquals(2, CliRunner.run("info", "--detector", "svm").exitCode());
        assertEquals(2, CliRunner.run("info").exitCode());
    }

    /** An existing bundle is replaced only with --force; a directory that is not a bundle never. */
    @Test
    void trainReplacesABundleOnlyWithForceAndNeverAnotherDirectory() throws IOException {
        Path sample = sample();
        String background = sample.resolve(BundledSample.BACKGROUND).toString();
        Path model = train("met", sample);
        byte[] manifest = Files.readAllBytes(model.resolve(ModelBundle.MANIFEST));
        CliRunner again = CliRunner.run("train", "--detector", "met", "--background", background, "--out", model.toString());
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("--force"), again.err());
        assertArrayEquals(manifest, Files.readAllBytes(model.resolve(ModelBundle.MANIFEST)), "the bundle untouched");
        assertEquals(0, CliRunner.run("train", "--detector", "met", "--background", background, "--out", model.toString(),
                "--force").exitCode());

        Path mine = Files.createDirectories(dir.resolve("my-results"));
        Files.writeString(mine.resolve("notes.txt"), "keep me");
        CliRunner other = CliRunner.run("train", "--detector", "met", "--background", background, "--out", mine.toString(), "--force");
        assertEquals(2, other.exitCode());
        assertTrue(other.err().contains("not a darkscope model bundle"), other.err());
        assertEquals("keep me", Files.readString(mine.resolve("notes.txt")));

        CliRunner holding = CliRunner.run("train", "--detector", "met", "--background", background, "--out", sample.toString(), "--force");
        assertEquals(2, holding.exitCode());
        assertTrue(holding.err().contains("would overwrite the input"), holding.err());
        assertTrue(Files.exists(sample.resolve(BundledSample.BACKGROUND)));
    }

    /**
     * {@code score --out -} writes the scores file's very bytes to standard output, and what it did
     * to standard error; a reader that closes the pipe early ({@code | head}) ends it quietly, exit
     * 0, before all events are scored. In a JVM of its own: standard output is the process's.
     */
    @Test
    void scoresGoToStandardOutputForDash() throws IOException, InterruptedException {
        Path sample = sample();
        Path model = train("knn", sample);
        String events = sample.resolve(BundledSample.SIGNALS.get(1)).toString();
        Path file = dir.resolve("scores.csv");
        assertEquals(0, CliRunner.run("score", "--model", model.toString(), "--out", file.toString(), events).exitCode());
        Path piped = dir.resolve("piped.csv");
        Path err = dir.resolve("err.txt");
        Process all = darkscope("score", "--model", model.toString(), "--out", "-", events)
                .redirectOutput(piped.toFile()).redirectError(err.toFile()).start();
        assertEquals(0, all.waitFor(), Files.readString(err));
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(piped));
        assertTrue(Files.readString(err).contains("wrote standard output"), Files.readString(err));
        assertFalse(Files.exists(dir.resolve("-")), "no file called -");

        assertStopsQuietlyWhenItsReaderCloses(model, sample, Map.of());
        CliRunner mix = CliRunner.run("mix", "--background", sample.resolve(BundledSample.BACKGROUND).toString(), "--signal", events,
                "--signal-events", "3", "--out", "-");
        assertEquals(2, mix.exitCode(), mix.err());
        assertTrue(mix.err().contains("- (standard output) cannot take this output"), mix.err());
        assertFalse(Files.exists(Path.of("-")), "no file called -");
    }

    /**
     * Under a locale whose C library speaks German, the JVM's message for a closed pipe is
     * "Datenübergabe unterbrochen (broken pipe)": the reader closing standard output is still no
     * error; and numbers are written the English way, as the words around them (run where that
     * locale is installed: {@code locale -a} lists it).
     */
    @Test
    void aReaderClosingStandardOutputIsNoErrorInAnotherLanguage() throws IOException, InterruptedException {
        Process locales;
        try {
            locales = new ProcessBuilder("locale", "-a").redirectErrorStream(true).start();
        } catch (IOException noLocaleCommand) {
            org.junit.jupiter.api.Assumptions.abort("no locale command: " + noLocaleCommand.getMessage());
            return;
        }
        String installed = new String(locales.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        locales.waitFor();
        org.junit.jupiter.api.Assumptions.assumeTrue(installed.lines().anyMatch(l -> l.equalsIgnoreCase("de_DE.utf8")),
                "the locale de_DE.UTF-8 is not installed here");
        Path sample = sample();
        Path model = train("knn", sample);
        assertStopsQuietlyWhenItsReaderCloses(model, sample, Map.of("LC_ALL", "de_DE.UTF-8"));
        Path err = dir.resolve("de-err.txt");
        ProcessBuilder evaluate = darkscope("evaluate", "--model", model.toString(), "--background",
                sample.resolve(BundledSample.SIGNALS.get(0)).toString(), "--signal", sample.resolve(BundledSample.SIGNALS.get(1)).toString())
                .redirectError(err.toFile());
        evaluate.environment().put("LC_ALL", "de_DE.UTF-8");
        Process run = evaluate.start();
        String table = new String(run.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, run.waitFor(), Files.readString(err));
        assertTrue(table.matches("(?s).*\\s0\\.[0-9]{3}\\s.*") && !table.matches("(?s).*\\s0,[0-9]{3}\\s.*"), table);
    }

    /**
     * {@code score --out -} of the background and both signals, with a file column (far more than a
     * pipe and the output's buffer hold), its reader gone after 100 bytes: exit 0, and it says it stopped.
     */
    private void assertStopsQuietlyWhenItsReaderCloses(Path model, Path sample, Map<String, String> environment)
            throws IOException, InterruptedException {
        String[] inputs = {sample.resolve(BundledSample.BACKGROUND).toString(), sample.resolve(BundledSample.SIGNALS.get(1)).toString(),
                sample.resolve(BundledSample.SIGNALS.get(0)).toString()};
        long lines = 0;
        for (String input : inputs) {
            lines += EventFiles.read(Path.of(input), ParseMode.STRICT, Long.MAX_VALUE).size();
        }
        List<String> args = new java.util.ArrayList<>(List.of("score", "--model", model.toString(), "--out", "-"));
        args.addAll(List.of(inputs));
        Path err = dir.resolve("head-err.txt");
        ProcessBuilder builder = darkscope(args.toArray(String[]::new)).redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process head = builder.start();
        byte[] first = head.getInputStream().readNBytes(100);
        head.getInputStream().close();
        assertEquals(0, head.waitFor(), Files.readString(err));
        assertTrue(new String(first, java.nio.charset.StandardCharsets.US_ASCII).startsWith("event_id,process,weight,score,file\n"));
        java.util.regex.Matcher stopped = java.util.regex.Pattern.compile("scored ([0-9]+) events; standard output was closed by its reader, stopped")
                .matcher(Files.readString(err));
        assertTrue(stopped.find(), Files.readString(err));
        long scored = Long.parseLong(stopped.group(1));
        assertTrue(scored > 0 && scored < lines, scored + " of " + lines);
    }

    /**
     * What a command prints to standard output is not lost in silence: a full disk under the
     * redirection ({@code > /dev/full}) is an error, exit 1, where {@code System.out} had swallowed
     * it (exit 0 and nothing written); the same command to a file succeeds.
     */
    @Test
    void aFailedWriteToStandardOutputIsAnError() throws IOException, InterruptedException {
        Path err = dir.resolve("full-err.txt");
        Path written = dir.resolve("info.txt");
        Process toFile = darkscope("info", "--detector", "kde").redirectOutput(written.toFile()).redirectError(err.toFile()).start();
        assertEquals(0, toFile.waitFor(), Files.readString(err));
        assertTrue(Files.readString(written).contains("bandwidth"), Files.readString(written));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "no /dev/full here");
        Process full = darkscope("info", "--detector", "kde").redirectOutput(new java.io.File("/dev/full")).redirectError(err.toFile()).start();
        assertEquals(1, full.waitFor(), Files.readString(err));
        assertTrue(Files.readString(err).contains("darkscope: error: cannot write standard output"), Files.readString(err));
    }

    /** A darkscope command line in a JVM of its own, started in the test's folder. */
    private ProcessBuilder darkscope(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile());
    }

    /** score never writes over an input, into the model, into a directory it would have to create, or over a file without --force. */
    @Test
    void scoreRefusesOutputsThatWouldLoseSomething() throws IOException {
        Path sample = sample();
        Path model = train("met", sample);
        Path events = dir.resolve("events.csv.gz");
        Files.copy(sample.resolve(BundledSample.SIGNALS.get(1)), events);
        byte[] original = Files.readAllBytes(events);
        CliRunner overInput = CliRunner.run("score", "--model", model.toString(), "--out", events.toString(), events.toString(), "--force");
        assertEquals(2, overInput.exitCode());
        assertTrue(overInput.err().contains("would overwrite the input"), overInput.err());
        assertArrayEquals(original, Files.readAllBytes(events));
        CliRunner intoDirectory = CliRunner.run("score", "--model", model.toString(), "--out", dir.toString(), events.toString());
        assertEquals(2, intoDirectory.exitCode());
        assertTrue(intoDirectory.err().contains(dir + " is a directory: give a file name"), intoDirectory.err());

        CliRunner intoModel = CliRunner.run("score", "--model", model.toString(), "--out", model.resolve("s.csv").toString(),
                events.toString());
        assertEquals(2, intoModel.exitCode());
        assertTrue(!Files.exists(model.resolve("s.csv")));

        Path missing = dir.resolve("no-such-dir").resolve("s.csv");
        CliRunner intoMissing = CliRunner.run("score", "--model", model.toString(), "--out", missing.toString(), events.toString());
        assertEquals(2, intoMissing.exitCode());
        assertTrue(intoMissing.err().contains("does not exist"), intoMissing.err());
        assertTrue(!Files.exists(missing.getParent()), "no directory created");

        Path scores = dir.resolve("s.csv");
        assertEquals(0, CliRunner.run("score", "--model", model.toString(), "--out", scores.toString(), events.toString()).exitCode());
        byte[] first = Files.readAllBytes(scores);
        CliRunner again = CliRunner.run("score", "--model", model.toString(), "--out", scores.toString(), events.toString());
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("--force"), again.err());
        assertEquals(0, CliRunner.run("score", "--model", model.toString(), "--out", scores.toString(), events.toString(),
                "--force").exitCode());
        assertArrayEquals(first, Files.readAllBytes(scores));
    }

    /**
     * Finite but unphysical values (a MET of 1.7e308 MeV, which made MET/HT and so knn's score
     * infinite; an eta of 1e30) are bad input naming file, line and value; lenient mode skips them.
     */
    @Test
    void unphysicalValuesAreBadInput() throws IOException {
        Path sample = sample();
        Path model = train("knn", sample);
        List<Event> events = new java.util.ArrayList<>(EventFiles.read(sample.resolve(BundledSample.SIGNALS.get(1)), ParseMode.STRICT, 5));
        Event e = events.get(2);
        events.set(2, new Event(e.eventId(), e.processId(), e.weight(), 1.7e308, e.metPhi(), e.objects()));
        Event f = events.get(3);
        org.darkscope.event.PhysicsObject o = f.objects().get(0);
        events.set(3, new Event(f.eventId(), f.processId(), f.weight(), f.met(), f.metPhi(),
                List.of(new org.darkscope.event.PhysicsObject(o.type(), o.e(), o.pt(), 1e30, o.phi()))));
        Path bad = dir.resolve("unphysical.csv");
        org.darkscope.io.EventWriter.write(bad, events);
        Path scores = dir.resolve("unphysical-scores.csv");
        CliRunner r = CliRunner.run("score", "--model", model.toString(), "--out", scores.toString(), bad.toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("unphysical.csv:3:") && r.err().contains("MET is 1.7E308, outside the physical range"), r.err());
        assertFalse(Files.exists(scores));
        CliRunner lenient = CliRunner.run("score", "--model", model.toString(), "--out", scores.toString(), bad.toString(),
                "--skip-bad-lines");
        assertEquals(0, lenient.exitCode(), lenient.err());
        assertEquals(1 + 3, Files.readAllLines(scores).size(), "two lines skipped");
        assertTrue(lenient.err().contains("eta is 1.0E30"), lenient.err());
    }

    /**
     * No detector writes a score that is not finite: a standardiser mean of 1e300 (finite, but
     * no fit gives it) makes knn's distances infinite, and score and evaluate stop with exit 3
     * naming the file and the event, writing nothing.
     */
    @Test
    void noDetectorWritesANonFiniteScore() throws IOException {
        Path sample = sample();
        Path model = train("knn", sample);
        String manifest = Files.readString(model.resolve(ModelBundle.MANIFEST));
        editManifest(model, manifest.replaceFirst("\"mean\" : \\[ [^,]+,", "\"mean\" : [ 1e300,"));
        Path events = sample.resolve(BundledSample.SIGNALS.get(1));
        Path scores = dir.resolve("infinite-scores.csv");
        CliRunner r = CliRunner.run("score", "--model", model.toString(), "--out", scores.toString(), events.toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("event 1 of the file") && r.err().contains("knn gave it the score Infinity"), r.err());
        assertFalse(Files.exists(scores));
        CliRunner eval = CliRunner.run("evaluate", "--model", model.toString(), "--background", events.toString(), "--signal",
                sample.resolve(BundledSample.SIGNALS.get(0)).toString());
        assertEquals(3, eval.exitCode(), eval.err());
        assertTrue(eval.err().contains("knn gave it the score Infinity"), eval.err());
    }

    /** A gzip stream of zeros (no newline, ever) ends score promptly with exit 3 and no output, instead of filling the heap. */
    @org.junit.jupiter.api.Timeout(60)
    @Test
    void scoringAStreamWithoutNewlinesEndsPromptly() throws IOException {
        Path sample = sample();
        Path model = train("met", sample);
        Path zeros = dir.resolve("zeros.csv.gz");
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(zeros))) {
            byte[] block = new byte[1 << 16];
            for (int i = 0; i < 64; i++) { // 4 MiB of zeros, a few kilobytes compressed
                out.write(block);
            }
        }
        Path scores = dir.resolve("zeros-scores.csv");
        CliRunner r = CliRunner.run("score", "--model", model.toString(), "--out", scores.toString(), zeros.toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("zeros.csv.gz:1:") && r.err().contains("line longer than"), r.err());
        assertFalse(Files.exists(scores));
    }

    /**
     * A bundle is its listed files and nothing else: a file linked in from elsewhere, a file the
     * manifest does not list (its checksum list emptied), or encoder numbers no fit gives are
     * refused with exit 3 before anything is scored.
     */
    @Test
    void bundlesAreUntrustedFiles() throws IOException {
        Path sample = sample();
        Path events = sample.resolve(BundledSample.SIGNALS.get(1));
        Path model = train("knn", sample);
        Path other = dir.resolve("other.model");
        java.nio.file.Files.walk(model).forEach(p -> {
            try {
                Files.copy(p, other.resolve(model.relativize(p).toString()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String manifest = Files.readString(model.resolve(ModelBundle.MANIFEST));

        Path linked = copyOf(model, "linked.model");
        Files.delete(linked.resolve("neighbours.bin"));
        Files.createSymbolicLink(linked.resolve("neighbours.bin"), other.resolve("neighbours.bin"));
        assertRefused(linked, events, "symbolic link");

        Path unlisted = copyOf(model, "unlisted.model");
        com.fasterxml.jackson.databind.node.ObjectNode withoutEntry = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(manifest);
        ((com.fasterxml.jackson.databind.node.ObjectNode) withoutEntry.get("files")).remove("neighbours.bin");
        editManifest(unlisted, Json.MAPPER.writeValueAsString(withoutEntry));
        assertRefused(unlisted, events, "not listed in the manifest");

        Path zeroScale = copyOf(model, "zero-scale.model");
        editManifest(zeroScale, manifest.replaceFirst("\"scale\" : \\[ [^,]+,", "\"scale\" : [ 0.0,"));
        assertRefused(zeroScale, events, "scale");

        Path edited = copyOf(model, "edited.model"); // one digit of a setting changed, the seal left as it was
        Files.writeString(edited.resolve(ModelBundle.MANIFEST), manifest.replace("\"k\" : \"10\"", "\"k\" : \"11\""));
        assertRefused(edited, events, "manifest.json does not match its seal manifest.sha256");

        Path unsealed = copyOf(model, "unsealed.model");
        Files.delete(unsealed.resolve(ModelBundle.SEAL));
        assertRefused(unsealed, events, "manifest.sha256 (the manifest's seal) is missing");

        Path outOfRange = copyOf(model, "out-of-range.model"); // resealed: the settings are still checked against the declared ones
        editManifest(outOfRange, manifest.replace("\"k\" : \"10\"", "\"k\" : \"0\""));
        assertRefused(outOfRange, events, "k=0 is not allowed");

        Path older = copyOf(model, "older.model");
        editManifest(older, manifest.replace("\"format_version\" : " + ModelBundle.FORMAT_VERSION, "\"format_version\" : 1"));
        assertRefused(older, events, "train the model again");
    }

    /**
     * Replaces a bundle's manifest and its seal, as someone who rewrites both would: what the
     * loader checks beyond the seal is then tested.
     */
    static void editManifest(Path model, String text) throws IOException {
        Files.writeString(model.resolve(ModelBundle.MANIFEST), text);
        Files.writeString(model.resolve(ModelBundle.SEAL), ModelBundle.sha256(model.resolve(ModelBundle.MANIFEST)) + "  "
                + ModelBundle.MANIFEST + "\n");
    }

    private Path copyOf(Path model, String name) throws IOException {
        Path copy = Files.createDirectories(dir.resolve(name));
        try (java.util.stream.Stream<Path> files = Files.list(model)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        return copy;
    }

    private void assertRefused(Path model, Path events, String why) {
        Path out = dir.resolve(model.getFileName() + ".csv");
        CliRunner r = CliRunner.run("score", "--model", model.toString(), "--out", out.toString(), events.toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains(why), r.err());
        assertFalse(Files.exists(out));
    }

    /** A manifest with a key removed, set to null or to a wrong value gets a message naming that key, exit 3, not a stack trace. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"detector", "hyperparameters", "encoder", "channel", "files",
            "training_files", "training", "history", "parameters", "trained_on_events"})
    void everyMalformedManifestNamesTheKey(String key) throws IOException {
        Path sample = sample();
        Path model = train("knn", sample);
        com.fasterxml.jackson.databind.node.ObjectNode manifest =
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(model.resolve(ModelBundle.MANIFEST).toFile());
        for (String change : new String[] {"removed", "null"}) {
            com.fasterxml.jackson.databind.node.ObjectNode edited = manifest.deepCopy();
            if (change.equals("removed")) {
                edited.remove(key);
            } else {
                edited.putNull(key);
            }
            editManifest(model, Json.MAPPER.writeValueAsString(edited));
            CliRunner r = CliRunner.run("info", "--model", model.toString());
            if (change.equals("removed") && (key.equals("parameters") || key.equals("trained_on_events"))) {
                assertEquals(0, r.exitCode(), r.err()); // numbers for the record only: absent is 0
                continue;
            }
            assertEquals(3, r.exitCode(), key + " " + change + ": " + r.err());
            assertTrue(r.err().contains("'" + key + "'"), r.err());
            assertFalse(r.err().contains("Cannot invoke"), r.err());
        }
        manifest.put("channel", "chan9");
        editManifest(model, Json.MAPPER.writeValueAsString(manifest));
        CliRunner r = CliRunner.run("info", "--model", model.toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("'channel'"), r.err());
        if (key.equals("encoder")) { // the encoder's own keys: its encoding gone (a bit flip in its name once leaked "Cannot invoke")
            manifest.put("channel", "chan1");
            ((com.fasterxml.jackson.databind.node.ObjectNode) manifest.get("encoder")).remove("encoding");
            editManifest(model, Json.MAPPER.writeValueAsString(manifest));
            CliRunner noEncoding = CliRunner.run("score", "--model", model.toString(), "--out", dir.resolve("s.csv").toString(),
                    sample.resolve(BundledSample.SIGNALS.get(0)).toString());
            assertEquals(3, noEncoding.exitCode(), noEncoding.err());
            assertTrue(noEncoding.err().contains("bundle encoder is invalid: the encoder needs its encoding, mean and scale; missing: encoding"),
                    noEncoding.err());
        }
    }

    /**
     * Event IDs with a comma or a double quote come out as RFC 4180 fields, UTF-8 IDs intact, and
     * a leading byte-order mark is not part of the first ID.
     */
    @Test
    void scoresFileIsRfc4180WithUtf8IdsAndNoByteOrderMark() throws IOException {
        Path sample = sample();
        Path model = train("met", sample);
        String objects = ";j,300000,250000,0.5,-1.0;\n";
        String[] ids = {"first", "a,b", "say \"hi\"", "\u00e9v\u00e9nement-1"};
        String[] processes = {"ttbar", "w,jets", "ttbar", "z\"nunu"};
        StringBuilder text = new StringBuilder("\ufeff");
        for (int i = 0; i < ids.length; i++) {
            text.append(ids[i]).append(';').append(processes[i]).append(";0.5;").append(300000 + i).append(";1.0").append(objects);
        }
        Path events = dir.resolve("ids.csv");
        Files.writeString(events, text.toString(), java.nio.charset.StandardCharsets.UTF_8);
        Path scores = dir.resolve("ids-scores.csv");
        CliRunner r = CliRunner.run("score", "--model", model.toString(), "--out", scores.toString(), events.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<List<String>> rows = CsvRows.parse(Files.readString(scores, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(List.of("event_id", "process", "weight", "score"), rows.get(0));
        for (int i = 0; i < ids.length; i++) {
            List<String> row = rows.get(i + 1);
            assertEquals(4, row.size(), row.toString());
            assertEquals(ids[i], row.get(0));
            assertEquals(processes[i], row.get(1));
            assertEquals(300 + i * 0.001, Double.parseDouble(row.get(3)), 1e-3);
        }
    }
}
