package org.darkscope.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.darkscope.Pipeline;

/**
 * Shows a user waiting at a terminal how far a long scoring has got: after two seconds, a line
 * redrawn in place at most twice a second ("evaluate: big.csv  1,234,567 events  33,400 events/s"),
 * erased once the file is done, so that what the command prints next starts on a clean line.
 * Nothing where standard error is not watched (a batch job's log, a pipe): the command's own
 * summary says what was done. A file scored in under two seconds shows nothing.
 */
final class ScoringProgress implements Pipeline.Progress {
    private static final long FIRST_NANOS = 2_000_000_000L;
    private static final long EVERY_NANOS = 500_000_000L;

    private final PrintWriter err;
    private final String label;
    private final boolean shown;
    private final LongSupplier clock;
    /** When the file being scored began: when this was made, or when the file before it was done. */
    private long fileStart;
    private long lastShown;
    /** The length of the line on screen; 0 when there is none. */
    private int onScreen;

    /** Progress of {@code label} (the command) on {@code err}, shown where it is an interactive terminal. */
    ScoringProgress(PrintWriter err, String label) {
        this(err, label, ProgressBar.interactive(), System::nanoTime);
    }

    /** With what decides it made explicit: whether it is {@code shown}, and the {@code clock} in nanoseconds. */
    ScoringProgress(PrintWriter err, String label, boolean shown, LongSupplier clock) {
        this.err = err;
        this.label = label;
        this.shown = shown;
        this.clock = clock;
        this.fileStart = clock.getAsLong();
        this.lastShown = fileStart - EVERY_NANOS;
    }

    @Override
    public void scored(Path file, long events) {
        if (!shown) {
            return;
        }
        long now = clock.getAsLong();
        if (now - fileStart < FIRST_NANOS || now - lastShown < EVERY_NANOS) {
            return;
        }
        lastShown = now;
        String line = String.format(Locale.ROOT, "%s: %s  %,d events  %,.0f events/s", label, file.getFileName(), events,
                events / ((now - fileStart) / 1e9));
        err.print("\r" + line + " ".repeat(Math.max(0, onScreen - line.length())));
        err.flush();
        onScreen = line.length();
    }

    @Override
    public void finished(Path file) {
        fileStart = clock.getAsLong();
        if (onScreen > 0) {
            err.print("\r" + " ".repeat(onScreen) + "\r");
            err.flush();
            onScreen = 0;
        }
    }
}
