package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.darkscope.io.BundledSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code darkscope compare} and training the detectors that learn from other samples. */
class CompareCommandTest {
    @TempDir
    Path dir;

    @Test
    void compareLeavesOneSignalOutAndWritesTheTable() throws Exception {
        BundledSample.Split split = BundledSample.extractAndSplit(dir.resolve("sample"), 0.6, "train.csv.gz", "test.csv.gz");
        Path out = dir.resolve("compare");
        CliRunner r = CliRunner.run("compare", "--train-background", split.first().toString(), "--background", split.rest().toString(),
                "--signal", split.signal(0).toString(), split.signal(1).toString(), "--detectors",
                "met,knn,classifier,hyperclass,data-vs-reference", "--epochs", "10", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        List<String> signals = new ArrayList<>();
        json.get("signals").forEach(s -> signals.add(s.asText()));
        assertEquals(List.of("glgl1400_neutralino1100", "monojet_Zp2000.0_DM_50.0"), signals);
        assertEquals(5, json.get("methods").size());
        Map<String, Integer> cellsPerMethod = new HashMap<>();
        Map<String, Double> auc = new HashMap<>();
        for (JsonNode cell : json.get("cells")) {
            for (String key : List.of("signal", "method", "trained_on", "auc", "auc_error", "eps_s", "eps_s_error")) {
                assertTrue(cell.has(key), "cell key " + key + " in " + cell);
            }
            String method = cell.get("method").asText();
            cellsPerMethod.merge(method, 1, Integer::sum);
            auc.put(cell.get("signal").asText() + "|" + method + "|" + cell.get("trained_on").asText(), cell.get("auc").asDouble());
            double a = cell.get("auc").asDouble();
            double e = cell.get("eps_s").asDouble();
            assertTrue(a >= 0 && a <= 1 && e >= 0 && e <= 1, cell.toString());
            assertTrue(cell.get("auc_error").asDouble() > 0 && cell.get("auc_error").asDouble() < 0.05, cell.toString());
        }
        // unsupervised: one cell per signal; classifier: trained on each signal, judged on each; the others one per signal
        assertEquals(Map.of("met", 2, "knn", 2, "classifier", 4, "hyperclass", 2, "data-vs-reference", 2), cellsPerMethod);
        for (String s : signals) {
            String other = signals.get(1 - signals.indexOf(s));
            // the ideal: a classifier trained on the very signal it is judged on beats the MET cut and itself trained on the other
            double own = auc.get(s + "|classifier|" + s);
            assertTrue(own > auc.get(s + "|met|background") && own > auc.get(s + "|classifier|" + other),
                    s + ": classifier on its own signal " + own + ", " + auc);
            assertTrue(auc.containsKey(s + "|hyperclass|" + other + " + 5 distortions"), "hyperclass trained on the other signal "
                    + "and the distortions: " + auc.keySet());
        }
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("classifier (own signal)") && md.contains("classifier (other signals)"), md);
        for (JsonNode cell : json.get("cells")) { // every cell shown with its errors or limit and marks (the classifier's on the other signal: one, its own)
            double epsS = cell.get("eps_s").asDouble();
            String efficiency = cell.has("eps_s_upper_limit") || cell.has("eps_s_lower_limit")
                    ? String.format(java.util.Locale.ROOT, "%.3f (%s %.4f)", epsS, epsS == 0 ? "<" : ">",
                            cell.get(epsS == 0 ? "eps_s_upper_limit" : "eps_s_lower_limit").asDouble())
                    : String.format(java.util.Locale.ROOT, "%.3f +- %.3f", epsS, cell.get("eps_s_error").asDouble());
            assertTrue(cell.get("eps_b_resolved").asBoolean(), "2,170 background events resolve 1e-2: " + cell);
            String text = String.format(java.util.Locale.ROOT, "%.3f +- %.3f / %s%s", cell.get("auc").asDouble(),
                    cell.get("auc_error").asDouble(), efficiency, cell.get("eps_b_on_shared_score").asBoolean() ? "^" : "");
            assertTrue(md.contains(" " + text + " |") || md.contains(" **" + text + "** |"), text + " in " + md);
        }
        assertTrue(Files.readString(out.resolve("report.html")).contains("data:image/png;base64,"), "heat maps in the report");
        assertTrue(r.out().contains("| glgl1400_neutralino1100 |"), r.out());
    }

    /** A cut given another variable's encoding is refused as train and benchmark refuse it (compare ran it, named ht, scoring MET). */
    @Test
    void aCutGivenAnotherVariablesEncodingIsRefused() {
        BundledSample.Split split = BundledSample.extractAndSplit(dir.resolve("sample"), 0.6, "train.csv.gz", "test.csv.gz");
        Path out = dir.resolve("cut");
        CliRunner r = CliRunner.run("compare", "--train-background", split.first().toString(), "--background", split.rest().toString(),
                "--signal", split.signal(0).toString(), split.signal(1).toString(), "--detectors", "ht:encoding=met,knn",
                "--out", out.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("ht scores the event's HT itself (encoding ht), not --encoding met"), r.err());
        assertFalse(Files.exists(out.resolve("results.json")));
    }

