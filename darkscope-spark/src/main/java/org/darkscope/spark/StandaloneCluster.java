package org.darkscope.spark;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on this machine, for {@code spark cluster-test} and the tests: a
 * master and workers, each a JVM of its own started from Spark's classes on this JVM's class path
 * ({@code deploy.master.Master}, {@code deploy.worker.Worker}; no Spark distribution), everything
 * bound to 127.0.0.1. The workers start their executors with the same class path
 * ({@code spark.executor.extraClassPath}). {@link #close} stops every process started, the
 * executors the workers started included.
 */
final class StandaloneCluster implements AutoCloseable {
    private final Path home;
    private final String classPath = System.getProperty("java.class.path");
    private final List<Process> processes = new ArrayList<>();
    private final List<ProcessHandle> started = new java.util.concurrent.CopyOnWriteArrayList<>(); // read by the hook at exit
    private final int masterPort;
    private final int webPort;
    /** Set once {@link #stopEverything} begins: no process starts after it. */
    private boolean stopped;
    /** Stops every process started if this JVM ends before {@link #close} (an interrupt, Ctrl-C): no worker left orphaned. */
    private final Thread stopAtExit = new Thread(this::stopEverything, "stop the standalone cluster");

    /** Starts a master and {@code workers} workers of one core each, and waits until all have registered. */
    StandaloneCluster(Path home, int workers) throws IOException, InterruptedException {
        this.home = Files.createDirectories(home);
        Files.createDirectories(home.resolve("jars")); // Spark's launcher looks here; the class path comes with the command
        masterPort = freePort();
        webPort = freePort();
        Runtime.getRuntime().addShutdownHook(stopAtExit);
        try {
            start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(masterPort),
                    "--webui-port", String.valueOf(webPort));
            awaitPort(masterPort);
            for (int w = 1; w <= workers; w++) {
                startWorker(w);
            }
            awaitWorkers(workers);
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The master's URL for {@code --master}. */
    String master() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** Starts worker {@code n} (one core, 1 GB for executors). */
    private Process startWorker(int n) throws IOException {
        return start("worker-" + n, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1", "--memory", "1g",
                "--webui-port", String.valueOf(freePort()), "--work-dir", home.resolve("work-" + n).toString(), master());
    }

    /** The process of worker {@code n} (1 for the first). */
    Process worker(int n) {
        return processes.get(n);
    }

    /** Whether an executor of worker {@code n} has logged that it runs a task (its stderr, in the worker's directory). */
    boolean runsATask(int n) throws IOException {
        Path work = home.resolve("work-" + n);
        if (!Files.isDirectory(work)) {
            return false;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(work)) {
            for (Path log : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
                if (Files.readString(log, StandardCharsets.ISO_8859_1).contains("Running task")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The Spark properties a driver needs for this cluster: system properties of a driver in this JVM, -D options of one {@link #submit} starts. */
    List<String[]> driverProperties() {
        return List.of(new String[] {"spark.driver.host", "127.0.0.1"}, new String[] {"spark.driver.bindAddress", "127.0.0.1"},
                new String[] {"spark.executor.extraClassPath", classPath}, new String[] {"spark.executor.memory", "512m"},
                new String[] {"spark.executor.extraJavaOptions", "-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 "
                        // the executor says which task it runs (runsATask), whichever logging binding the class path gives
                        // it: log4j (DARKSCOPE_SPARK_LOG in the environment) or darkscope's slf4j-simple (this property)
                        + "-Dorg.slf4j.simpleLogger.log.org.apache.spark.executor.Executor=info "
                        + String.join(" ", openedPackages())});
    }

    /**
     * Runs {@code darkscope spark} with {@code args} on this cluster (its {@code --master} added after
     * the job's name) with the driver in a JVM of its own, as {@code spark-submit} starts one; waits
     * for it and returns its exit code. Its output goes to {@link #log(String) log(name)}.
     */
    int submit(String name, String... args) throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(List.of("-Xmx1g", "-Dai.djl.offline=true")); // as the executors: nothing downloaded
        driverProperties().forEach(p -> options.add("-D" + p[0] + "=" + p[1]));
        System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith("ai.djl.")).sorted() // threads, as this JVM's
                .forEach(key -> options.add("-D" + key + "=" + System.getProperty(key)));
        List<String> job = new ArrayList<>(List.of(args[0], "--master", master()));
        job.addAll(List.of(args).subList(1, args.length));
        Process driver = start(name, options, SparkMain.class.getName(), job);
        if (!driver.waitFor(DRIVER_MINUTES, TimeUnit.MINUTES)) {
            kill(driver);
            throw new IOException("the " + name + " job did not end within " + DRIVER_MINUTES + " minutes; see " + log(name));
        }
        return driver.exitValue();
    }

    /** The most a driver of {@link #submit} may run. */
    private static final int DRIVER_MINUTES = 10;

    /** The file holding the output of process {@code name} ("master", "worker-1", a job's name). */
    Path log(String name) {
        return home.resolve(name + ".log");
    }

    private Process start(String name, String main, String... args) throws IOException {
        return start(name, List.of("-Xmx512m"), main, List.of(args));
    }

    private synchronized Process start(String name, List<String> options, String main, List<String> args) throws IOException {
        if (stopped) {
            throw new IOException("the cluster is stopping: " + name + " not started");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.addAll(openedPackages());
        command.addAll(List.of("-cp", classPath, main));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(name).toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1"); // the web interfaces too
        pb.environment().put("DARKSCOPE_SPARK_LOG", "info"); // Spark's log in the processes' files: an executor says which task it runs
        Process p = pb.start();
        processes.add(p);
        started.add(p.toHandle());
        return p;
    }

    /** The packages Spark 3.5 needs opened on Java 17, as this JVM has them. */
    private static List<String> openedPackages() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitPort(int port) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            requireAlive();
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IOException("the master did not open port " + port + " within 60 s; see " + log("master"));
    }

    private void awaitWorkers(int workers) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            requireAlive();
            if (aliveWorkers() == workers) {
                return;
            }
            Thread.sleep(300);
        }
        throw new IOException(workers + " workers did not register within 60 s; see the logs in " + home);
    }

    /** The workers the master counts alive, from its JSON page. */
    int aliveWorkers() throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + webPort + "/json/").toURL().openConnection();
        try (InputStream in = c.getInputStream()) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)").matcher(json);
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException notYet) {
            return 0;
        } finally {
            c.disconnect();
        }
    }

    private void requireAlive() throws IOException {
        for (int i = 0; i < processes.size(); i++) {
            if (!processes.get(i).isAlive()) {
                throw new IOException("a cluster process ended at start (exit " + processes.get(i).exitValue() + "); see the logs in " + home);
            }
        }
    }

    /** Kills {@code process} and every process it started (a worker's executors), at once. */
    static void kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Every process this cluster started, and their descendants, as seen now. */
    List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>(started);
        for (ProcessHandle p : started) {
            p.descendants().forEach(all::add);
        }
        return all;
    }

    @Override
    public void close() throws InterruptedException {
        stopEverything();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException exiting) {
            // the JVM is ending: the hook runs anyway, and finds nothing left
        }
    }

    /**
     * Kills every process started, and those they started, and waits for each to end (30 s at most);
     * none starts after it.
     */
    private void stopEverything() {
        List<ProcessHandle> all;
        synchronized (this) {
            stopped = true;
            all = processes();
        }
        for (ProcessHandle p : all) {
            p.destroyForcibly();
        }
        for (ProcessHandle p : all) {
            p.onExit().completeOnTimeout(p, 30, TimeUnit.SECONDS).join();
        }
    }
}
