package org.darkscope.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.darkscope.event.Event;

/**
 * The channel-1 sample that ships inside darkscope (a copy of the public Dark Machines-format
 * sample, see {@code data/sample/chan1/README.md}): Standard Model background and two example
 * signals. It makes the demo and the tests work where no other data is at hand.
 */
public final class BundledSample {
    /** The background file's name. */
    public static final String BACKGROUND = "background_train.csv.gz";
    /** The example signals' file names. */
    public static final List<String> SIGNALS = List.of("glgl1400_neutralino1100.csv.gz", "monojet_Zp2000.0_DM_50.0.csv.gz");

    private static final String RESOURCE_DIR = "/org/darkscope/sample/chan1/";

    private BundledSample() {
    }

    /** Copies the sample's files into {@code directory} and returns it. */
    public static Path extractTo(Path directory) {
        try {
            Files.createDirectories(directory);
            for (String name : allFiles()) {
                try (InputStream in = BundledSample.class.getResourceAsStream(RESOURCE_DIR + name);
                     AtomicFile file = AtomicFile.create(directory.resolve(name))) { // a full disk leaves no half a file
                    if (in == null) {
                        throw new IllegalStateException("bundled sample file " + name + " is missing from the classpath");
                    }
                    in.transferTo(file.stream());
                    file.commit();
                }
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled sample to " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * The sample extracted, with its background split in two event files: the first part (to
     * train on, or as the reference) and the rest (held out), in the file's order.
     *
     * @param directory   where the sample and the two parts are
     * @param first       the first part of the background
     * @param rest        the rest of the background
     * @param firstEvents events in {@code first}
     * @param restEvents  events in {@code rest}
     */
    public record Split(Path directory, Path first, Path rest, int firstEvents, int restEvents) {
        /** Signal file {@code index} of {@link #SIGNALS}. */
        public Path signal(int index) {
            return directory.resolve(SIGNALS.get(index));
        }
    }

    /**
     * Extracts the sample into {@code directory} and writes its background split there: the
     * first {@code firstFraction} of the events to {@code firstName}, the rest to
     * {@code restName} (gzip-compressed when the name ends in {@code .gz}). By fraction, so it
     * works whatever the sample's size.
     */
    public static Split extractAndSplit(Path directory, double firstFraction, String firstName, String restName) {
        extractTo(directory);
        List<Event> background = EventFiles.read(directory.resolve(BACKGROUND), ParseMode.STRICT, -1);
        int cut = (int) Math.round(background.size() * firstFraction);
        Path first = directory.resolve(firstName);
        Path rest = directory.resolve(restName);
        EventWriter.write(first, background.subList(0, cut));
        EventWriter.write(rest, background.subList(cut, background.size()));
        return new Split(directory, first, rest, cut, background.size() - cut);
    }

    /** The background file and the signals, in that order. */
    public static List<String> allFiles() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(BACKGROUND), SIGNALS.stream()).toList();
    }
}
