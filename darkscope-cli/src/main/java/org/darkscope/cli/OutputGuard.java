package org.darkscope.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.darkscope.bundle.ModelBundle;

/**
 * Checks a command's output before any work, so that a mistyped {@code --out} loses nothing: the
 * output is never one of the inputs (nor a directory holding one), its directory must already
 * exist (none is created silently), an existing output is replaced only with {@code --force}, and
 * a model bundle never replaces a directory that is not a darkscope bundle.
 */
final class OutputGuard {
    private OutputGuard() {
    }

    /**
     * Checks {@code out} against {@code inputs} (event files and, for scoring, the model bundle, into
     * which no output may go either); {@code bundle}: the output is a model bundle directory.
     */
    static void check(Path out, boolean force, List<Path> inputs, boolean bundle) {
        Path target = out.toAbsolutePath().normalize();
        for (Path input : inputs) {
            if (Files.isDirectory(input) && target.startsWith(input.toAbsolutePath().normalize())) {
                throw new UsageException("--out " + out + " lies inside the input " + input + ": choose another --out");
            }
        }
        for (Path input : inputs) {
            Path in = input.toAbsolutePath().normalize();
            if (in.equals(target) || in.startsWith(target) || sameFile(input, out)) {
                throw new UsageException("--out " + out + " would overwrite the input " + input + ": choose another --out");
            }
        }
        Path parent = target.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UsageException("the directory of --out " + out + " does not exist: create it first (darkscope creates none)");
        }
        if (!Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (bundle && isEmptyDirectory(out)) {
            return; // nothing to lose
        }
        if (bundle && !ModelBundle.isBundle(out)) {
            throw new UsageException("--out " + out + " exists and is not a darkscope model bundle: choose another --out");
        }
        if (!bundle && Files.isDirectory(out)) {
            throw new UsageException("--out " + out + " is a directory: give a file name");
        }
        if (!force) {
            throw new UsageException("--out " + out + " exists: give --force to replace it, or another --out");
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

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
