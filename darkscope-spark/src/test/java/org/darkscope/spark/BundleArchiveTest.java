package org.darkscope.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.darkscope.io.BundledSample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zip shipped to the executors holds the bundle, and leaves nothing behind when the JVM exits. */
class BundleArchiveTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void trainAModel() throws IOException {
        Path sample = BundledSample.extractTo(Files.createDirectories(dir.resolve("sample")));
        model = dir.resolve("met.model");
        SparkJobsTest.Run r = SparkJobsTest.cli("train", "--detector", "met", "--background",
                sample.resolve(BundledSample.BACKGROUND).toString(), "--out", model.toString());
        assertEquals(0, r.code(), r.err());
    }

    /** Packs the bundle of {@code args[0]} and prints the archive's path: run in a JVM of its own. */
    public static void main(String[] args) {
        System.out.println(BundleArchive.zip(Path.of(args[0])));
    }

    @Test
    void theArchiveAndItsFolderGoWhenTheJvmExits() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), BundleArchiveTest.class.getName(),
                model.toString()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes()).trim();
        assertEquals(0, child.waitFor(), output);
        Path archive = Path.of(output.lines().reduce((a, b) -> b).orElseThrow());
        assertTrue(archive.startsWith(tmp), output);
        assertEquals(List.of(), list(tmp), "left in the temporary directory");
    }

    @Test
    void theArchiveHoldsTheBundlesFilesAtItsRoot() throws IOException {
        Path archive = BundleArchive.zip(model);
        List<String> bundle;
        try (var walk = Files.walk(model)) {
            bundle = walk.filter(Files::isRegularFile).map(f -> model.relativize(f).toString()).sorted().toList();
        }
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            assertEquals(bundle, zip.stream().map(e -> e.getName()).sorted().toList());
        }
        assertEquals("met.model.zip", archive.getFileName().toString());
    }

    private static List<Path> list(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.toList();
        }
    }
}
