package org.darkscope.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        return files(dir);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        }
    }

    @Test
    void theTargetAppearsWholeOnlyOnCommitWithThePermissionsOfAnyNewFile() throws IOException {
        Path target = dir.resolve("scores.csv");
        try (AtomicFile file = AtomicFile.create(target)) {
            file.stream().write("event_id,score\n".getBytes(StandardCharsets.US_ASCII));
            assertFalse(Files.exists(target), "nothing at the target before the commit");
            assertEquals(1, files().size(), "one temporary file beside it");
            file.commit();
        }
        assertEquals("event_id,score\n", Files.readString(target));
        assertEquals(List.of(target), files());
        // the same permissions as a file written plainly in the same directory (the umask's)
        Path plain = dir.resolve("plain.csv");
        try (OutputStream out = Files.newOutputStream(plain)) {
            out.write('x');
        }
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        }
    }

    @Test
    void closingWithoutCommitLeavesNothingAndAnOldTargetAsItWas() throws IOException {
        Path target = dir.resolve("scores.csv");
        Files.writeString(target, "old");
        try (AtomicFile file = AtomicFile.create(target)) {
            file.stream().write("half".getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void twoWritersOfOneTargetEachHaveTheirOwnTemporaryFileAndTheLastCommitWins() throws IOException {
        Path target = dir.resolve("out").resolve("scores.csv"); // the directory is made
        try (AtomicFile first = AtomicFile.create(target); AtomicFile second = AtomicFile.create(target)) {
            first.stream().write('1');
            second.stream().write('2');
            assertEquals(2, files(target.getParent()).size());
            second.commit();
            first.commit();
        }
        assertEquals("1", Files.readString(target));
        assertEquals(List.of(target), files(target.getParent()));
    }

    @Test
    void anUnwritableDirectoryIsReportedWithTheTarget() throws IOException {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "x");
        var e = assertThrows(java.io.UncheckedIOException.class, () -> AtomicFile.create(blocker.resolve("scores.csv")));
        assertTrue(e.getMessage().contains(blocker.resolve("scores.csv").toString()), e.getMessage());
    }

    /** Temporary files of processes that died (kill -9 gives no chance to clean up) go with the next output of that name; others stay. */
    @Test
    void staleTemporaryFilesOfDeadProcessesAreDeleted() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long dead = gone.pid();
        Path stale = Files.writeString(dir.resolve(".scores.csv." + dead + ".1.part"), "half");
        Path live = Files.writeString(dir.resolve(".scores.csv." + ProcessHandle.current().pid() + ".999999.part"), "mine");
        Path other = Files.writeString(dir.resolve(".scores.csv.backup.part"), "someone's");
        Path otherTarget = Files.writeString(dir.resolve(".scores.csv.gz." + dead + ".1.part"), "another output's");
        AtomicFile.write(dir.resolve("scores.csv"), "x".getBytes(StandardCharsets.US_ASCII));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(live) && Files.exists(other) && Files.exists(otherTarget));
        assertEquals("x", Files.readString(dir.resolve("scores.csv")));
    }
}
