package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.event.Event;
import org.darkscope.io.BundledSample;
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
        assertEquals(1, info.get("format_version").asInt());
        // on the 8 event-level features: 8-32-16 encoder, two 16->4 heads, 4-16-32-8 decoder: weights + biases by hand
        long expected = (8 * 32 + 32) + (32 * 16 + 16) + 2 * (16 * 4 + 4) + (4 * 16 + 16) + (16 * 32 + 32) + (32 * 8 + 8);
        assertEquals(expected, info.get("parameters").asLong());
        long events = EventFiles.read(sample.resolve(BundledSample.BACKGROUND), ParseMode.STRICT, -1).size();
        assertEquals(events, info.get("trained_on_events").asLong() + info.get("validation_events").asLong());
        assertEquals(ModelBundle.sha256(sample.resolve(BundledSample.BACKGROUND)),
                info.get("training_files").get(0).get("sha256").asText());
        assertEquals(4, info.get("history").get("epochs").size());
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

        Files.writeString(manifest, text.replace("\"format_version\" : 1", "\"format_version\" : 99"));
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
        assertTrue(r.err().contains("unknown detector 'svm'"), r.err());
    }

    /** A mistyped setting is refused (exit 2) naming the real ones, before any event is read, and nothing is written. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"vae, betta=0.5, beta", "iforest, hidden=8, trees", "knn, foo=1, k",
            "combined, flow.layres=3, member flow", "combined, rul=and, rule", "met, k=3, no settings"})
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
        Files.writeString(model.resolve(ModelBundle.MANIFEST), manifest.replaceFirst("\"mean\" : \\[ [^,]+,", "\"mean\" : [ 1e300,"));
        Path events = sample.resolve(BundledSample.SIGNALS.get(1));
        Path scores = dir.resolve("infinite-scores.csv");
        CliRunner r = CliRunner.run("score", "--model", model.toString(), "--out", scores.toString(), events.toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("event 1 of the file") && r.err().contains("knn gave it the score Infinity"), r.err());
        assertFalse(Files.exists(scores));
        CliRunner eval = CliRunner.run("evaluate", "--model", model.toString(), "--background", events.toString(), "--signal",
                events.toString());
        assertEquals(3, eval.exitCode(), eval.err());
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
        Files.writeString(unlisted.resolve(ModelBundle.MANIFEST), manifest.replaceAll("\"neighbours.bin\" : \"[0-9a-f]+\"", ""));
        assertRefused(unlisted, events, "not listed in the manifest");

        Path zeroScale = copyOf(model, "zero-scale.model");
        Files.writeString(zeroScale.resolve(ModelBundle.MANIFEST), manifest.replaceFirst("\"scale\" : \\[ [^,]+,", "\"scale\" : [ 0.0,"));
        assertRefused(zeroScale, events, "scale");
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
            Files.writeString(model.resolve(ModelBundle.MANIFEST), Json.MAPPER.writeValueAsString(edited));
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
        Files.writeString(model.resolve(ModelBundle.MANIFEST), Json.MAPPER.writeValueAsString(manifest));
        CliRunner r = CliRunner.run("info", "--model", model.toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("'channel'"), r.err());
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
        List<List<String>> rows = parseCsv(Files.readString(scores, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(List.of("event_id", "process", "weight", "score"), rows.get(0));
        for (int i = 0; i < ids.length; i++) {
            List<String> row = rows.get(i + 1);
            assertEquals(4, row.size(), row.toString());
            assertEquals(ids[i], row.get(0));
            assertEquals(processes[i], row.get(1));
            assertEquals(300 + i * 0.001, Double.parseDouble(row.get(3)), 1e-3);
        }
    }

    /** A plain RFC 4180 reader: fields in double quotes may hold commas and doubled quotes. */
    private static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new java.util.ArrayList<>();
        List<String> row = new java.util.ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new java.util.ArrayList<>();
            } else {
                field.append(c);
            }
        }
        return rows;
    }
}
