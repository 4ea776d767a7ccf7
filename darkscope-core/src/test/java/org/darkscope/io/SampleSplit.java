package org.darkscope.io;

import java.nio.file.Path;
import java.util.List;
import org.darkscope.event.Event;

/**
 * For tests in every module: the bundled sample extracted, and its background split into two
 * event files, the first part (to train on, or as the reference) and the rest (held out). The
 * split is by fraction, so it works whatever the size of the sample.
 *
 * @param sample      the extracted sample directory
 * @param first       the first part of the background
 * @param rest        the rest of the background
 * @param firstEvents events in {@code first}
 * @param restEvents  events in {@code rest}
 */
public record SampleSplit(Path sample, Path first, Path rest, int firstEvents, int restEvents) {
    /** Extracts the sample into {@code dir} and writes the split; the file names say plain or gzip. */
    public static SampleSplit of(Path dir, double firstFraction, String firstName, String restName) {
        Path sample = BundledSample.extractTo(dir.resolve("sample"));
        List<Event> background = EventFiles.read(sample.resolve(BundledSample.BACKGROUND), ParseMode.STRICT, -1);
        int cut = (int) Math.round(background.size() * firstFraction);
        Path first = dir.resolve(firstName);
        Path rest = dir.resolve(restName);
        write(first, background.subList(0, cut));
        write(rest, background.subList(cut, background.size()));
        return new SampleSplit(sample, first, rest, cut, background.size() - cut);
    }

    /** Signal file {@code index} of {@link BundledSample#SIGNALS}. */
    public Path signal(int index) {
        return sample.resolve(BundledSample.SIGNALS.get(index));
    }

    private static void write(Path file, List<Event> events) {
        try (EventWriter writer = EventWriter.create(file)) {
            events.forEach(writer::write);
        }
    }
}
