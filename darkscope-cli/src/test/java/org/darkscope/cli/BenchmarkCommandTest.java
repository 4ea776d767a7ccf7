package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.darkscope.io.BundledSample;
import org.darkscope.metric.StatisticalErrors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark on the bundled sample at small size, checked against an independent computation. */
class BenchmarkCommandTest {
    @TempDir
    static Path dir;
    static Path train;
    static Path test;
    static Path signal;
    static Path out;
    static JsonNode results;

    @BeforeAll
    static void runBenchmark() throws IOException {
        BundledSample.Split split = BundledSample.extractAndSplit(dir.resolve("sample"), 0.6, "train.csv.gz", "test.csv.gz");
        train = split.first();
        test = split.rest();
        signal = split.signal(1);
        out = dir.resolve("bench");
        CliRunner r = CliRunner.run("benchmark", "--train", train.toString(), "--background", test.toString(),
                "--signal", signal.toString(), split.signal(0).toString(),
                "--detectors", "met,ae,combined", "--out", out.toString(), "--epochs", "5", "--seed", "9");
        assertEquals(0, r.exitCode(), r.err());
        results = Json.MAPPER.readTree(out.resolve("results.json").toFile());
    }

    /** Scores from the score command's CSV, as a user would get them (scored once, for every test that asks). */
    private static float[] scoresFromCli(String detector, Path events) throws IOException {
        Path csv = dir.resolve(detector + "-" + events.getFileName() + ".csv");
        if (!SCORED.containsKey(csv)) {
            SCORED.put(csv, CliRunner.scores(out.resolve("models").resolve(detector), events, csv));
        }
        return SCORED.get(csv).clone();
    }

    private static final java.util.Map<Path, float[]> SCORED = new java.util.HashMap<>();

    @Test
    void resultsAgreeWithPairCountingOnScoreOutput() throws IOException {
        assertEquals(3, results.get("results").size());
        for (JsonNode result : results.get("results")) {
            String detector = result.get("detector").asText();
            float[] b = scoresFromCli(detector, test);
            float[] s = scoresFromCli(detector, signal);
            JsonNode monojet = result.get("signals").get(0);
            assertEquals("monojet_Zp2000.0_DM_50.0", monojet.get("name").asText());
            assertEquals(s.length, monojet.get("events").asInt());
            assertEquals(b.length, result.get("background").get("events").asInt());
            // AUC by brute-force pair counting, ties one half
            double wins = 0;
            for (float si : s) {
                for (float bj : b) {
                    wins += si > bj ? 1 : si == bj ? 0.5 : 0;
                }
            }
            assertEquals(wins / ((double) s.length * b.length), monojet.get("auc").asDouble(), 1e-9, detector);
            // eps_S at eps_B = 1e-2 by hand: the ROC curve's vertices are the distinct scores, each
            // with the fractions of background and signal at or above it; the efficiency is
            // interpolated linearly between the last vertex at or below eps_B and the next
            float[] all = new float[b.length + s.length];
            System.arraycopy(b, 0, all, 0, b.length);
            System.arraycopy(s, 0, all, b.length, s.length);
            double[] thresholds = java.util.stream.IntStream.range(0, all.length).mapToDouble(i -> all[i]).distinct()
                    .sorted().toArray();
            double x0 = 0;
            double y0 = 0;
            double expected = Double.NaN;
            for (int i = thresholds.length - 1; i >= 0; i--) {
                float t = (float) thresholds[i];
                double x = count(b, t) / b.length;
                double y = count(s, t) / s.length;
                if (x > 0.01) {
                    expected = y0 + (y - y0) * (0.01 - x0) / (x - x0);
                    break;
                }
                x0 = x;
                y0 = y;
            }
            assertEquals(expected, monojet.get("eps_s").get("1e-2").asDouble(), 1e-9, detector);
        }
    }

    private static double count(float[] scores, float threshold) {
        int n = 0;
        for (float v : scores) {
            if (v >= threshold) {
                n++;
            }
        }
        return n;
    }

    @Test
    void reportReferencesOnlyFiguresThatDecode() throws IOException {
        String html = Files.readString(out.resolve("report.html"));
        Matcher m = Pattern.compile("<img[^>]*src=\"([^\"]*)\"").matcher(html);
        List<String> sources = new ArrayList<>();
        while (m.find()) {
            sources.add(m.group(1));
        }
        // ROC per signal (2), score plots per detector (3), the training curve of ae (combined's default members, kde and
        // exceedance, have no training loop)
        assertEquals(6, sources.size(), "figures in the page");
        for (String src : sources) {
            assertTrue(src.startsWith("data:image/png;base64,"), src.substring(0, Math.min(40, src.length())));
            byte[] png = Base64.getDecoder().decode(src.substring("data:image/png;base64,".length()));
            assertNotNull(ImageIO.read(new ByteArrayInputStream(png)), "figure does not decode");
        }
        assertTrue(Files.readString(out.resolve("results.md")).contains("| met | monojet_Zp2000.0_DM_50.0 |"));
    }

