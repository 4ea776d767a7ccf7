package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.darkscope.io.BundledSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's quick exit, in a JVM of its own: taken only where the run started PyTorch, and
 * then the exit status is the command's and nothing printed is lost, though libc's _exit skips
 * the JVM's exit (and its flushing of buffers). Which way a run ended shows in the JVM's log of
 * the heap at exit, which only the ordinary exit writes.
 */
class QuickExitTest {
    @TempDir
    Path dir;

    private record Outcome(int status, String out, String err, boolean ordinaryExit) {
    }

    private Outcome darkscope(String... args) throws IOException, InterruptedException {
        Path exitLog = dir.resolve("exit.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + QuickExit.PROPERTY + "=true", "-Dai.djl.offline=true", "-Xlog:gc+heap+exit=info:file=" + exitLog,
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int status = process.waitFor();
        return new Outcome(status, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8),
                Files.readString(exitLog, StandardCharsets.UTF_8).contains("Heap"));
    }

    @Test
    void takenWhereTheEngineStartedKeepingTheExitStatusAndEverythingPrinted() throws IOException, InterruptedException {
        Path sample = BundledSample.extractTo(dir.resolve("sample")).resolve(BundledSample.BACKGROUND);
        Path model = dir.resolve("ae.model");
        Outcome train = darkscope("train", "--detector", "ae", "--epochs", "1", "--background", sample.toString(),
                "--out", model.toString());
        assertEquals(Main.EXIT_OK, train.status(), train.err());
        assertTrue(train.out().contains(model.toString()), train.out()); // the last line printed
        assertFalse(train.ordinaryExit(), "training started PyTorch: the quick exit was not taken");

        // a loaded autoencoder scores in plain Java: no engine, the ordinary exit
        Path scores = dir.resolve("scores.csv");
        Outcome score = darkscope("score", "--model", model.toString(), "--out", scores.toString(), sample.toString());
        assertEquals(Main.EXIT_OK, score.status(), score.err());
        assertTrue(score.ordinaryExit());
        assertTrue(Files.exists(scores));

        Outcome version = darkscope("--version");
        assertEquals(Main.EXIT_OK, version.status(), version.err());
        assertTrue(version.out().startsWith("darkscope "), version.out());
        assertTrue(version.ordinaryExit());

        Outcome missing = darkscope("inspect", dir.resolve("nothing.csv.gz").toString());
        assertEquals(Main.EXIT_BAD_INPUT, missing.status(), missing.err());
        assertTrue(missing.err().contains("no such file"), missing.err());

        Outcome usage = darkscope("score", "--model");
        assertEquals(Main.EXIT_USAGE, usage.status(), usage.err());
    }

    /** SIGTERM (as Ctrl-C or a batch system sends) in the middle of a score leaves no partial output behind. */
    @org.junit.jupiter.api.Timeout(120)
    @Test
    void aTerminatedScoreLeavesNoPartialFile() throws Exception {
        Path sample = BundledSample.extractTo(dir.resolve("sample")).resolve(BundledSample.BACKGROUND);
        Path model = dir.resolve("met.model");
        assertEquals(Main.EXIT_OK, darkscope("train", "--detector", "met", "--background", sample.toString(), "--out", model.toString())
                .status());
        Path out = Files.createDirectories(dir.resolve("out"));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "score", "--model", model.toString(),
                "--out", out.resolve("scores.csv").toString(), "-");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
        // a few events on standard input, which stays open: the score is waiting for more
        process.getOutputStream().write("1;ttbar;0.5;250000;1.0;j,300000,250000,0.5,-1.0;\n".getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().flush();
        long deadline = System.nanoTime() + 60_000_000_000L;
        // the scores' temporary file, not the check that the directory can be written, made and deleted before it
        while (files(out).stream().noneMatch(f -> f.getFileName().toString().startsWith(".scores.csv.")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(files(out).isEmpty(), "the partial output appeared");
        // SIGTERM through the process handle: Process.destroy() would also close the standard
        // input, and the score, seeing its input end, might finish first
        process.toHandle().destroy();
        process.waitFor();
        assertEquals(List.of(), files(out));
        // and says so, where a terminated run would otherwise leave its user with a missing file and no word
        assertTrue(Files.readString(err).contains("darkscope: stopped before " + out.resolve("scores.csv").toAbsolutePath()
                + " was complete: not written"), Files.readString(err));
    }

    private static List<Path> files(Path directory) throws IOException {
        try (java.util.stream.Stream<Path> list = Files.list(directory)) {
            return list.toList();
        }
    }
}