    @Test
    void aSampleGivenAsTwoIsRefused() throws java.io.IOException {
        Path sample = BundledSample.extractTo(dir.resolve("sample"));
        String background = sample.resolve(BundledSample.BACKGROUND).toString();
        String signal = sample.resolve(BundledSample.SIGNALS.get(0)).toString();
        String other = sample.resolve(BundledSample.SIGNALS.get(1)).toString();
        CliRunner same = CliRunner.run("compare", "--train-background", background, "--background", signal, "--signal", signal, other,
                "--out", dir.resolve("c").toString());
        assertEquals(2, same.exitCode(), same.err());
        assertTrue(same.err().contains("given as --background and as --signal"), same.err());
        CliRunner one = CliRunner.run("compare", "--train-background", background, "--background", other, "--signal", signal,
                "--out", dir.resolve("c").toString());
        assertEquals(2, one.exitCode(), one.err());
        Path seen = dir.resolve("part of the training background.csv");
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(Path.of(background)))) {
            Files.write(seen, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).lines().limit(300).toList());
        }
        CliRunner held = CliRunner.run("compare", "--train-background", background, "--background", seen.toString(), "--signal", signal,
                other, "--detectors", "met,knn", "--out", dir.resolve("c").toString());
        assertEquals(2, held.exitCode(), held.err());
        assertTrue(held.err().contains(seen + " holds events the model was trained on: ") && held.err().contains("about 100.0 %")
                && held.err().contains("--allow-training-overlap"), held.err());
        assertFalse(Files.exists(dir.resolve("c")), "nothing written");
        CliRunner hyperclass = CliRunner.run("train", "--detector", "hyperclass", "--background", background, "--signal", signal,
                "--out", dir.resolve("h").toString());
        assertEquals(2, hyperclass.exitCode());
        assertTrue(hyperclass.err().contains("at least 2 signal samples"), hyperclass.err());
        CliRunner asBoth = CliRunner.run("train", "--detector", "classifier", "--background", background, "--signal", background,
                "--out", dir.resolve("h").toString());
        assertEquals(2, asBoth.exitCode());
        assertTrue(asBoth.err().contains("given as --background and as --signal"), asBoth.err());
        CliRunner unsupervised = CliRunner.run("train", "--detector", "ae", "--background", background, "--signal", signal,
                "--out", dir.resolve("h").toString());
        assertEquals(2, unsupervised.exitCode());
        // a fraction out of range is refused naming its option; train refuses one that kde, validating nothing, would not read
        CliRunner injected = CliRunner.run("compare", "--train-background", background, "--background", seen.toString(), "--signal",
                signal, other, "--injected-fraction", "2", "--out", dir.resolve("c").toString());
        assertEquals(2, injected.exitCode());
        assertTrue(injected.err().contains("--injected-fraction must be in (0, 1), got 2.0"), injected.err());
        CliRunner validation = CliRunner.run("train", "--detector", "kde", "--background", background, "--validation-fraction", "1.5",
                "--out", dir.resolve("h").toString());
        assertEquals(2, validation.exitCode());
        assertTrue(validation.err().contains("--validation-fraction must be in [0, 1), got 1.5"), validation.err());
        assertTrue(Files.notExists(dir.resolve("h")) && Files.notExists(dir.resolve("c")), "nothing written");
    }

    /**
     * A supervised model may not be judged on the signal it trained on; a data-vs-reference model
     * may search the very data and reference it trained on, as each event is scored out of fold.
     */
    @Test
    void trainingOverlapIsRefusedForTheClassifierButNotForOutOfFoldScoring() throws Exception {
        BundledSample.Split split = BundledSample.extractAndSplit(dir.resolve("sample"), 0.5, "reference.csv.gz", "data.csv.gz");
        Path classifier = dir.resolve("classifier");
        assertEquals(0, CliRunner.run("train", "--detector", "classifier", "--background", split.first().toString(), "--signal",
                split.signal(0).toString(), "--epochs", "2", "--out", classifier.toString()).exitCode());
        CliRunner judged = CliRunner.run("evaluate", "--model", classifier.toString(), "--background", split.rest().toString(),
                "--signal", split.signal(0).toString());
        assertEquals(2, judged.exitCode());
        assertTrue(judged.err().contains("trained on"), judged.err());
        Path weak = dir.resolve("weak");
        CliRunner trained = CliRunner.run("train", "--detector", "data-vs-reference", "--background", split.first().toString(),
                "--data", split.rest().toString(), "--epochs", "2", "--out", weak.toString());
        assertEquals(0, trained.exitCode(), trained.err());
        assertTrue(Files.isRegularFile(weak.resolve("fold-5/parameters.bin")));
        CliRunner search = CliRunner.run("search", "--model", weak.toString(), "--background", split.first().toString(), "--data",
                split.rest().toString(), "--toys", "100");
        assertEquals(0, search.exitCode(), search.err());
        assertTrue(search.out().contains("global p"), search.out());
    }
}
