package org.darkscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's quick exit, in a JVM of its own: the exit status is the command's and nothing
 * printed is lost, though libc's _exit skips the JVM's exit (and its flushing of buffers).
 */
class QuickExitTest {
    @TempDir
    Path dir;

    private record Outcome(int status, String out, String err) {
    }

    private Outcome darkscope(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + QuickExit.PROPERTY + "=true", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int status = process.waitFor();
        return new Outcome(status, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void keepsTheExitStatusAndEverythingPrinted() throws IOException, InterruptedException {
        Outcome version = darkscope("--version");
        assertEquals(Main.EXIT_OK, version.status(), version.err());
        assertTrue(version.out().startsWith("darkscope "), version.out());

        Outcome help = darkscope("--help");
        assertEquals(Main.EXIT_OK, help.status(), help.err());
        assertTrue(help.out().contains("search") && help.out().contains("help "), help.out()); // the usage's last lines

        Outcome missing = darkscope("inspect", dir.resolve("nothing.csv.gz").toString());
        assertEquals(Main.EXIT_BAD_INPUT, missing.status(), missing.err());
        assertTrue(missing.err().contains("no such file"), missing.err());

        Outcome usage = darkscope("score", "--model");
        assertEquals(Main.EXIT_USAGE, usage.status(), usage.err());
    }
}
