package org.darkscope.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.darkscope.io.BundledSample;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs on a real Spark standalone cluster: a master and two workers in JVMs of their own on
 * 127.0.0.1 ({@link StandaloneCluster}). {@code spark cluster-test} (a cluster and drivers of its
 * own) finds score, evaluate and search giving the command line's results; a worker killed while a
 * job runs, its driver in this JVM, costs nothing but time (Spark runs the lost tasks again) and
 * the output is complete; every process started is gone at the end.
 */
class SparkClusterTest {
    @TempDir
    static Path dir;
    private static StandaloneCluster cluster;
    private static List<ProcessHandle> processes = new ArrayList<>();
    private static Path model;
    private static Path test;
    private static Path reference;

    @BeforeAll
    static void startTheCluster() throws Exception {
        BundledSample.Split split = BundledSample.extractAndSplit(dir.resolve("sample"), 0.6, "reference.csv.gz", "test.csv");
        reference = split.first();
        test = split.rest();
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

    /**
     * {@code spark cluster-test} starts its own cluster, runs score, evaluate and search there and on
     * one machine, finds every result the same and stops every process it started; its work
     * directory holds both sides' outputs, and the scores in them are compared here again.
     */
    @Test
    void clusterTestFindsScoreEvaluateAndSearchTheSameAsTheCommandLine() throws IOException {
        Path work = dir.resolve("cluster-test");
        SparkJobsTest.Run r = run("cluster-test", "--workers", "2", "--detector", "ae", "--work-dir", work.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("score: ") && r.out().contains("every score the same as darkscope score's"), r.out());
        assertTrue(r.out().contains("evaluate: 2 signals"), r.out());
        assertTrue(r.out().contains("search: ") && r.out().contains("the same as darkscope search's"), r.out());
        java.util.regex.Matcher stopped = java.util.regex.Pattern.compile("stopped every process it started \\((\\d+)\\)").matcher(r.out());
        assertTrue(stopped.find(), r.out());
        assertTrue(Integer.parseInt(stopped.group(1)) >= 1 + 2, "a master and two workers at least: " + r.out());
        List<String> single = ClusterTest.scores(List.of(work.resolve("scores.csv")), false);
        assertEquals(single, ClusterTest.scores(SparkJobs.csvParts(work.resolve("cluster-scores")), true));
        // the held-out background and both signals, every event once
        long events = 0;
        for (String f : List.of("held-out.csv", BundledSample.SIGNALS.get(0), BundledSample.SIGNALS.get(1))) {
            events += org.darkscope.io.EventFiles.read(work.resolve("sample").resolve(f), org.darkscope.io.ParseMode.STRICT, -1).size();
        }
        assertEquals(events, single.size());
    }

    /** Settings it cannot honour are refused before anything starts: no cluster, no directory written. */
    @Test
    void clusterTestRefusesAWorkerCountOutOfRangeAndAWorkDirectoryThatExists() throws IOException {
        SparkJobsTest.Run none = run("cluster-test", "--workers", "0");
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().contains("--workers must be from 1 to " + ClusterTest.MAX_WORKERS), none.err());
        Path taken = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(taken.resolve("keep.txt"), "mine");
        SparkJobsTest.Run exists = run("cluster-test", "--work-dir", taken.toString());
        assertEquals(2, exists.code(), exists.err());
        assertTrue(exists.err().contains("choose a --work-dir that does not"), exists.err());
        try (Stream<Path> s = Files.list(taken)) {
            assertEquals(List.of(taken.resolve("keep.txt")), s.toList());
        }
    }

    private static SparkJobsTest.Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SparkMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new SparkJobsTest.Run(code, out.toString(), err.toString());
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
        assertEquals(ClusterTest.scores(List.of(single), false), ClusterTest.scores(SparkJobs.csvParts(out), true));
    }
}