    /**
     * {@code --weighted}: every held-out event counts by its weight, the figures those of {@code
     * evaluate --weighted} of the same detector, which the weights move; not with {@code --distortions}.
     */
    @Test
    void weightedBenchmarkJudgesAsEvaluateWeighted() throws IOException {
        List<String> lines = new ArrayList<>();
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(signal))) {
            new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).lines().forEach(lines::add);
        }
        for (int i = 0; i < lines.size(); i += 3) { // every third event ten times heavier, as a sample made in slices
            String[] fields = lines.get(i).split(";", -1);
            fields[2] = Double.toString(10 * Double.parseDouble(fields[2]));
            lines.set(i, String.join(";", fields));
        }
        Path sliced = Files.write(dir.resolve("sliced-signal.csv"), lines);
        Path bench = dir.resolve("weighted");
        CliRunner r = CliRunner.run("benchmark", "--train", train.toString(), "--background", test.toString(), "--signal", sliced.toString(),
                "--detectors", "met", "--weighted", "--out", bench.toString());
        assertEquals(0, r.exitCode(), r.err());
        Path model = dir.resolve("met-weighted.model");
        assertEquals(0, CliRunner.run("train", "--detector", "met", "--background", train.toString(), "--out", model.toString()).exitCode());
        Path json = dir.resolve("met-weighted.json");
        assertEquals(0, CliRunner.run("evaluate", "--model", model.toString(), "--background", test.toString(), "--signal", sliced.toString(),
                "--weighted", "--json", json.toString()).exitCode());
        JsonNode benchmarked = Json.MAPPER.readTree(bench.resolve("results.json").toFile()).get("results").get(0).get("signals").get(0);
        JsonNode evaluated = Json.MAPPER.readTree(json.toFile()).get("signals").get(0);
        assertEquals(evaluated.get("auc").asDouble(), benchmarked.get("auc").asDouble(), 1e-12);
        assertEquals(evaluated.get("eps_s").get("1e-2").asDouble(), benchmarked.get("eps_s").get("1e-2").asDouble(), 1e-12);
        double counted = java.util.stream.StreamSupport.stream(results.get("results").spliterator(), false)
                .filter(e -> e.get("detector").asText().equals("met")).findFirst().orElseThrow().get("signals").get(0).get("auc").asDouble();
        assertTrue(Math.abs(counted - benchmarked.get("auc").asDouble()) > 1e-4, "the weights move met's AUC from " + counted);
        CliRunner both = CliRunner.run("benchmark", "--train", train.toString(), "--background", test.toString(), "--distortions",
                "--detectors", "met", "--weighted", "--out", dir.resolve("both").toString());
        assertEquals(2, both.exitCode(), both.err());
    }

    /** A signal whose file name holds a {@code |} stays one cell of results.md's table, its name intact. */
    @Test
    void aSignalNamedWithAPipeStaysOneCellOfTheMarkdownTable() throws IOException {
        Path piped = Files.copy(signal, dir.resolve("mono|jet.csv.gz"));
        Path bench = dir.resolve("piped");
        CliRunner r = CliRunner.run("benchmark", "--train", train.toString(), "--background", test.toString(), "--signal", piped.toString(),
                "--detectors", "met", "--out", bench.toString());
        assertEquals(0, r.exitCode(), r.err());
        String row = Files.readAllLines(bench.resolve("results.md")).get(2);
        String[] cells = row.split("(?<!\\\\)\\|", -1); // at each | not escaped
        assertEquals(9, cells.length, row); // seven cells between the row's two outer bars
        assertEquals(" mono\\|jet ", cells[2], row);
        assertEquals("mono|jet", Json.MAPPER.readTree(bench.resolve("results.json").toFile()).get("results").get(0).get("signals").get(0)
                .get("name").asText());
    }

    /** The report states where its numbers came from: version, command, every input with events and SHA-256, each model's settings and seed. */
    @Test
    void reportStatesItsProvenance() throws Exception {
        String html = Files.readString(out.resolve("report.html"));
        String provenance = html.substring(html.indexOf("<h2>Provenance</h2>"));
        assertTrue(provenance.contains("darkscope " + org.darkscope.DarkscopeVersion.get()), provenance);
        assertTrue(provenance.contains("<code>darkscope benchmark --train " + train), provenance);
        for (Path input : List.of(train, test, signal)) {
            String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(input)));
            assertTrue(provenance.contains(input + "</td>") && provenance.contains(sha), input + " missing: " + provenance);
        }
        long heldOut = org.darkscope.io.EventFiles.read(test, org.darkscope.io.ParseMode.STRICT, -1).size();
        assertTrue(provenance.contains(String.format(java.util.Locale.ROOT, "%,d", heldOut)), provenance);
        JsonNode settings = Json.MAPPER.readTree(out.resolve("models").resolve("ae").resolve("manifest.json").toFile()).get("hyperparameters");
        assertTrue(provenance.contains("ae {hidden=" + settings.get("hidden").asText()), provenance);
    }

    @Test
    void failingDetectorIsReportedAndTheOthersStillRun() throws IOException {
        Path other = dir.resolve("bench-fail");
        // more neighbours than training events: fails while training, after met ran and before ht runs
        CliRunner r = CliRunner.run("benchmark", "--train", train.toString(), "--background", test.toString(),
                "--signal", signal.toString(), "--detectors", "met,knn:k=10000,ht", "--out", other.toString(), "--epochs", "1");
        assertEquals(1, r.exitCode());
        JsonNode json = Json.MAPPER.readTree(other.resolve("results.json").toFile());
        assertEquals(2, json.get("results").size());
        assertEquals("knn:k=10000", json.get("failures").get(0).get("detector").asText());
        assertTrue(Files.readString(other.resolve("results.md")).contains("failed: knn:k=10000"));
        // again into the same directory with met alone: ht's bundle is the earlier run's, and it says so
        CliRunner again = CliRunner.run("benchmark", "--train", train.toString(), "--background", test.toString(),
                "--signal", signal.toString(), "--detectors", "met", "--out", other.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.err().contains(other.resolve("models").resolve("ht") + " is from an earlier run into " + other), again.err());
        assertTrue(!again.err().contains(other.resolve("models").resolve("met").toString()), again.err());
    }

    @Test
    void unknownDetectorIsABadUsageBeforeAnyWork() {
        Path other = dir.resolve("bench-unknown");
        CliRunner r = CliRunner.run("benchmark", "--train", train.toString(), "--background", test.toString(),
                "--signal", signal.toString(), "--detectors", "met,no-such-detector", "--out", other.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("unknown detector 'no-such-detector'"), r.err());
        assertTrue(!Files.exists(other), "nothing written");
    }

    /**
     * Every detector that learns is compared with the baseline on the same events: its figures
     * minus met's, with the paired bootstrap's errors worked out again from the score command's
     * scores; met is not compared with itself.
     */
    @Test
    void detectorsThatLearnAreComparedWithTheBaselineOnTheSameEvents() throws IOException {
        float[] metBackground = scoresFromCli("met", test);
        float[] metSignal = scoresFromCli("met", signal);
        JsonNode met = results.get("results").get(0).get("signals").get(0);
        assertEquals("met", results.get("results").get(0).get("detector").asText());
        assertTrue(!met.has("differences"), met.toString());
        for (int r = 1; r < results.get("results").size(); r++) {
            JsonNode result = results.get("results").get(r);
            String detector = result.get("detector").asText();
            JsonNode monojet = result.get("signals").get(0);
            JsonNode differences = monojet.get("differences");
            assertEquals(1, differences.size(), detector);
            JsonNode minusMet = differences.get(0);
            assertEquals("met", minusMet.get("minus").asText());
            assertEquals(monojet.get("auc").asDouble() - met.get("auc").asDouble(), minusMet.get("auc").asDouble(), 1e-12);
            assertEquals(monojet.get("eps_s").get("1e-2").asDouble() - met.get("eps_s").get("1e-2").asDouble(),
                    minusMet.get("eps_s").get("1e-2").asDouble(), 1e-12);
            StatisticalErrors expected = StatisticalErrors.ofDifference(scoresFromCli(detector, test), scoresFromCli(detector, signal),
                    metBackground, metSignal, null, null);
            assertEquals(expected.auc(), minusMet.get("auc_error").asDouble(), 1e-12, detector);
            assertEquals(expected.signalEfficiency().get("1e-2"), minusMet.get("eps_s_error").get("1e-2").asDouble(), 1e-12, detector);
            // in the tables, in bold where the difference is beyond two errors
            String cell = String.format(java.util.Locale.ROOT, "%+.3f +- %.3f", minusMet.get("auc").asDouble(), expected.auc());
            boolean beyond = Math.abs(minusMet.get("auc").asDouble()) > 2 * expected.auc();
            assertTrue(Files.readString(out.resolve("results.md")).contains("| " + detector + " | monojet_Zp2000.0_DM_50.0 | "
                    + (beyond ? "**" + cell + "**" : cell) + " |"), cell);
            assertTrue(Files.readString(out.resolve("report.html")).contains("<td class=\"name\">" + detector + "</td><td class=\"name\">"
                    + "monojet_Zp2000.0_DM_50.0</td><td>" + (beyond ? "<b>" + cell + "</b>" : cell) + "</td>"), cell);
        }
    }

    /** evaluate --versus gives the benchmark's differences to met, to the bit; a model is not compared with itself. */
    @Test
    void evaluateVersusAModelGivesTheBenchmarksDifferences() throws IOException {
        Path json = dir.resolve("versus.json");
        Path models = out.resolve("models");
        CliRunner r = CliRunner.run("evaluate", "--model", models.resolve("ae").toString(), "--versus", models.resolve("met").toString(),
                "--background", test.toString(), "--signal", signal.toString(), "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode versus = Json.MAPPER.readTree(json.toFile()).get("signals").get(0).get("differences").get(0);
        JsonNode bench = results.get("results").get(1).get("signals").get(0).get("differences").get(0);
        assertEquals("ae", results.get("results").get(1).get("detector").asText());
        assertEquals(bench, versus);
        assertTrue(r.out().contains("Against the --versus models") && r.out().contains("| ae | monojet_Zp2000.0_DM_50.0 |"), r.out());

        CliRunner itself = CliRunner.run("evaluate", "--model", models.resolve("ae").toString(), "--versus", models.resolve("ae").toString(),
                "--background", test.toString(), "--signal", signal.toString());
        assertEquals(2, itself.exitCode(), itself.err());
        assertTrue(itself.err().contains("is the --model itself"), itself.err());
        // a model of another channel judges other events: refused before anything is judged
        Path chan3 = dir.resolve("met-chan3.model");
        assertEquals(0, CliRunner.run("train", "--detector", "met", "--channel", "chan3", "--background", train.toString(), "--out",
                chan3.toString()).exitCode());
        CliRunner otherChannel = CliRunner.run("evaluate", "--model", models.resolve("ae").toString(), "--versus", chan3.toString(),
                "--background", test.toString(), "--signal", signal.toString());
        assertEquals(2, otherChannel.exitCode(), otherChannel.err());
        assertTrue(otherChannel.err().contains("was trained in chan3, --model in chan1"), otherChannel.err());
        assertEquals("", otherChannel.out(), "nothing judged");
    }

    @Test
    void evaluateCommandGivesTheSameNumbersAsTheBenchmark() throws IOException {
        Path json = dir.resolve("eval.json");
        CliRunner r = CliRunner.run("evaluate", "--model", out.resolve("models").resolve("met").toString(), "--background",
                test.toString(), "--signal", signal.toString(), "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode eval = Json.MAPPER.readTree(json.toFile());
        JsonNode bench = results.get("results").get(0);
        assertEquals("met", bench.get("detector").asText());
        assertEquals(bench.get("signals").get(0).get("auc").asDouble(), eval.get("signals").get(0).get("auc").asDouble(), 0);
        assertEquals(bench.get("signals").get(0).get("eps_s"), eval.get("signals").get(0).get("eps_s"));
        // the same scores, the same statistical errors; eps_S's only where the background resolves eps_B
        assertEquals(bench.get("signals").get(0).get("auc_error"), eval.get("signals").get(0).get("auc_error"));
        assertEquals(bench.get("signals").get(0).get("eps_s_error"), eval.get("signals").get(0).get("eps_s_error"));
        JsonNode resolved = eval.get("signals").get(0).get("eps_b_resolved");
        JsonNode errors = eval.get("signals").get(0).get("eps_s_error");
        JsonNode shared = eval.get("signals").get(0).get("eps_b_on_shared_score");
        for (String label : List.of("1e-2", "1e-3", "1e-4")) {
            assertEquals(resolved.get(label).asBoolean(), errors.has(label), label + ": " + errors);
            assertTrue(shared.get(label).isBoolean(), label + ": " + shared);
        }
        assertTrue(eval.get("signals").get(0).get("auc_error").asDouble() > 0, eval.toString());
        assertTrue(r.out().contains("+- statistical (bootstrap)"), r.out());
    }
}
