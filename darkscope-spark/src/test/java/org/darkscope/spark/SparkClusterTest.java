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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.darkscope.cli.Json;
import org.darkscope.io.BundledSample;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs on a real Spark standalone cluster: a master and two workers in JVMs of their own on
 * 127.0.0.1 ({@link StandaloneCluster}), the driver in this JVM. score, evaluate and search give
 * the command line's results; a worker killed while a job runs costs nothing but time (Spark runs
 * the lost tasks again) and the output is complete; every process started is gone at the end.
 */
class SparkClusterTest {
    @TempDir
    static Path dir;
    private static StandaloneCluster cluster;
    private static List<ProcessHandle> processes = new ArrayList<>();
    private static Path model;
    private static Path test;
    private static Path signal;
    private static Path reference;

    @BeforeAll
    static void startTheCluster() throws Exception {
        BundledSample.Split split = BundledSample.extractAndSplit(dir.resolve("sample"), 0.6, "reference.csv.gz", "test.csv");
        reference = split.first();
        test = split.rest();
        signal = split.signal(1);
        model = dir.resolve("ae.model");
        assertEquals(0, SparkJobsTest.cli("train", "--detector", "ae", "--background", reference.toString(), "--out", model.toString(),
                "--epochs", "3").code());
        cluster = new StandaloneCluster(dir.resolve("spark-home"), 2);
        for (String[] property : cluster.driverProperties()) {
            System.setProperty(property[0], property[1]);
        }
    }

    @AfterAll
    static void stopTheCluster() throws Exception {
        if (cluster == null) {
            return;
        }
        processes = cluster.processes();
        for (String[] property : cluster.driverProperties()) {
            System.clearProperty(property[0]);
        }
        cluster.close();
        for (ProcessHandle p : processes) {
            assertFalse(p.isAlive(), "process " + p.pid() + " (" + p.info().command().orElse("?") + ") left running");
        }
    }

