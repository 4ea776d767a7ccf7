package org.darkscope.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled sample extracted whole, or not at all, and a failure that says why. */
class BundledSampleTest {
    @TempDir
    Path dir;

    @Test
    void extractsEveryFileAsBundled() throws IOException {
        BundledSample.extractTo(dir);
        for (String name : BundledSample.allFiles()) {
            try (InputStream bundled = BundledSample.class.getResourceAsStream("/org/darkscope/sample/chan1/" + name)) {
                assertArrayEquals(bundled.readAllBytes(), Files.readAllBytes(dir.resolve(name)), name);
            }
        }
    }

    /** A file that cannot be put in place (here a folder of its name is in the way): the reason, and no partial file left. */
    @Test
    void aFailedExtractionSaysWhyAndLeavesNoPartOfAFile() throws IOException {
        Files.createDirectories(dir.resolve(BundledSample.SIGNALS.get(0)).resolve("in the way"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> BundledSample.extractTo(dir));
        assertTrue(e.getMessage().contains(BundledSample.SIGNALS.get(0)) && e.getMessage().matches("(?s).*: \\S.*"), e.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of(BundledSample.BACKGROUND, BundledSample.SIGNALS.get(0)).stream().sorted().toList(), names,
                    "the background, extracted before, and the folder in the way; no temporary file");
        }
    }
}
