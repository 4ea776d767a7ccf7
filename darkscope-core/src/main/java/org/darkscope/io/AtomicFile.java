package org.darkscope.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An output file that appears only when complete: bytes go to a temporary file beside the
 * target, which {@link #commit()} moves into place. Closing without committing deletes the
 * temporary file, so a failed run leaves no half-written output.
 */
public final class AtomicFile implements AutoCloseable {
    private final Path target;
    private final Path temporary;
    private final OutputStream out;
    private boolean committed;
    /** Numbers the temporary files of this process. */
    private static final AtomicLong COUNTER = new AtomicLong();

    private AtomicFile(Path target) throws IOException {
        this.target = target.toAbsolutePath();
        Path dir = this.target.getParent();
        Files.createDirectories(dir);
        // A name of our own, made new (CREATE_NEW fails if it exists, and the next is tried), not
        // Files.createTempFile: that seeds a SecureRandom (15 ms of a score's start) and gives the
        // file, and so the finished output, owner-only permissions where the umask's are expected.
        String prefix = "." + this.target.getFileName() + "." + ProcessHandle.current().pid() + ".";
        OutputStream stream = null;
        Path candidate = null;
        while (stream == null) {
            candidate = dir.resolve(prefix + COUNTER.incrementAndGet() + ".part");
            try {
                stream = Files.newOutputStream(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException taken) {
                // left by another process, or by one that died: the next number
            }
        }
        this.temporary = candidate;
        this.out = stream;
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
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
