package org.darkscope.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that used ONNX Runtime leaves nothing in its temporary directory: each run below is a
 * fresh JVM whose {@code java.io.tmpdir} is a directory of the test's own.
 */
class NativeLibrariesTest {
    /** Loads ONNX Runtime in a fresh process: {@code plain} as ONNX Runtime does by itself, else through {@link NativeLibraries}. */
    public static void main(String[] args) {
        OrtEnvironment environment = args.length > 0 && args[0].equals("plain") ? OrtEnvironment.getEnvironment()
                : NativeLibraries.environment();
        System.out.println("loaded " + (environment != null));
    }

    @Test
    void nothingIsLeftInTheTemporaryDirectory(@TempDir Path temporary) throws Exception {
        Path darkscope = Files.createDirectory(temporary.resolve("darkscope"));
        assertEquals("loaded true", run(darkscope, "darkscope"));
        assertEquals(List.of(), contents(darkscope));
        // the control: ONNX Runtime 1.20 by itself leaves an empty directory (if this fails, it no longer does, and
        // NativeLibraries can go)
        Path plain = Files.createDirectory(temporary.resolve("plain"));
        assertEquals("loaded true", run(plain, "plain"));
        List<Path> left = contents(plain);
        assertEquals(1, left.size(), String.valueOf(left));
        assertTrue(left.get(0).getFileName().toString().startsWith("onnxruntime-java") && contents(left.get(0)).isEmpty(), String.valueOf(left));
    }

    private static String run(Path temporary, String how) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + temporary, "-cp", System.getProperty("java.class.path"), NativeLibrariesTest.class.getName(), how)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        assertEquals(0, process.waitFor(), output);
        return output;
    }

    private static List<Path> contents(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }
}
