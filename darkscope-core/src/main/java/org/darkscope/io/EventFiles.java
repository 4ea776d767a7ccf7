package org.darkscope.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.darkscope.event.Event;

/**
 * Helpers for event files: reading a small file whole, counting a file's events, a sample's name,
 * and the end-of-run report of skipped lines.
 */
public final class EventFiles {
    private EventFiles() {
    }

    /** What reading one file gave. */
    public record FileReport(Path file, long events, long badLineCount, List<BadLine> badLines) {
    }

    /** A file's events in memory, and what reading them gave: the lines lenient mode skipped, for the end-of-run report. */
    public record Contents(List<Event> events, FileReport report) {
    }

    /** All events of {@code file}, at most {@code maxEvents} (negative: no limit), in memory. */
    public static List<Event> read(Path file, ParseMode mode, long maxEvents) {
        return contents(file, mode, maxEvents).events();
    }

    /** All events of {@code file} in memory, with what was skipped reading them ({@link #describeSkipped}). */
    public static Contents readAll(Path file, ParseMode mode) {
        return contents(file, mode, -1);
    }

    private static Contents contents(Path file, ParseMode mode, long maxEvents) {
        List<Event> events = new ArrayList<>();
        try (EventReader reader = EventReader.open(file, mode)) {
            while (reader.hasNext() && (maxEvents < 0 || events.size() < maxEvents)) {
                events.add(reader.next());
            }
            return new Contents(events, reader.report());
        }
    }

    /**
     * Reads {@code file} through, keeping no event: what it holds (its events, its bad lines), for a
     * command that counts a sample before it reads it again.
     */
    public static FileReport count(Path file, ParseMode mode) {
        try (EventReader reader = EventReader.open(file, mode)) {
            while (reader.hasNext()) {
                reader.next();
            }
            return reader.report();
        }
    }

    /** A sample's name: the file name without {@code .gz}, then without {@code .csv} or {@code .tsv}. */
    public static String sampleName(Path file) {
        String name = file.getFileName().toString();
        for (String suffix : new String[] {".gz", ".csv", ".tsv", ".npy"}) {
            if (name.endsWith(suffix)) {
                name = name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    /** One line per skipped line, for the end-of-run report of lenient mode. */
    public static String describeSkipped(List<FileReport> reports) {
        StringBuilder text = new StringBuilder();
        for (FileReport report : reports) {
            if (report.badLineCount() == 0) {
                continue;
            }
            text.append("skipped ").append(report.badLineCount()).append(" bad line(s) in ")
                    .append(report.file()).append('\n');
            for (BadLine bad : report.badLines()) {
                text.append("  ").append(bad).append('\n');
            }
            if (report.badLineCount() > report.badLines().size()) {
                text.append("  ... and ").append(report.badLineCount() - report.badLines().size())
                        .append(" more\n");
            }
        }
        return text.toString();
    }
}