    private static SparkJobsTest.Run onTheCluster(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of(args[0], "--master", cluster.master()), Stream.of(args).skip(1)).toArray(String[]::new);
        int code = SparkMain.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new SparkJobsTest.Run(code, out.toString(), err.toString());
    }

    /** The scores of a scores file or of Spark's CSV parts, as sorted "file name, event ID, score" lines. */
    private static List<String> scores(List<Path> files, boolean spark) throws IOException {
        List<String> rows = new ArrayList<>();
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            for (String line : lines.subList(1, lines.size())) {
                String[] c = line.split(",");
                String file = Path.of(spark ? c[0] : c[4]).getFileName().toString();
                rows.add(file + "," + (spark ? c[1] : c[0]) + "," + (spark ? c[4] : c[3]));
            }
        }
        rows.sort(null);
        return rows;
    }

    private static List<Path> parts(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out.resolve("csv"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".csv")).toList();
        }
    }

    @Test
    void scoreEvaluateAndSearchOnTheClusterGiveTheCommandLinesResults() throws IOException {
        Path single = dir.resolve("single.csv");
        assertEquals(0, SparkJobsTest.cli("score", "--model", model.toString(), "--out", single.toString(), test.toString(),
                signal.toString()).code());
        Path out = dir.resolve("cluster-scores");
        SparkJobsTest.Run r = onTheCluster("score", "--model", model.toString(), "--out", out.toString(), "--csv", test.toString(),
                signal.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(scores(List.of(single), false), scores(parts(out), true));

        Path evaluation = dir.resolve("eval-single.json");
        assertEquals(0, SparkJobsTest.cli("evaluate", "--model", model.toString(), "--background", test.toString(), "--signal",
                signal.toString(), "--json", evaluation.toString()).code());
        Path clusterEvaluation = dir.resolve("eval-cluster.json");
        r = onTheCluster("evaluate", "--model", model.toString(), "--background", test.toString(), "--signal", signal.toString(),
                "--json", clusterEvaluation.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode a = Json.MAPPER.readTree(evaluation.toFile()).get("signals").get(0);
        JsonNode b = Json.MAPPER.readTree(clusterEvaluation.toFile()).get("signals").get(0);
        assertEquals(a.get("auc").asDouble(), b.get("auc").asDouble(), 1e-9);
        assertEquals(a.get("eps_s").toString(), b.get("eps_s").toString());

        List<String> heldOut = Files.readAllLines(test);
        Path held = Files.write(dir.resolve("held-reference.csv"), heldOut.subList(0, heldOut.size() / 2));
        Path data = Files.write(dir.resolve("held-data.csv"), heldOut.subList(heldOut.size() / 2, heldOut.size()));
        Path search = dir.resolve("search-single.json");
        assertEquals(0, SparkJobsTest.cli("search", "--model", model.toString(), "--background", held.toString(), "--data",
                data.toString(), "--toys", "200", "--json", search.toString()).code());
        Path clusterSearch = dir.resolve("search-cluster.json");
        r = onTheCluster("search", "--model", model.toString(), "--background", held.toString(), "--data", data.toString(),
                "--toys", "200", "--json", clusterSearch.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode x = Json.MAPPER.readTree(search.toFile());
        JsonNode y = Json.MAPPER.readTree(clusterSearch.toFile());
        assertEquals(x.get("regions").toString(), y.get("regions").toString());
        assertEquals(x.get("global_p").asDouble(), y.get("global_p").asDouble(), 1e-12);
    }

    /**
     * Worker 1 (with its executor) is killed while its executor runs a task; the job goes on with worker 2
     * and its output is whole: every event's score, as on the command line, and no part left
     * half written.
     */
    @Test
    void aWorkerKilledWhileAJobRunsCostsNothingButTime() throws Exception {
        // eight files of about 22,000 events: tasks long enough to be cut short; each its own events (IDs), as score asks
        List<String> events = Files.readAllLines(test);
        List<Path> files = new ArrayList<>();
        for (int f = 0; f < 8; f++) {
            List<String> repeated = new ArrayList<>();
            for (int copy = 0; copy < 10; copy++) {
                String prefix = "f" + f + "c" + copy + "-";
                events.forEach(e -> repeated.add(prefix + e));
            }
            files.add(Files.write(dir.resolve("big-" + f + ".csv"), repeated));
        }
        Path single = dir.resolve("big-single.csv");
        List<String> args = new ArrayList<>(List.of("score", "--model", model.toString(), "--out", single.toString()));
        files.forEach(f -> args.add(f.toString()));
        assertEquals(0, SparkJobsTest.cli(args.toArray(String[]::new)).code());

        Process worker = cluster.worker(1);
        long[] killedAt = {0};
        Thread killer = new Thread(() -> {
            try {
                // once the worker's executor says it runs a task (its log, in the worker's directory), kill both
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!cluster.runsATask(1) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                if (cluster.runsATask(1)) {
                    StandaloneCluster.kill(worker);
                    killedAt[0] = System.nanoTime();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        killer.start();
        Path out = dir.resolve("big-cluster");
        List<String> job = new ArrayList<>(List.of("score", "--model", model.toString(), "--out", out.toString(), "--csv"));
        files.forEach(f -> job.add(f.toString()));
        SparkJobsTest.Run r = onTheCluster(job.toArray(String[]::new));
        long finished = System.nanoTime();
        killer.join();
        assertEquals(0, r.code(), r.err());
        assertTrue(killedAt[0] > 0 && killedAt[0] < finished, "the worker was killed while its executor ran a task of the job");
        assertFalse(worker.isAlive());
        assertTrue(Files.exists(out.resolve("csv/_SUCCESS")) && Files.notExists(out.resolve("csv/_temporary")),
                "the output is committed whole");
        assertEquals(scores(List.of(single), false), scores(parts(out), true));
    }
}
