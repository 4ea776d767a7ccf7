package org.darkscope.spark;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.cli.Json;
import org.darkscope.cli.Main;
import org.darkscope.io.BundledSample;
import org.darkscope.io.CsvRows;
import org.darkscope.metric.FiguresOfMerit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code darkscope spark cluster-test}: starts a Spark standalone cluster on this machine (a master
 * and workers in JVMs of their own on 127.0.0.1, {@link StandaloneCluster}), submits
 * {@code score}, {@code evaluate} and {@code search} to it, each with its driver in a JVM of its
 * own, for a detector trained on the bundled sample, and compares each result with the command
 * line's on one machine; stops every process it started. The check that this installation's jobs,
 * whose bundle travels to executors in other JVMs, give the command line's answers, before a real
 * cluster is trusted with them.
 */
@Command(name = "cluster-test", mixinStandardHelpOptions = true,
        description = {"Start a Spark standalone cluster here (a master and workers on 127.0.0.1, from this installation's jars),"
                + " submit score, evaluate and search to it with a detector trained on the bundled sample, and check each result"
                + " against the command line's on one machine; stop every process started. Exit 0 when every result agrees, 1 when"
                + " one does not.",
                "Example: darkscope spark cluster-test --workers 2"})
final class ClusterTest implements Callable<Integer> {
    /** The most workers it starts: each is a JVM with an executor of 512 MB. */
    static final int MAX_WORKERS = 8;
    /** The share of the bundled background the detector trains on, as the demo's. */
    private static final double TRAIN_FRACTION = 0.6;
    /** How far the cluster's AUC may lie from one machine's: the same scores, summed over the ROC in another order. */
    static final double AUC_TOLERANCE = 1e-9;
    /** Toys of the search's look-elsewhere effect: enough to compare, few to be quick. */
    static final int TOYS = 200;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--workers", defaultValue = "2", paramLabel = "N",
            description = "Workers of one core each, at most " + MAX_WORKERS + " (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--detector", defaultValue = "default", paramLabel = "NAME",
            description = "Detector trained on the bundled background, with its defaults (default: the recommended one, ${DEFAULT-VALUE}).")
    String detector;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the sample, the bundle, every output and the processes' logs"
            + " go, and stay (must not exist; default: a temporary directory, removed when every result agrees).")
    Path workDir;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("--workers must be from 1 to " + MAX_WORKERS + ", got " + workers);
        }
        if (workDir != null && Files.exists(workDir)) {
            throw new IllegalArgumentException(workDir + " exists: choose a --work-dir that does not (cluster-test writes its files there)");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("darkscope-cluster-test-");
        BundledSample.Split split = BundledSample.extractAndSplit(work.resolve("sample"), TRAIN_FRACTION, "train.csv.gz", "held-out.csv");
        Path model = work.resolve("model");
        StringWriter trainErr = new StringWriter();
        int trained = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(trainErr, true), "train", "--detector", detector,
                "--background", split.first().toString(), "--out", model.toString());
        if (trained != 0) {
            spec.commandLine().getErr().print(trainErr);
            if (workDir == null) {
                ModelBundle.deleteRecursively(work);
            }
            return trained;
        }
        out.printf(Locale.ROOT, "trained %s (%s) on the bundled background's first %,d events; judged on its other %,d and two signals%n",
                detector, ModelBundle.readManifest(model).detector(), split.firstEvents(), split.restEvents());
        List<String> failures = new ArrayList<>();
        List<ProcessHandle> started;
        try (StandaloneCluster cluster = new StandaloneCluster(work.resolve("cluster"), workers)) {
            out.printf(Locale.ROOT, "started a master and %d worker(s) of one core on 127.0.0.1 (%s)%n", workers, cluster.master());
            Comparison comparison = new Comparison(work, model, split, cluster, failures);
            try {
                out.println(comparison.score());
                out.println(comparison.evaluate());
                out.println(comparison.search());
            } finally {
                started = cluster.processes();
            }
        }
        List<ProcessHandle> running = started.stream().filter(ProcessHandle::isAlive).toList();
        if (running.isEmpty()) {
            out.printf("stopped every process it started (%d)%n", started.size());
        } else {
            failures.add(running.size() + " process(es) it started still running: " + running.stream().map(p -> String.valueOf(p.pid())).toList());
        }
        if (!failures.isEmpty()) {
            failures.forEach(f -> out.println("FAILED: " + f));
            out.println("cluster-test: a result differs; every output and the processes' logs are in " + work);
            return 1;
        }
        out.printf("cluster-test: on %d worker(s) score, evaluate and search give the command line's results%n", workers);
        if (workDir == null) {
            ModelBundle.deleteRecursively(work);
        }
        return 0;
    }

    /** Each job on the cluster beside the same command on one machine, their outputs in {@code work}; what differs goes to {@code failures}. */
    private record Comparison(Path work, Path model, BundledSample.Split split, StandaloneCluster cluster, List<String> failures) {
        /** Every event's score, from {@code darkscope score} and from {@code spark score} on the cluster. */
        String score() throws IOException, InterruptedException {
            Path single = work.resolve("scores.csv");
            Path many = work.resolve("cluster-scores");
            String[] events = {split.rest().toString(), split.signal(0).toString(), split.signal(1).toString()};
            if (!both("score", concat(new String[] {"--model", model.toString(), "--out", single.toString()}, events),
                    concat(new String[] {"--model", model.toString(), "--out", many.toString(), "--csv"}, events))) {
                return "score: not compared";
            }
            List<String> a = scores(List.of(single), false);
            List<String> b = scores(SparkJobs.csvParts(many), true);
            if (!a.equals(b)) {
                long differ = a.size() != b.size() ? Math.abs(a.size() - b.size())
                        : IntStream.range(0, a.size()).filter(i -> !a.get(i).equals(b.get(i))).count();
                failures.add(String.format(Locale.ROOT, "score: %,d of %,d events' scores differ (%s on one machine, %s on the cluster)",
                        differ, a.size(), single, many.resolve("csv")));
                return "score: differs";
            }
            return String.format(Locale.ROOT, "score: %,d events, every score the same as darkscope score's", a.size());
        }

        /** Events, AUC and eps_S of the two signals against the held-out background. */
        String evaluate() throws IOException, InterruptedException {
            Path single = work.resolve("evaluation.json");
            Path many = work.resolve("cluster-evaluation.json");
            String[] args = {"--model", model.toString(), "--background", split.rest().toString(), "--signal", split.signal(0).toString(),
                    split.signal(1).toString(), "--json"};
            if (!both("evaluate", concat(args, new String[] {single.toString()}), concat(args, new String[] {many.toString()}))) {
                return "evaluate: not compared";
            }
            JsonNode a = Json.MAPPER.readTree(single.toFile());
            JsonNode b = Json.MAPPER.readTree(many.toFile());
            boolean same = a.get("background").get("events").equals(b.get("background").get("events"))
                    && a.get("signals").size() == b.get("signals").size();
            for (int i = 0; same && i < a.get("signals").size(); i++) {
                JsonNode x = a.get("signals").get(i);
                JsonNode y = b.get("signals").get(i);
                same = x.get("name").equals(y.get("name")) && x.get("events").equals(y.get("events")) && x.get("eps_s").equals(y.get("eps_s"))
                        && Math.abs(x.get("auc").asDouble() - y.get("auc").asDouble()) <= AUC_TOLERANCE;
            }
            if (!same) {
                failures.add("evaluate: the figures of merit differ (" + single + " on one machine, " + many + " on the cluster)");
                return "evaluate: differs";
            }
            return String.format(Locale.ROOT, "evaluate: %d signals' events and eps_S the same as darkscope evaluate's, AUC to %s",
                    a.get("signals").size(), FiguresOfMerit.label(AUC_TOLERANCE));
        }

        /** The signal regions and the global p of a search in one half of the held-out background against the other half. */
        String search() throws IOException, InterruptedException {
            List<String> heldOut = Files.readAllLines(split.rest());
            Path reference = Files.write(work.resolve("reference.csv"), heldOut.subList(0, heldOut.size() / 2));
            Path data = Files.write(work.resolve("data.csv"), heldOut.subList(heldOut.size() / 2, heldOut.size()));
            Path single = work.resolve("search.json");
            Path many = work.resolve("cluster-search.json");
            String[] args = {"--model", model.toString(), "--background", reference.toString(), "--data", data.toString(), "--toys",
                    String.valueOf(TOYS), "--json"};
            if (!both("search", concat(args, new String[] {single.toString()}), concat(args, new String[] {many.toString()}))) {
                return "search: not compared";
            }
            JsonNode a = Json.MAPPER.readTree(single.toFile());
            JsonNode b = Json.MAPPER.readTree(many.toFile());
            if (!a.get("regions").equals(b.get("regions")) || a.get("global_p").asDouble() != b.get("global_p").asDouble()) {
                failures.add("search: the regions or the global p differ (" + single + " on one machine, " + many + " on the cluster)");
                return "search: differs";
            }
            return String.format(Locale.ROOT, "search: %d regions' counts and significances and the global p (%d toys) the same as"
                    + " darkscope search's", a.get("regions").size(), TOYS);
        }

        /** Runs {@code darkscope JOB ONE...} here and {@code darkscope spark JOB MANY...} on the cluster; whether both succeeded. */
        private boolean both(String job, String[] one, String[] many) throws IOException, InterruptedException {
            StringWriter err = new StringWriter();
            int here = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), concat(new String[] {job}, one));
            if (here != 0) {
                failures.add("darkscope " + job + " exited " + here + ": " + err.toString().strip());
            }
            int there = cluster.submit(job, concat(new String[] {job}, many));
            if (there != 0) {
                failures.add("darkscope spark " + job + " on the cluster exited " + there + "; see " + cluster.log(job));
            }
            return here == 0 && there == 0;
        }
    }

    /**
     * The scores of a scores file ({@code darkscope score}'s: ID, process, weight, score, file) or of
     * the CSV parts of {@code spark score} (file, ID, process, weight, score), read as RFC 4180 (a
     * work directory's path may hold a comma), as sorted "file name,ID,score" lines.
     */
    static List<String> scores(List<Path> files, boolean spark) throws IOException {
        List<String> rows = new ArrayList<>();
        for (Path f : files) {
            List<List<String>> lines = CsvRows.parse(Files.readString(f, StandardCharsets.UTF_8));
            for (List<String> c : lines.subList(1, lines.size())) {
                String file = Path.of(c.get(spark ? 0 : 4)).getFileName().toString();
                rows.add(file + "," + c.get(spark ? 1 : 0) + "," + c.get(spark ? 4 : 3));
            }
        }
        rows.sort(null);
        return rows;
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
