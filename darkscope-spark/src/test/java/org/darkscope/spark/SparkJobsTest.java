package org.darkscope.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.darkscope.cli.Json;
import org.darkscope.cli.Main;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.io.BundledSample;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark jobs in local mode give the single-machine commands' numbers on the same files. */
class SparkJobsTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path reference;
    static Path test;
    static Path signal;

    record Run(int code, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run spark(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of(args[0], "--master", "local[2]"), Stream.of(args).skip(1)).toArray(String[]::new);
        int code = SparkMain.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void trainAModel() {
        BundledSample.Split split = BundledSample.extractAndSplit(dir.resolve("sample"), 0.6, "reference.csv.gz", "test.csv");
        reference = split.first();
        test = split.rest();
        signal = split.signal(1);
        model = dir.resolve("ae.model");
        Run r = cli("train", "--detector", "ae", "--background", reference.toString(), "--out", model.toString(), "--epochs", "3");
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void scoresAreIdenticalToTheSingleMachineCommand() throws IOException {
        Path single = dir.resolve("single.csv");
        assertEquals(0, cli("score", "--model", model.toString(), "--out", single.toString(), test.toString(), signal.toString()).code());
        Map<String, String> expected = new HashMap<>();
        List<String> lines = Files.readAllLines(single);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            expected.put(f[1] + "/" + f[0], f[3]); // process/event_id -> score
        }
        Path out = dir.resolve("spark-scores");
        Run r = spark("score", "--model", model.toString(), "--out", out.toString(), "--csv", test.toString(), signal.toString());
        assertEquals(0, r.code(), r.err());
        int rows = 0;
        for (Path part : SparkJobs.csvParts(out)) {
            List<String> partLines = Files.readAllLines(part);
            for (String line : partLines.subList(1, partLines.size())) {
                String[] f = line.split(",");
                String key = f[2] + "/" + f[1];
                assertEquals(Float.parseFloat(expected.get(key)), Float.parseFloat(f[4]), 0f, key);
                rows++;
            }
        }
        assertEquals(expected.size(), rows);
        assertTrue(Files.isDirectory(out.resolve("parquet")));
    }

    /**
     * {@code --members}: each member's -log10 p of a combined model beside the score, the command
     * line's to the bit, in the Parquet and the CSV; a model of one detector is refused before the
     * job, nothing written.
     */
    @Test
    void membersAreTheCommandLinesAndOnlyForACombinedModel() throws IOException {
        Path combined = dir.resolve("combined.model");
        assertEquals(0, cli("train", "--detector", "default", "--background", reference.toString(), "--out", combined.toString()).code());
        Path single = dir.resolve("members.csv");
        assertEquals(0, cli("score", "--model", combined.toString(), "--out", single.toString(), "--members", test.toString(),
                signal.toString()).code());
        List<List<String>> expected = org.darkscope.io.CsvRows.parse(Files.readString(single));
        assertEquals(List.of("event_id", "process", "weight", "score", "neglog10p_kde", "neglog10p_exceedance", "file"), expected.get(0));
        Map<String, List<String>> byEvent = new HashMap<>();
        for (List<String> row : expected.subList(1, expected.size())) {
            byEvent.put(Path.of(row.get(6)).getFileName() + "/" + row.get(0), row.subList(3, 6));
        }
        Path out = dir.resolve("members-out");
        Run r = spark("score", "--model", combined.toString(), "--out", out.toString(), "--csv", "--members", test.toString(),
                signal.toString());
        assertEquals(0, r.code(), r.err());
        int rows = 0;
        for (Path part : SparkJobs.csvParts(out)) {
            List<List<String>> partRows = org.darkscope.io.CsvRows.parse(Files.readString(part));
            assertEquals(List.of("file", "event_id", "process", "weight", "score", "neglog10p_kde", "neglog10p_exceedance"),
                    partRows.get(0));
            for (List<String> row : partRows.subList(1, partRows.size())) {
                String key = DistributedScoring.localPath(row.get(0)).getFileName() + "/" + row.get(1);
                List<String> want = byEvent.get(key);
                for (int c = 0; c < 3; c++) {
                    assertEquals(Float.parseFloat(want.get(c)), Float.parseFloat(row.get(4 + c)), 0f, key + " column " + c);
                }
                rows++;
            }
        }
        assertEquals(byEvent.size(), rows);
        try (SparkSession session = localSession()) {
            assertEquals(List.of("file", "event_id", "process", "weight", "score", "neglog10p_kde", "neglog10p_exceedance"),
                    List.of(session.read().parquet(out.resolve("parquet").toString()).schema().fieldNames()));
        }
        Run refused = spark("score", "--model", model.toString(), "--out", dir.resolve("members-refused").toString(), "--members",
                test.toString());
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("each member's p needs a combined model; " + model + " is ae"), refused.err());
        assertFalse(Files.exists(dir.resolve("members-refused")));
    }

    /** Scores as a map process/event_id to score, from a scores directory's Parquet. */
    private static Map<String, Float> parquetScores(Path out) {
        Map<String, Float> actual = new HashMap<>();
        try (SparkSession spark = localSession()) {
            for (Row row : spark.read().parquet(out.resolve("parquet").toString()).collectAsList()) {
                actual.put(row.getString(row.fieldIndex("process")) + "/" + row.getString(row.fieldIndex("event_id")),
                        row.getFloat(row.fieldIndex("score")));
            }
        }
        return actual;
    }

    private static SparkSession localSession() {
        return SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    }

    /** The command line's scores of {@code files}, as a map process/event_id to score. */
    private static Map<String, Float> cliScores(String name, Path... files) throws IOException {
        Path single = dir.resolve(name);
        java.util.List<String> args = new java.util.ArrayList<>(List.of("score", "--model", model.toString(), "--out", single.toString()));
        for (Path f : files) {
            args.add(f.toString());
        }
        assertEquals(0, cli(args.toArray(String[]::new)).code());
        Map<String, Float> expected = new HashMap<>();
        List<String> lines = Files.readAllLines(single);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            expected.put(f[1] + "/" + f[0], Float.parseFloat(f[3]));
        }
        return expected;
    }

    /** Events converted to Parquet score, evaluate and search as their CSV does; a bad value in a row is bad input. */
    @Test
    void eventsConvertedToParquetScoreAndEvaluateAsTheirCsv() throws IOException {
        Path background = dir.resolve("background.parquet");
        Path signals = dir.resolve("signal.parquet");
        Run c = spark("convert", "--out", background.toString(), test.toString());
        assertEquals(0, c.code(), c.err());
        assertEquals(0, spark("convert", "--out", signals.toString(), signal.toString()).code());
        assertTrue(c.out().contains("converted " + EventFiles.read(test, ParseMode.STRICT, -1).size() + " events"), c.out());

        Path out = dir.resolve("parquet-scores");
        Run r = spark("score", "--model", model.toString(), "--out", out.toString(), background.toString(), signals.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(cliScores("single-both.csv", test, signal), parquetScores(out));

        assertEvaluatesAsTheCommandLine(background, signals, "parquet");

        Path bad = dir.resolve("bad.parquet");
        try (SparkSession session = localSession()) {
            Row good = EventParquet.row(EventFiles.read(test, ParseMode.STRICT, 1).get(0));
            Row object = org.apache.spark.sql.RowFactory.create("j", 300_000.0, 250_000.0, 99.0, 0.5);
            Row wrong = EventParquet.row("42", "ttbar", 1.0, 250_000.0, 0.1, List.of(object));
            Row swapped = EventParquet.row("43", "ttbar", 1.0, 250_000.0, 0.1,
                    List.of(org.apache.spark.sql.RowFactory.create("j", 200_000.0, 250_000.0, 0.5, 0.5)));
            Row weightless = EventParquet.row("44", "ttbar", Double.NaN, 250_000.0, 0.1,
                    List.of(org.apache.spark.sql.RowFactory.create("j", 300_000.0, 250_000.0, 0.5, 0.5)));
            session.createDataFrame(List.of(good, wrong, swapped, weightless), EventParquet.SCHEMA).coalesce(1).write().parquet(bad.toString());
        }
        Run strict = spark("score", "--model", model.toString(), "--out", dir.resolve("bad-parquet-out").toString(), bad.toString());
        assertEquals(3, strict.code(), strict.err());
        assertTrue(strict.err().contains(": event 42: an object's eta 99.0 outside |eta| <= 20"), strict.err());
        Run lenient = spark("score", "--model", model.toString(), "--out", dir.resolve("lenient-parquet-out").toString(), bad.toString(),
                "--skip-bad-lines");
        assertEquals(0, lenient.code(), lenient.err());
        assertTrue(lenient.out().contains("scored 1 events") && lenient.err().contains("skipped 3 bad line(s)"), lenient.out() + lenient.err());
        assertTrue(lenient.err().contains("event 43: an object's E 200000.0 below its pt 250000.0"), lenient.err());
        assertTrue(lenient.err().contains("event 44: event weight is non-finite: NaN"), lenient.err());
    }

    /** Without {@code --csv} the scores are written once, as Parquet, and hold the command line's scores. */
    @Test
    void parquetAloneByDefaultWithTheCommandLinesScores() throws IOException {
        Path out = dir.resolve("parquet-only");
        Run r = spark("score", "--model", model.toString(), "--out", out.toString(), test.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote " + out + "/parquet\n"), r.out());
        assertTrue(Files.notExists(out.resolve("csv")));
        assertEquals(cliScores("single-parquet.csv", test), parquetScores(out));
    }

    /** Spark's own log is off unless DARKSCOPE_SPARK_LOG asks for it: a failure reads as darkscope's one-line message. */
    @Test
    void theCommandLinesHelpNamesEverySparkJob() {
        StringWriter usage = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(usage, true), new PrintWriter(new StringWriter(), true), "--help"));
        String sparkLine = usage.toString().lines().filter(l -> l.trim().startsWith("spark ")).findFirst().orElseThrow();
        for (String job : new picocli.CommandLine(new SparkMain()).getSubcommands().keySet()) {
            if (!job.equals("help")) {
                assertTrue(sparkLine.contains(job), job + " is not named in darkscope's help: " + sparkLine);
            }
        }
    }

    @Test
    void sparksLogIsOffByDefault() {
        if (System.getenv("DARKSCOPE_SPARK_LOG") == null) {
            assertEquals(org.apache.logging.log4j.Level.OFF, org.apache.logging.log4j.LogManager.getRootLogger().getLevel());
        }
        Run r = spark("score", "--model", model.toString(), "--out", dir.resolve("bad-out").toString(), dir.resolve("no-such.csv").toString());
        assertEquals(3, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    /** Event IDs with a comma, a double quote and letters beyond ASCII come out of the CSV writer as RFC 4180 fields, intact. */
    @Test
    void scoresCsvIsRfc4180WithUtf8Ids() throws IOException {
        List<String> ids = List.of("a,b", "say \"hi\"", "\u00e9v\u00e9nement-\u4e8b\u4ef6");
        String line = Files.readAllLines(test).get(0);
        String rest = line.substring(line.indexOf(';'));
        Path events = dir.resolve("ids.csv");
        Files.write(events, ids.stream().map(id -> id + rest).toList(), java.nio.charset.StandardCharsets.UTF_8);
        Path out = dir.resolve("ids-out");
        Run r = spark("score", "--model", model.toString(), "--out", out.toString(), "--csv", events.toString());
        assertEquals(0, r.code(), r.err());
        List<List<String>> rows = new java.util.ArrayList<>();
        for (Path part : SparkJobs.csvParts(out)) {
            List<List<String>> partRows = org.darkscope.io.CsvRows.parse(Files.readString(part, java.nio.charset.StandardCharsets.UTF_8));
            rows.addAll(partRows.subList(1, partRows.size()));
        }
        assertEquals(ids, rows.stream().map(row -> row.get(1)).sorted(java.util.Comparator.comparing(ids::indexOf)).toList());
        rows.forEach(row -> assertEquals(5, row.size(), row.toString()));
    }

    /**
     * Spark reads events and a bundle whose paths hold a comma, a space, double quotes and brackets
     * as named (Hadoop would part its list of inputs at the comma and read the brackets as a glob;
     * a URI refuses the rest), and reads back its Parquet output from such a directory for the CSV;
     * {@code cluster-test}'s comparison reads both sides' scores as RFC 4180, so that such paths (the
     * file column) and an event ID with a comma compare equal. A name with unbalanced braces is
     * refused before the job.
     */
    @Test
    void pathsWithCommasSpacesQuotesAndBracketsAreReadAsNamedAndCompared() throws IOException {
        Path where = Files.createDirectories(dir.resolve("work, \"quoted\" [1]"));
        String line = Files.readAllLines(test).get(0);
        Path events = Files.write(where.resolve("ids[1].csv"), List.of("a,b" + line.substring(line.indexOf(';'))));
        Path heldOut = Files.copy(test, where.resolve("test.csv"));
        Path single = where.resolve("single.csv");
        assertEquals(0, cli("score", "--model", model.toString(), "--out", single.toString(), events.toString(), heldOut.toString()).code());
        Path bundle = Files.createDirectories(where.resolve("the model"));
        try (Stream<Path> files = Files.list(model)) {
            for (Path f : files.toList()) {
                Files.copy(f, bundle.resolve(f.getFileName()));
            }
        }
        Path out = where.resolve("spark-scores");
        Run r = spark("score", "--model", bundle.toString(), "--out", out.toString(), "--csv", events.toString(), heldOut.toString());
        assertEquals(0, r.code(), r.err());
        List<String> here = ClusterTest.scores(List.of(single), false);
        assertEquals(here, ClusterTest.scores(SparkJobs.csvParts(out), true));
        assertEquals(Files.readAllLines(test).size() + 1, here.size());
        assertEquals(1, here.stream().filter(row -> row.startsWith("ids[1].csv,a,b,")).count(), here.toString());
        Path brace = Files.copy(test, where.resolve("open{brace.csv"));
        Run refused = spark("score", "--model", model.toString(), "--out", where.resolve("refused").toString(), "--csv", brace.toString());
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains(brace + ": Spark's file lists cannot hold a path with unbalanced braces"), refused.err());
        assertFalse(Files.exists(where.resolve("refused")));
    }

    /** A score that is not finite stops the job with exit 3 naming the event, as on one machine, and leaves no output. */
    @Test
    void aNonFiniteScoreIsBadInputNamingTheEvent() throws IOException {
        Path broken = dir.resolve("broken.model");
        Files.createDirectories(broken);
        try (Stream<Path> files = Files.list(model)) {
            for (Path f : files.toList()) {
                Files.copy(f, broken.resolve(f.getFileName()));
            }
        }
        Path manifest = broken.resolve(ModelBundle.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"mean\" : \\[ [^,]+,", "\"mean\" : [ 1e300,"));
        Files.writeString(broken.resolve(ModelBundle.SEAL), ModelBundle.sha256(manifest) + "  " + ModelBundle.MANIFEST + "\n");
        Path out = dir.resolve("broken-out");
        Run r = spark("score", "--model", broken.toString(), "--out", out.toString(), signal.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("event 1 of the file") && r.err().contains("gave it the score"), r.err());
        assertTrue(!Files.exists(out), "no output after a failed job");
    }

    @Test
    void evaluateEqualsTheSingleMachineMetrics() throws IOException {
        assertEvaluatesAsTheCommandLine(test, signal, "spark");
    }

    /**
     * {@code --weighted}: every event counts by its weight column (the bundled sample's weights differ
     * by process), the figures the command line's {@code evaluate --weighted} gives, the errors from
     * the groups' squared weights close to its bootstrap's; negative weights (an NLO generator's, every
     * fifth event's here) count against their sample as on one machine, and a sample whose weights sum
     * to 0 or less is refused, naming it (exit 3).
     */
    @Test
    void weightedEvaluationEqualsTheSingleMachines() throws IOException {
        JsonNode b = assertEvaluatesAsTheCommandLine(test, signal, "weighted", "--weighted");
        Path plain = dir.resolve("eval-spark-unweighted.json");
        assertEquals(0, spark("evaluate", "--model", model.toString(), "--background", test.toString(), "--signal", signal.toString(),
                "--json", plain.toString()).code());
        double unweighted = Json.MAPPER.readTree(plain.toFile()).get("signals").get(0).get("auc").asDouble();
        assertTrue(Math.abs(unweighted - b.get("auc").asDouble()) > 1e-4, "the weights change the AUC: " + unweighted + " unweighted");

        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(test));
        for (int i = 0; i < lines.size(); i += 5) {
            String[] fields = lines.get(i).split(";", -1);
            fields[2] = "-" + fields[2];
            lines.set(i, String.join(";", fields));
        }
        Path signed = Files.write(dir.resolve("signed-weights.csv"), lines);
        Path single = dir.resolve("eval-single-signed.json");
        Path distributed = dir.resolve("eval-spark-signed.json");
        assertEquals(0, cli("evaluate", "--model", model.toString(), "--background", signed.toString(), "--signal", signal.toString(),
                "--weighted", "--json", single.toString()).code());
        assertEquals(0, spark("evaluate", "--model", model.toString(), "--background", signed.toString(), "--signal", signal.toString(),
                "--weighted", "--json", distributed.toString()).code());
        JsonNode one = Json.MAPPER.readTree(single.toFile()).get("signals").get(0);
        JsonNode many = Json.MAPPER.readTree(distributed.toFile()).get("signals").get(0);
        assertTrue(Math.abs(one.get("auc").asDouble() - b.get("auc").asDouble()) > 1e-4, "the negative weights change the AUC");
        assertEquals(one.get("auc").asDouble(), many.get("auc").asDouble(), 1e-9);
        assertEquals(one.get("eps_s").get("1e-2").asDouble(), many.get("eps_s").get("1e-2").asDouble(), 1e-9);
        assertEquals(one.get("max_significance_improvement").asDouble(), many.get("max_significance_improvement").asDouble(), 1e-9);
        assertEquals(one.get("auc_error").asDouble(), many.get("auc_error").asDouble(), 0.15 * one.get("auc_error").asDouble());

        List<String> negatedAll = Files.readAllLines(test).stream().map(l -> l.replaceFirst("^([^;]*;[^;]*;)", "$1-")).toList();
        Path negative = Files.write(dir.resolve("negative-weights.csv"), negatedAll.subList(0, 40));
        Run refused = spark("evaluate", "--model", model.toString(), "--background", negative.toString(), "--signal", signal.toString(),
                "--weighted");
        assertEquals(3, refused.code(), refused.err());
        assertTrue(refused.err().contains(negative + ": the weights of its 40 events sum to -"), refused.err());
    }

    /**
     * {@code --report}: the page of {@code darkscope evaluate --report} from Spark's curves: the table,
     * a ROC curve per signal, the training curve, no score distributions (no scores kept, said so),
     * and the provenance with the command and the inputs as given, not hashed.
     */
    @Test
    void evaluateWritesTheReportFromItsCurves() throws IOException {
        Path report = dir.resolve("spark-report");
        Run r = spark("evaluate", "--model", model.toString(), "--background", test.toString(), "--signal", signal.toString(),
                "--report", report.toString());
        assertEquals(0, r.code(), r.err());
        String page = Files.readString(report.resolve("report.html"));
        assertTrue(page.contains("<code>darkscope spark evaluate --master local[2] --model " + model), page.substring(page.indexOf("Provenance")));
        assertTrue(page.contains("(read by Spark: not hashed)") && !page.contains("(a stream)"), "no input hashed on the driver");
        assertTrue(page.contains("judged by Spark, which keeps the ROC curve's groups of equal score and no event's score"));
        assertEquals(2, page.split("<img ", -1).length - 1, "the ROC curve of the one signal and the training curve");
        assertTrue(page.contains(String.format(java.util.Locale.ROOT, "%,d", Files.readAllLines(test).size())), "the background's events");
        Run clash = spark("evaluate", "--model", model.toString(), "--background", test.toString(), "--signal", signal.toString(),
                "--report", dir.resolve("clash").toString(), "--json", dir.resolve("clash").resolve("report.html").toString());
        assertEquals(2, clash.code(), clash.err());
    }

    /** A sample holding the model's training events is refused once its events are counted, as on one machine. */
    @Test
    void judgingOnTheTrainingEventsIsRefusedUnlessAllowed() throws IOException {
        Path copy = dir.resolve("reference-copy.csv"); // the training events in another file: found by their fingerprints
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(reference))) {
            Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Run evaluate = spark("evaluate", "--model", model.toString(), "--background", copy.toString(), "--signal", signal.toString());
        assertEquals(2, evaluate.code(), evaluate.err());
        Run single = cli("evaluate", "--model", model.toString(), "--background", copy.toString(), "--signal", signal.toString());
        assertEquals(2, single.code(), single.err());
        String refusal = single.err().substring(single.err().indexOf(copy + " holds events the model was trained on: "));
        long events = Files.readAllLines(copy).size();
        assertTrue(refusal.contains(": " + events + " of its " + events + " events, about 100.0 %"), refusal);
        assertTrue(evaluate.err().contains(refusal.strip()), "the single machine's words: " + refusal + "\n" + evaluate.err());
        Run search = spark("search", "--model", model.toString(), "--background", test.toString(), "--data", reference.toString(),
                "--toys", "20");
        assertEquals(2, search.code(), search.err());
        assertTrue(search.err().contains(reference + " holds events the model was trained on: "), search.err());
        Run allowed = spark("evaluate", "--model", model.toString(), "--background", reference.toString(), "--signal",
                signal.toString(), "--allow-training-overlap");
        assertEquals(0, allowed.code(), allowed.err());
        assertTrue(allowed.err().contains("note: " + reference + " holds events the model was trained on: "), allowed.err());
    }

    /** Events outside the model's channel are left out of the judgement, and said, as on one machine. */
    @Test
    void evaluateLeavesOutTheEventsOutsideTheModelsChannel() throws IOException {
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(test));
        for (String line : Files.readAllLines(test).subList(0, 50)) {
            String[] fields = line.split(";", -1);
            fields[3] = "150000"; // MET 150 GeV: below channel 1's 200 GeV
            lines.add(String.join(";", fields));
        }
        Path withOutside = Files.write(dir.resolve("test-and-outside.csv"), lines);
        assertEvaluatesAsTheCommandLine(withOutside, signal, "outside");
        Run r = spark("evaluate", "--model", model.toString(), "--background", withOutside.toString(), "--signal", signal.toString());
        assertTrue(r.err().contains("50 event(s) lie outside the model's channel: not judged"), r.err());
    }

    /**
     * Spark's evaluate of {@code background} and {@code signalInput} gives the command line's figures for the bundled CSV,
     * both with {@code options}; returns Spark's signal.
     */
    private static JsonNode assertEvaluatesAsTheCommandLine(Path background, Path signalInput, String name, String... options)
            throws IOException {
        Path single = dir.resolve("eval-single-" + name + ".json");
        assertEquals(0, cli(Stream.concat(Stream.of("evaluate", "--model", model.toString(), "--background", test.toString(), "--signal",
                signal.toString(), "--json", single.toString()), Stream.of(options)).toArray(String[]::new)).code());
        Path distributed = dir.resolve("eval-" + name + ".json");
        Run r = spark(Stream.concat(Stream.of("evaluate", "--model", model.toString(), "--background", background.toString(), "--signal",
                signalInput.toString(), "--json", distributed.toString()), Stream.of(options)).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        JsonNode a = Json.MAPPER.readTree(single.toFile()).get("signals").get(0);
        JsonNode b = Json.MAPPER.readTree(distributed.toFile()).get("signals").get(0);
        assertEquals(a.get("events").asLong(), b.get("events").asLong());
        assertEquals(a.get("auc").asDouble(), b.get("auc").asDouble(), 1e-9);
        for (String key : List.of("1e-2", "1e-3", "1e-4")) {
            assertEquals(a.get("eps_s").get(key).asDouble(), b.get("eps_s").get(key).asDouble(), 1e-9, key);
        }
        assertEquals(a.get("max_significance_improvement").asDouble(), b.get("max_significance_improvement").asDouble(), 1e-9);
        // Spark keeps no scores to bootstrap: its errors are the asymptotic formulas', close to the single machine's bootstrap
        assertEquals("bootstrap", a.get("error_method").asText());
        assertEquals("asymptotic", b.get("error_method").asText());
        assertEquals(a.get("auc_error").asDouble(), b.get("auc_error").asDouble(), 0.15 * a.get("auc_error").asDouble());
        assertEquals(a.get("eps_s_error").size(), b.get("eps_s_error").size(), "the same eps_B resolved");
        return b;
    }

    @Test
    void searchCountsEqualTheSingleMachineSearch() throws IOException {
        // the held-out events in two halves: reference background and data, neither trained on
        List<String> heldOut = Files.readAllLines(test);
        Path held = Files.write(dir.resolve("held-reference.csv"), heldOut.subList(0, heldOut.size() / 2));
        Path data = Files.write(dir.resolve("held-data.csv"), heldOut.subList(heldOut.size() / 2, heldOut.size()));
        Path single = dir.resolve("search-single.json");
        Run one = cli("search", "--model", model.toString(), "--background", held.toString(), "--data", data.toString(),
                "--toys", "200", "--json", single.toString());
        assertEquals(0, one.code(), one.err());
        Path distributed = dir.resolve("search-spark.json");
        Path report = dir.resolve("search-spark-report");
        Run r = spark("search", "--model", model.toString(), "--background", held.toString(), "--data", data.toString(),
                "--toys", "200", "--json", distributed.toString(), "--report", report.toString());
        assertEquals(0, r.code(), r.err());
        // the page of darkscope search --report, its provenance with the inputs' events, not hashed
        String page = Files.readString(report.resolve("search.html"));
        assertTrue(page.contains("darkscope spark search --master local[2] --model " + model), page);
        assertTrue(page.contains(String.format(java.util.Locale.ROOT, "%,d", heldOut.size() / 2)) && page.contains("(read by Spark: not hashed)"),
                page);
        JsonNode a = Json.MAPPER.readTree(single.toFile());
        JsonNode b = Json.MAPPER.readTree(distributed.toFile());
        assertEquals(a.get("regions").size(), b.get("regions").size());
        for (int i = 0; i < a.get("regions").size(); i++) {
            JsonNode x = a.get("regions").get(i);
            JsonNode y = b.get("regions").get(i);
            assertEquals(x.get("observed").asLong(), y.get("observed").asLong());
            assertEquals(x.get("expected").asDouble(), y.get("expected").asDouble(), 1e-9);
            assertEquals(x.get("local_p").asDouble(), y.get("local_p").asDouble(), 1e-9);
        }
        assertEquals(a.get("global_p").asDouble(), b.get("global_p").asDouble(), 1e-9);

        // --weighted: a reference whose weights differ within a process (every other event's ten times), counted by them on both
        List<String> sliced = new java.util.ArrayList<>(heldOut.subList(0, heldOut.size() / 2));
        for (int i = 1; i < sliced.size(); i += 2) {
            String[] fields = sliced.get(i).split(";", -1);
            fields[2] = Double.toString(10 * Double.parseDouble(fields[2]));
            sliced.set(i, String.join(";", fields));
        }
        Path slicedReference = Files.write(dir.resolve("sliced-reference.csv"), sliced);
        JsonNode[] weighted = new JsonNode[2];
        for (int side = 0; side < 2; side++) {
            Path out = dir.resolve("search-weighted-" + side + ".json");
            String[] args = {"search", "--model", model.toString(), "--background", slicedReference.toString(), "--data", data.toString(),
                    "--toys", "200", "--weighted", "--json", out.toString()};
            Run run = side == 0 ? cli(args) : spark(args);
            assertEquals(0, run.code(), run.err());
            weighted[side] = Json.MAPPER.readTree(out.toFile());
        }
        assertEquals(weighted[0].get("regions").size(), weighted[1].get("regions").size());
        boolean moved = false;
        for (int i = 0; i < weighted[0].get("regions").size(); i++) {
            JsonNode x = weighted[0].get("regions").get(i);
            assertEquals(x.get("expected").asDouble(), weighted[1].get("regions").get(i).get("expected").asDouble(), 1e-9);
            assertEquals(x.get("threshold").asDouble(), weighted[1].get("regions").get(i).get("threshold").asDouble(), 1e-9);
            moved |= i < a.get("regions").size() && Math.abs(x.get("threshold").asDouble() - a.get("regions").get(i).get("threshold").asDouble()) > 1e-6;
        }
        assertTrue(moved, "the weights move the thresholds");
        assertEquals(weighted[0].get("global_p").asDouble(), weighted[1].get("global_p").asDouble(), 1e-9);
    }

    @Test
    void theReferenceNamedAgainAsDataOrSignalIsRefusedBeforeAnyJob() {
        String again = dir.resolve("sample").resolve("..").resolve("sample").resolve(test.getFileName()).toString();
        Run search = spark("search", "--model", model.toString(), "--background", test.toString(), "--data", again);
        assertEquals(2, search.code(), search.err());
        assertTrue(search.err().contains(test + " and " + again + " (the same events) given as --background and as --data"), search.err());
        Run evaluate = spark("evaluate", "--model", model.toString(), "--background", test.toString(), "--signal", signal.toString(),
                test.toString());
        assertEquals(2, evaluate.code(), evaluate.err());
        assertTrue(evaluate.err().contains("(the same events) given as --background and as --signal"), evaluate.err());
    }

    @Test
    void oneInputNamedTwiceIsRefusedBeforeAnyJob() {
        String again = dir.resolve("sample").resolve("..").resolve("sample").resolve(test.getFileName()).toString();
        Path scores = dir.resolve("twice-scores");
        Path converted = dir.resolve("twice-converted");
        Map<Path, Run> runs = Map.of(scores, spark("score", "--model", model.toString(), "--out", scores.toString(), test.toString(), again),
                converted, spark("convert", "--out", converted.toString(), test.toString(), again));
        for (Path out : runs.keySet()) {
            Run run = runs.get(out);
            assertEquals(2, run.code(), run.err());
            assertTrue(run.err().contains(test + " and " + again + " (the same events) given as INPUT twice: give each file once"), run.err());
            assertFalse(Files.exists(out), "wrote " + out);
        }
        Path sampled = dir.resolve("twice-sample.csv");
        Run sample = spark("sample", "--fraction", "0.5", "--out", sampled.toString(), test.toString(), test.toString());
        assertEquals(2, sample.code(), sample.err());
        assertTrue(sample.err().contains(test + " (the same events) given as INPUT twice"), sample.err());
        assertFalse(Files.exists(sampled));
        Run evaluate = spark("evaluate", "--model", model.toString(), "--background", test.toString(), "--signal", signal.toString(),
                signal.toString());
        assertEquals(2, evaluate.code(), evaluate.err());
        assertTrue(evaluate.err().contains(signal + " (the same events) given as --signal twice"), evaluate.err());
    }

    @Test
    void aDirectoryIsReadAsItsEventFilesOnly() throws IOException {
        Path data = Files.createDirectories(dir.resolve("directory-input"));
        Files.copy(test, data.resolve("part-1.csv"));
        Files.copy(signal, data.resolve("part-2.csv.gz"));
        Files.writeString(data.resolve("README.md"), "# a data card, not events\n");
        Run r = spark("score", "--model", model.toString(), "--out", dir.resolve("dir-out").toString(), data.toString());
        assertEquals(0, r.code(), r.err());
        long expected = EventFiles.read(test, ParseMode.STRICT, -1).size() + EventFiles.read(signal, ParseMode.STRICT, -1).size();
        assertTrue(r.out().contains("scored " + expected + " events"), r.out());
    }

    @Test
    void badLinesFailTheJobNamingFileAndLineOrAreCounted() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "1;ttbar;0.5;250000;1.0;j,300000,250000,0.5,-1.0;\n2;ttbar;0.5;250000;1.0;q,1,1,0,0;\n");
        Run strict = spark("score", "--model", model.toString(), "--out", dir.resolve("bad-out").toString(), bad.toString());
        assertEquals(3, strict.code(), strict.out() + strict.err());
        assertTrue(strict.err().contains(bad + ":2: object 1 has unknown object label 'q'"), strict.err());
        assertTrue(!Files.exists(dir.resolve("bad-out")), "a failed job leaves no output behind");
        Run lenient = spark("score", "--model", model.toString(), "--out", dir.resolve("lenient-out").toString(), bad.toString(),
                "--skip-bad-lines");
        assertEquals(0, lenient.code(), lenient.err());
        assertTrue(lenient.err().contains("skipped 1 bad line(s)"), lenient.err());
        assertTrue(lenient.err().contains("\n  " + bad + ":2: object 1 has unknown object label 'q'"), "named as strict mode names it: "
                + lenient.err());
        assertTrue(lenient.out().contains("scored 1 events"), lenient.out());
    }

    /** spark search refuses a search option out of range first, naming it, as search does (the model does not exist). */
    @Test
    void aSearchOptionOutOfRangeIsNamedFirst() {
        Run r = spark("search", "--model", dir.resolve("no-such.model").toString(), "--background", test.toString(), "--data",
                signal.toString(), "--control-quantile", "1.5");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--control-quantile: control quantile 1.5 is not in (0, 1)"), r.err());
    }

    /**
     * A JSON output that cannot be written is refused before the job (exit 2), not after it (it
     * failed there, exit 1, once every event had been scored): the model's own directory, a file
     * inside the bundle.
     */
    @Test
    void aJsonOutputThatCannotBeWrittenIsRefusedBeforeTheJob() {
        Run evaluate = spark("evaluate", "--model", model.toString(), "--background", test.toString(), "--signal", signal.toString(),
                "--json", model.toString());
        assertEquals(2, evaluate.code(), evaluate.err());
        assertTrue(evaluate.err().contains(model + " is a directory: give a file name"), evaluate.err());
        Path inside = model.resolve("search.json");
        Run search = spark("search", "--model", model.toString(), "--background", test.toString(), "--data", signal.toString(),
                "--json", inside.toString());
        assertEquals(2, search.code(), search.err());
        assertTrue(search.err().contains(inside + " lies inside the model bundle " + model), search.err());
        assertTrue(Files.notExists(inside));
    }

    /**
     * A local output directory is checked before the job: scores inside the model's bundle (which
     * then no longer loaded: a file it does not list) and a conversion in a directory that does not
     * exist are refused, exit 2, and nothing is written.
     */
    @Test
    void aLocalOutputDirectoryIsCheckedBeforeTheJob() {
        Path inside = model.resolve("scores");
        Run score = spark("score", "--model", model.toString(), "--out", inside.toString(), test.toString());
        assertEquals(2, score.code(), score.err());
        assertTrue(score.err().contains(inside + " lies inside the model bundle " + model + ", which would no longer load"), score.err());
        assertTrue(Files.notExists(inside));
        Path missing = dir.resolve("no-such-directory").resolve("events.parquet");
        Run convert = spark("convert", "--out", missing.toString(), test.toString());
        assertEquals(2, convert.code(), convert.err());
        assertTrue(convert.err().contains("the directory of " + missing + " does not exist: create it first"), convert.err());
        assertTrue(Files.notExists(missing.getParent()));
    }

    /** Every option of every Spark job says in its help what it is for. */
    @Test
    void everyOptionOfEveryJobHasADescription() {
        assertEquals(List.of(), org.darkscope.cli.OptionHelpTest.undescribed(new picocli.CommandLine(new SparkMain())));
    }
}
