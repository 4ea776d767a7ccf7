package org.darkscope.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SHA-256 of files. {@link #sha256} remembers the digests of the event files a process reads, so
 * that a file is read for its digest once although the training record, the training-overlap
 * check and a report's provenance all name it (a benchmark trains a dozen detectors on the same
 * files); a file whose size or modification time changed is read again. {@link #compute} always
 * reads (for a model bundle's own files, checked afresh at every load).
 */
public final class FileDigests {
    private record Key(Path path, long size, FileTime modified) {
    }

    private static final Map<Key, String> KNOWN = new ConcurrentHashMap<>();

    private FileDigests() {
    }

    /** The SHA-256 of {@code file}, hex-encoded, remembered for as long as the file is unchanged. */
    public static String sha256(Path file) {
        if (Files.isDirectory(file)) {
            return directory(file);
        }
        Key key;
        try {
            key = new Key(file.toAbsolutePath().normalize(), Files.size(file), Files.getLastModifiedTime(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return KNOWN.computeIfAbsent(key, k -> compute(file));
    }

    /**
     * The SHA-256 of a folder sample (PNG images): over its regular files in name order, each
     * file's name and SHA-256; read now.
     */
    private static String directory(Path folder) {
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                digest.update((f.getFileName() + "\n" + sha256(f) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder + ": " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SHA-256 of {@code file}, hex-encoded, read now. */
    public static String compute(Path file) {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
