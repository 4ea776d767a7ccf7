package org.darkscope.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An output file that appears only when complete: bytes go to a temporary file beside the
 * target ({@code .NAME.PID.N.part}), which {@link #commit()} moves into place. Closing without
 * committing deletes the temporary file, so a failed run leaves no half-written output; so does
 * a run ended by SIGTERM or Ctrl-C (a shutdown hook deletes the temporary files still open), and
 * the temporary files of processes that died without a chance to (kill -9) are deleted by the next
 * output written to the same name.
 */
public final class AtomicFile implements AutoCloseable {
    private final Path target;
    private final Path temporary;
    private final OutputStream out;
    private boolean committed;
    /** Numbers the temporary files of this process. */
    private static final AtomicLong COUNTER = new AtomicLong();
    /** The temporary files neither committed nor closed yet, each with its target, for the shutdown hook. */
    private static final Map<Path, Path> OPEN = new ConcurrentHashMap<>();

    static {
        // deletes them, and says which outputs were not written: a run ended by SIGTERM or Ctrl-C
        // would otherwise end in silence, its outputs missing without a word
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Map.Entry<Path, Path> part : OPEN.entrySet()) {
                try {
                    if (Files.deleteIfExists(part.getKey())) {
                        System.err.println("darkscope: stopped before " + part.getValue() + " was complete: not written");
                    }
                } catch (IOException ignored) {
                    // the process is ending: nothing else to do
                }
            }
            System.err.flush();
        }, "darkscope-partial-outputs"));
    }

    private AtomicFile(Path target) throws IOException {
        this.target = target.toAbsolutePath();
        Path dir = this.target.getParent();
        Files.createDirectories(dir);
        // A name of our own, made new (CREATE_NEW fails if it exists, and the next is tried), not
        // Files.createTempFile: that seeds a SecureRandom (15 ms of a score's start) and gives the
        // file, and so the finished output, owner-only permissions where the umask's are expected.
        deleteStaleParts(dir, "." + this.target.getFileName() + ".");
        String prefix = "." + this.target.getFileName() + "." + ProcessHandle.current().pid() + ".";
        OutputStream stream = null;
        Path candidate = null;
        while (stream == null) {
            candidate = dir.resolve(prefix + COUNTER.incrementAndGet() + ".part");
            OPEN.put(candidate, this.target); // before it exists: a kill as it is made leaves nothing either
            try {
                stream = Files.newOutputStream(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException taken) {
                OPEN.remove(candidate); // left by another process, or by one that died: the next number
            } catch (IOException | RuntimeException failed) {
                OPEN.remove(candidate);
                throw failed;
            }
        }
        this.temporary = candidate;
        this.out = stream;
    }

    /** Deletes {@code dir}'s temporary files {@code PREFIX<pid>.<n>.part} of processes no longer alive. */
    private static void deleteStaleParts(Path dir, String prefix) throws IOException {
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, glob(prefix) + "*.part")) {
            for (Path part : parts) {
                String rest = part.getFileName().toString().substring(prefix.length());
                int dot = rest.indexOf('.');
                try {
                    long pid = Long.parseLong(rest.substring(0, Math.max(dot, 0)));
                    if (ProcessHandle.of(pid).isEmpty()) {
                        Files.deleteIfExists(part);
                    }
                } catch (NumberFormatException notOurs) {
                    // another name that happens to start the same way: left alone
                }
            }
        }
    }

    /** {@code text} with the glob pattern's special characters escaped. */
    private static String glob(String text) {
        return text.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }

    /** Starts writing {@code target}. */
    public static AtomicFile create(Path target) {
        try {
            return new AtomicFile(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + target + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code content} to {@code target} atomically. */
    public static void write(Path target, byte[] content) {
        try (AtomicFile file = create(target)) {
            file.stream().write(content);
            file.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** The stream to write to; do not close it directly. */
    public OutputStream stream() {
        return out;
    }

    public Path target() {
        return target;
    }

    /** Closes the stream and moves the finished file into place. */
    public void commit() {
        try {
            out.close();
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
            OPEN.remove(temporary);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the partial file is deleted below either way
            }
            try {
                Files.deleteIfExists(temporary);
                OPEN.remove(temporary);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
