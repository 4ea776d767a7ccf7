package org.darkscope.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiPredicate;
import org.darkscope.bundle.EventFingerprints;
import org.darkscope.io.EventReader;
import org.darkscope.io.FileDigests;

/**
 * Refuses one file given as two different samples (background and signal, reference and data,
 * one signal twice) or twice in one sample, where its events would count twice. The same path,
 * the same file under two names, or two files of the same content (SHA-256) are one sample; a classifier told to separate a sample from itself, or an
 * evaluation of background against itself, would measure nothing and say so only in its numbers.
 */
public final class DistinctSamples {
    private DistinctSamples() {
    }

    /** A sample's option on the command line and its files. */
    record Sample(String option, List<Path> files) {
    }

    /** {@link #require(List)} for the two samples of a command: the background and the signals, or the reference and the data. */
    static void require(String firstOption, List<Path> first, String secondOption, List<Path> second) {
        require(List.of(new Sample(firstOption, first), new Sample(secondOption, second)));
    }

    /** Exit 2 where a file of one sample is also a file of another (or twice in one sample). */
    static void require(List<Sample> samples) {
        String repeat = firstRepeat(samples.stream().map(Sample::option).toList(), samples.stream().map(Sample::files).toList(),
                DistinctSamples::same);
        if (repeat != null) {
            throw new UsageException(repeat);
        }
    }

    /**
     * What is wrong with the first input of {@code samples} (each given as the option of the same
     * position in {@code options}) that {@code same} finds in another sample or twice in its own;
     * null where none is.
     */
    public static <T> String firstRepeat(List<String> options, List<List<T>> samples, BiPredicate<T, T> same) {
        for (int a = 0; a < samples.size(); a++) {
            for (int b = a; b < samples.size(); b++) {
                List<T> first = samples.get(a);
                List<T> second = samples.get(b);
                for (int i = 0; i < first.size(); i++) {
                    for (int j = a == b ? i + 1 : 0; j < second.size(); j++) {
                        if (same.test(first.get(i), second.get(j))) {
                            return oneSampleTwice(first.get(i).toString(), second.get(j).toString(), options.get(a),
                                    a == b ? null : options.get(b));
                        }
                    }
                }
            }
        }
        return null;
    }

    /**
     * What is wrong where {@code first}, given as {@code firstOption}, and {@code second}, given as
     * {@code secondOption} (null: as the same option), are one sample.
     */
    public static String oneSampleTwice(String first, String second, String firstOption, String secondOption) {
        String what = first + (first.equals(second) ? "" : " and " + second) + " (the same events) given as " + firstOption;
        return secondOption == null ? what + " twice: give each file once (its events would count twice)"
                : what + " and as " + secondOption + ": each sample must be its own file (a signal is not background, the data are not the reference)";
    }

    /**
     * Exit 2 where the data hold events of the reference background, found by their fingerprints
     * ({@code shared} counts the data's events among {@code referenceEvents}): data made by mixing
     * signal into the reference itself. A search compares two independent samples; with the
     * reference inside the data, their background fluctuates as one and the p-values mean nothing.
     */
    static void requireIndependent(Path reference, EventFingerprints referenceEvents, Path data, EventFingerprints.Overlap shared) {
        if (shared.found() > 0) {
            throw new UsageException(data + " holds events of the reference background " + reference + ": "
                    + TrainingOverlap.share(shared)
                    + ". The data must be independent of the reference: make them from background the reference does not hold"
                    + " (split the background in two with darkscope split, mix the signal into one part with darkscope mix and give the"
                    + " other as --background)");
        }
    }

    private static boolean same(Path x, Path y) {
        if (x.toAbsolutePath().normalize().equals(y.toAbsolutePath().normalize())) {
            return true;
        }
        if (!regular(x) || !regular(y)) {
            return false; // standard input, a pipe, a missing file: reading it says what is wrong
        }
        try {
            return Files.isSameFile(x, y) || Files.size(x) == Files.size(y) && FileDigests.sha256(x).equals(FileDigests.sha256(y));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean regular(Path p) {
        return !EventReader.STANDARD_INPUT.equals(p.toString()) && Files.isRegularFile(p);
    }
}
