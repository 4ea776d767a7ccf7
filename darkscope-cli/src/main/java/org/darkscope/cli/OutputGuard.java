package org.darkscope.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.darkscope.Pipeline;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.io.AtomicFile;

/**
 * Checks a command's output before any work, so that a mistyped {@code --out} loses nothing and
 * a run never fails at its end for want of a place to write: the output is never one of the
 * inputs (nor a directory holding one), nor inside a model bundle (whose manifest lists every
 * file it holds), its directory must already exist (none is created silently) and be writable,
 * an existing model bundle, scores file or event file is replaced only with {@code --force}, and
 * a model bundle never replaces a directory that is not one.
 * Results derived from the inputs ({@code --json}, {@code --report}, the benchmark's and the
 * demo's directories) are replaced without {@code --force}: running a command again is meant to
 * refresh them.
 */
public final class OutputGuard {
    /** What is written. */
    public enum Kind {
        /** A model bundle directory ({@code train --out}). */
        BUNDLE,
        /** A file of data a run made, scores or events ({@code score --out}, {@code mix --out}): replaced only with --force. */
        DATA,
        /** A file of results ({@code --json}): replaced. */
        RESULT_FILE,
        /** A directory of results ({@code --report}, {@code benchmark --out}): files in it replaced. */
        RESULT_DIRECTORY
    }

    private OutputGuard() {
    }

    /**
     * The model a command reads is a bundle, checked before any output, so that a path that is no
     * bundle is named as such (exit 3) rather than as a directory an output would lie inside.
     */
    static void requireModel(Path model) {
        ModelBundle.readManifest(model);
    }

    /** Checks a model bundle or data output (see {@link Kind}); {@code force}: replace an existing one. */
    static void check(Path out, boolean force, List<Path> inputs, boolean bundle) {
        check(out, bundle ? Kind.BUNDLE : Kind.DATA, force, inputs);
    }

    /** Checks a result output (a {@link Kind#RESULT_FILE} or {@link Kind#RESULT_DIRECTORY}); null is no output. */
    public static void checkResult(Path out, Kind kind, List<Path> inputs) {
        if (out != null) {
            check(out, kind, true, inputs);
        }
    }

    /**
     * Checks {@code out} against {@code inputs} (event files and, for scoring, the model bundle, into
     * which no output may go either).
     */
    public static void check(Path out, Kind kind, boolean force, List<Path> inputs) {
        if (Pipeline.isStandardOutput(out)) {
            throw new UsageException("- (standard output) cannot take this output; give a file name (./- for a file called -)");
        }
        Path target = out.toAbsolutePath().normalize();
        boolean directory = kind == Kind.BUNDLE || kind == Kind.RESULT_DIRECTORY;
        if (!directory && Files.isDirectory(out)) {
            throw new UsageException(out + " is a directory: give a file name");
        }
        for (Path dir = target.getParent(); dir != null; dir = dir.getParent()) { // a bundle's manifest lists every file it holds
            if (Files.isRegularFile(dir.resolve(ModelBundle.MANIFEST)) && ModelBundle.isBundle(dir)) {
                throw new UsageException(out + " lies inside the model bundle " + dir
                        + ", which would no longer load (a bundle holds its own files only): write it elsewhere");
            }
        }
        for (Path input : inputs) {
            if (Files.isDirectory(input) && target.startsWith(input.toAbsolutePath().normalize())) {
                throw new UsageException(out + " lies inside the input " + input + ": write it elsewhere");
            }
        }
        for (Path input : inputs) {
            Path in = input.toAbsolutePath().normalize();
            if (in.equals(target) || in.startsWith(target) || sameFile(input, out)) {
                throw new UsageException(out + " would overwrite the input " + input + ": choose another output");
            }
        }
        Path parent = target.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UsageException("the directory of " + out + " does not exist: create it first (darkscope creates none)");
        }
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            if (directory && !Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
                throw new UsageException(out + " exists and is not a directory: choose another output");
            }
            if (kind == Kind.BUNDLE && !isEmptyDirectory(out) && !ModelBundle.isBundle(out)) {
                throw new UsageException(out + " exists and is not a darkscope model bundle: choose another --out");
            }
            if (!force && !(kind == Kind.BUNDLE && isEmptyDirectory(out))) {
                throw new UsageException(out + " exists: give --force to replace it, or choose another output");
            }
        }
        requireWritable(kind == Kind.RESULT_DIRECTORY && Files.isDirectory(out) ? target : parent, out);
    }

    /**
     * Refuses two outputs of one command that would land in the same place: the same path, or
     * {@code out} the page ({@code pageInOther}, null for none) that the directory {@code other}
     * receives. Either may be null (not asked for).
     */
    public static void requireSeparate(String option, Path out, String otherOption, Path other, String pageInOther) {
        if (out == null || other == null) {
            return;
        }
        Path a = out.toAbsolutePath().normalize();
        Path b = other.toAbsolutePath().normalize();
        if (a.equals(b)) {
            throw new UsageException(option + " and " + otherOption + " are both " + out + ": give each output its own path");
        }
        if (pageInOther != null && a.equals(b.resolve(pageInOther))) {
            throw new UsageException(option + " " + out + " is the page " + otherOption + " writes (" + pageInOther
                    + " in " + other + "): give " + option + " another name");
        }
    }

    /** Fails before any work where the output's directory cannot be written (read-only, no permission, full). */
    private static void requireWritable(Path directory, Path out) {
        Path dir = directory != null ? directory : Path.of("").toAbsolutePath();
        // a file made and deleted at once, as an output's temporary file is: a kill in between leaves nothing either
        try (AtomicFile probe = AtomicFile.create(dir.resolve(".darkscope-write-check"))) {
            // made; closed without a commit, so deleted
        } catch (UncheckedIOException | SecurityException e) {
            Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
            // a file system's own reason, without the probe's name that its message starts with
            String reason = cause instanceof java.nio.file.FileSystemException fs ? fs.getReason() : cause.getMessage();
            throw new UsageException("cannot write " + out + ": " + dir + " is not writable (" + cause.getClass().getSimpleName()
                    + (reason != null ? ": " + reason : "") + "); choose another output");
        }
    }

    private static boolean isEmptyDirectory(Path path) {
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (java.util.stream.Stream<Path> entries = Files.list(path)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether {@code a} and {@code b} both exist and are one file or directory (links and relative paths resolved). */
    static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
