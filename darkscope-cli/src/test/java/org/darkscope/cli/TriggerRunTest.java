package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.darkscope.io.BundledSample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** trigger run: one decision per event in order, the accepted events whole, over a file, a socket and a kill. */
class TriggerRunTest {
    @TempDir
    static Path dir;
    static Path model;
    static List<String> lines;
    static float[] scores;
    static double threshold;

    @BeforeAll
    static void trainAndScore() throws IOException {
        BundledSample.Split split = BundledSample.extractAndSplit(dir.resolve("sample"), 0.6, "train.csv.gz", "test.csv.gz");
        model = dir.resolve("knn.model");
        assertEquals(0, CliRunner.run("train", "--detector", "knn", "--background", split.first().toString(), "--out", model.toString())
                .exitCode());
        try (InputStream in = new GZIPInputStream(Files.newInputStream(split.rest()))) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        Path events = Files.write(dir.resolve("events.csv"), lines);
        scores = CliRunner.scores(model, events, dir.resolve("scores.csv"));
        float[] sorted = scores.clone();
        java.util.Arrays.sort(sorted);
        threshold = sorted[(int) (0.9 * sorted.length)]; // about a tenth accepted
    }

    /** The decisions and the accepted file agree with darkscope score's scores, event by event, in order. */
    private static void assertDecisions(List<String> decisions, Path accepted) throws IOException {
        assertEquals(lines.size(), decisions.size());
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] d = decisions.get(i).split(",");
            assertEquals(lines.get(i).substring(0, lines.get(i).indexOf(';')), d[0], "decision " + i + " out of order");
            assertEquals(scores[i], Float.parseFloat(d[1]), 0f, "event " + i);
            assertEquals(scores[i] > threshold ? "1" : "0", d[2]);
            if (scores[i] > threshold) {
                kept.add(lines.get(i));
            }
        }
        assertTrue(kept.size() > 10);
        assertEquals(kept, Files.readAllLines(accepted), "the accepted events, whole, in order");
    }

    @Test
    void decidesEveryEventOfAFileInOrder() throws IOException {
        Path accepted = dir.resolve("accepted-file.csv");
        Path json = dir.resolve("run.json");
        CliRunner r = CliRunner.run("trigger", "run", "--model", model.toString(), "--threshold", String.valueOf(threshold), "--input",
                dir.resolve("events.csv").toString(), "--accepted", accepted.toString(), "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertDecisions(r.out().lines().toList(), accepted);
        JsonNode root = Json.MAPPER.readTree(json.toFile());
        assertEquals(lines.size(), root.get("events").asLong());
        assertTrue(root.get("events_per_second").asDouble() > 0);
        for (String p : List.of("p50", "p99", "p999")) {
            assertTrue(root.get("latency_us").get(p).asDouble() > 0, p);
        }
        assertTrue(r.err().contains("trigger: " + lines.size() + " events"), r.err());
    }

    /** A kill (SIGKILL) in the middle of the stream leaves the accepted file holding whole lines only, the events in order. */
    @Test
    void aKillMidStreamLeavesOnlyWholeLines() throws Exception {
        Path accepted = dir.resolve("accepted-killed.csv");
        Process process = triggerRun("--threshold", "-1e30", "--accepted", accepted.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        OutputStream in = process.getOutputStream();
        try {
            for (int i = 0; ; i++) {
                in.write((lines.get(i % lines.size()) + "\n").getBytes(StandardCharsets.UTF_8));
                if (i % 50 == 0) {
                    in.flush();
                    if (Files.exists(accepted) && Files.size(accepted) > 200_000) {
                        break;
                    }
                }
            }
            in.flush();
        } finally {
            process.destroyForcibly(); // SIGKILL while events still arrive
            process.waitFor(30, TimeUnit.SECONDS);
        }
        byte[] bytes = Files.readAllBytes(accepted);
        assertTrue(bytes.length > 0 && bytes[bytes.length - 1] == '\n', "the file ends with a whole line");
        List<String> kept = Files.readAllLines(accepted);
        for (int i = 0; i < kept.size(); i++) {
            assertEquals(lines.get(i % lines.size()), kept.get(i), "line " + i);
        }
    }

    /** The first 110 events with a line that does not parse as line 101. */
    private static Path withBadLineAt101(String name) throws IOException {
        List<String> withBadLine = new ArrayList<>(lines.subList(0, 100));
        withBadLine.add("garbage;line");
        withBadLine.addAll(lines.subList(100, 110));
        return Files.write(dir.resolve(name), withBadLine);
    }

    /** A bad line in the middle of the stream: exit 3 naming it, the events before it decided and counted, the accepted ones kept. */
    @Test
    void aBadLineMidStreamSaysWhatWasDoneBeforeIt() throws IOException {
        Path input = withBadLineAt101("bad-line.csv");
        Path accepted = dir.resolve("accepted-bad-line.csv");
        CliRunner r = CliRunner.run("trigger", "run", "--model", model.toString(), "--threshold", String.valueOf(threshold), "--input",
                input.toString(), "--accepted", accepted.toString());
        assertEquals(3, r.exitCode(), r.err());
        assertEquals(100, r.out().lines().count());
        long kept = 0;
        for (int i = 0; i < 100; i++) {
            kept += scores[i] > threshold ? 1 : 0;
        }
        assertTrue(r.err().contains("trigger: 100 events, " + kept + " accepted") && r.err().contains("before the error below"), r.err());
        assertTrue(r.err().contains("bad-line.csv:101:"), r.err());
        assertEquals(kept, Files.readAllLines(accepted).size());
    }

    /** With --skip-bad-lines the bad line is skipped, counted and named at the end (and in the JSON), every other event decided. */
    @Test
    void aSkippedBadLineIsCountedAndNamed() throws IOException {
        Path input = withBadLineAt101("skipped-line.csv");
        Path json = dir.resolve("skipped.json");
        CliRunner r = CliRunner.run("trigger", "run", "--model", model.toString(), "--threshold", String.valueOf(threshold), "--input",
                input.toString(), "--accepted", dir.resolve("accepted-skipped.csv").toString(), "--skip-bad-lines", "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(110, r.out().lines().count());
        assertTrue(r.err().contains("skipped 1 bad line(s) in " + input) && r.err().contains("skipped-line.csv:101:"), r.err());
        assertTrue(r.err().contains("trigger: 110 events"), r.err());
        JsonNode root = Json.MAPPER.readTree(json.toFile());
        assertEquals(1, root.get("bad_lines").asLong());
        assertEquals(110, root.get("events").asLong());
    }

    /** {@code darkscope trigger run --model MODEL ARGS} in a JVM of its own: standard output the process's. */
    private static ProcessBuilder triggerRun(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "trigger", "run", "--model", model.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /**
     * The decisions' reader gone after 100 bytes ({@code | head -c 100}): it stops, says after how
     * many events, exit 0, the accepted file holding the accepted ones of those events; a write
     * that fails otherwise (a full disk: {@code > /dev/full}) is an error, exit 1, where
     * {@code System.out} had swallowed it (every decision lost, exit 0).
     */
    @Test
    void aClosedStandardOutputStopsItAndAFailedWriteIsAnError() throws Exception {
        List<String> many = new ArrayList<>();
        for (int copy = 0; copy < 10; copy++) {
            many.addAll(lines); // ten times what a pipe's buffer holds of decisions
        }
        Path input = Files.write(dir.resolve("many.csv"), many);
        Path accepted = dir.resolve("accepted-head.csv");
        Path err = dir.resolve("head-err.txt");
        Process head = triggerRun("--threshold", String.valueOf(threshold), "--input", input.toString(), "--accepted", accepted.toString())
                .redirectError(err.toFile()).start();
        byte[] first = head.getInputStream().readNBytes(100);
        head.getInputStream().close();
        assertEquals(0, head.waitFor(), Files.readString(err));
        assertEquals(lines.get(0).substring(0, lines.get(0).indexOf(';')) + ",", new String(first, StandardCharsets.UTF_8).substring(0,
                lines.get(0).indexOf(';') + 1));
        java.util.regex.Matcher stopped = java.util.regex.Pattern.compile("standard output was closed by its reader, stopped after ([0-9]+) events")
                .matcher(Files.readString(err));
        assertTrue(stopped.find(), Files.readString(err));
        int decided = Integer.parseInt(stopped.group(1));
        assertTrue(decided > 0 && decided < many.size(), decided + " of " + many.size());
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < decided; i++) {
            if (scores[i % lines.size()] > threshold) {
                kept.add(many.get(i));
            }
        }
        assertEquals(kept, Files.readAllLines(accepted), "the accepted events of the events decided, whole, in order");

        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "no /dev/full here");
        Process full = triggerRun("--threshold", String.valueOf(threshold), "--input", input.toString(), "--accepted",
                dir.resolve("accepted-full.csv").toString()).redirectOutput(new java.io.File("/dev/full")).redirectError(err.toFile()).start();
        assertEquals(1, full.waitFor(), Files.readString(err));
        assertTrue(Files.readString(err).contains("cannot write the decisions to standard output"), Files.readString(err));
    }

    /**
     * A disk that fills in the middle of an accepted event's line: the part written is taken back,
     * the file holds the whole lines before it, and the error names the file and the events it holds.
     */
    @Test
    void aLineThatDoesNotFitIsTakenBack() throws IOException {
        Path accepted = Files.write(dir.resolve("accepted-full-disk.csv"), List.of(lines.get(0), lines.get(1)));
        byte[] before = Files.readAllBytes(accepted);
        try (java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(accepted, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.APPEND)) {
            java.nio.channels.SeekableByteChannel full = fillsUp(file, 10); // room for 10 more bytes only
            java.io.UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                    () -> TriggerRunCommand.keepWhole(full, lines.get(2).getBytes(StandardCharsets.UTF_8), accepted, 2));
            assertEquals("cannot append to " + accepted + ": No space left on device (the 2 events this run accepted before are in it, whole)",
                    e.getMessage());
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, Files.readAllBytes(accepted), "the part of the third line taken back");
    }

    /**
     * A channel over {@code file} with room for {@code room} more bytes: a write takes what fits, the
     * next one fails as a full disk does; everything else is the file's.
     */
    private static java.nio.channels.SeekableByteChannel fillsUp(java.nio.channels.FileChannel file, long room) {
        long[] left = {room};
        return (java.nio.channels.SeekableByteChannel) java.lang.reflect.Proxy.newProxyInstance(TriggerRunTest.class.getClassLoader(),
                new Class<?>[] {java.nio.channels.SeekableByteChannel.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("write")) {
                        return method.invoke(file, args);
                    }
                    if (left[0] == 0) {
                        throw new IOException("No space left on device");
                    }
                    java.nio.ByteBuffer src = (java.nio.ByteBuffer) args[0];
                    int written = file.write(src.slice().limit((int) Math.min(src.remaining(), left[0])));
                    src.position(src.position() + written);
                    left[0] -= written;
                    return written;
                });
    }

    /** Over a socket with a reader that takes its time: every decision comes back, in order; the sender is slowed, nothing dropped. */
    @Test
    void aSlowReaderOnTheSocketSlowsTheSenderAndLosesNothing() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path accepted = dir.resolve("accepted-socket.csv");
        CompletableFuture<CliRunner> run = CompletableFuture.supplyAsync(() -> CliRunner.run("trigger", "run", "--model",
                model.toString(), "--threshold", String.valueOf(threshold), "--listen", "127.0.0.1:" + port, "--accepted",
                accepted.toString()));
        Socket socket = null;
        for (int attempt = 0; attempt < 200 && socket == null; attempt++) {
            try {
                socket = new Socket("127.0.0.1", port);
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        assertTrue(socket != null, "trigger run did not listen");
        try (Socket s = socket) {
            OutputStream out = s.getOutputStream();
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    for (String line : lines) {
                        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            List<String> decisions = new ArrayList<>();
            BufferedReader back = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            for (String d; (d = back.readLine()) != null; ) {
                decisions.add(d);
                if (decisions.size() % 200 == 0) {
                    Thread.sleep(20); // a slow reader
                }
            }
            sender.get(60, TimeUnit.SECONDS);
            CliRunner r = run.get(60, TimeUnit.SECONDS);
            assertEquals(0, r.exitCode(), r.err());
            assertDecisions(decisions, accepted);
        }
    }
}
