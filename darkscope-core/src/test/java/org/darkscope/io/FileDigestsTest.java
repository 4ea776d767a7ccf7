package org.darkscope.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remembered digests are the files' digests, and a changed file is read again. */
class FileDigestsTest {
    @TempDir
    Path dir;

    private static String digest(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aChangedFileIsReadAgain() throws Exception {
        Path file = Files.writeString(dir.resolve("events.csv"), "1;ttbar;1;250000;1.0;\n");
        assertEquals(digest("1;ttbar;1;250000;1.0;\n"), FileDigests.sha256(file));
        assertEquals(FileDigests.compute(file), FileDigests.sha256(file));
        Files.writeString(file, "2;ttbar;1;250000;1.0;\n"); // same size: the modification time tells
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
        assertEquals(digest("2;ttbar;1;250000;1.0;\n"), FileDigests.sha256(file));
    }
}
