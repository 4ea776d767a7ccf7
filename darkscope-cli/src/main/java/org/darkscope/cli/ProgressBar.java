package org.darkscope.cli;

import java.io.PrintWriter;
import org.darkscope.detect.TrainingHistory;
import org.darkscope.detect.TrainingListener;

/**
 * Shows training progress: with {@code --verbose} one plain line per epoch (epoch, loss,
 * validation loss, events per second) or per step of a fit without epochs; otherwise a bar
 * redrawn in place on a terminal and nothing where the output is not one (logs of batch jobs stay
 * short; the manifest keeps every epoch).
 * A recovery from divergence is always reported.
 */
final class ProgressBar implements TrainingListener {
    private static final int WIDTH = 24;
    private final PrintWriter err;
    private final String label;
    private final boolean terminal;
    private final boolean verbose;

    ProgressBar(PrintWriter err, String label, boolean verbose) {
        this.err = err;
        this.label = label;
        this.verbose = verbose;
        this.terminal = !verbose && interactive();
    }

    /**
     * The property by which {@code bin/darkscope} says whether standard error is a terminal (the
     * shell's {@code [ -t 2 ]}): Java 17 can only ask whether standard input and output both are.
     */
    static final String STDERR_TERMINAL = "darkscope.stderrTerminal";

    /**
     * Whether a user watches standard error at a terminal (and this is not a CI job): only there is
     * a line redrawn in place. As the launcher says ({@value #STDERR_TERMINAL}): {@code score --out - | gzip}
     * shows its progress, {@code evaluate ... 2> log} writes none into the log; without the launcher,
     * where {@link System#console()} says standard input and output are a terminal.
     */
    static boolean interactive() {
        if (System.getenv("CI") != null) {
            return false;
        }
        String told = System.getProperty(STDERR_TERMINAL);
        return told != null ? Boolean.parseBoolean(told) : System.console() != null;
    }

    @Override
    public void onEpoch(TrainingHistory.Epoch e, int maxEpochs) {
        if (terminal || verbose) {
            show(e.epoch(), maxEpochs, String.format(java.util.Locale.ROOT, "epoch %d/%d  loss %.4g  val_loss %.4g  %.0f events/s",
                    e.epoch(), maxEpochs, e.loss(), e.validationLoss(), e.eventsPerSecond()));
        }
    }

    /** As an epoch: a large combined calibrates for minutes, fold by fold. */
    @Override
    public void onStep(String what, int done, int steps) {
        if (terminal || verbose) {
            show(done, steps, what + " " + done + "/" + steps);
        }
    }

    /** {@code done} of {@code of} with {@code text}: the bar redrawn at a terminal, else a line. */
    private void show(int done, int of, String text) {
        if (terminal) {
            int filled = (int) Math.round(WIDTH * done / (double) of);
            err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + text + "   ");
            if (done == of) {
                err.println();
            }
        } else {
            err.println(label + ": " + text);
        }
        err.flush();
    }

    @Override
    public void onRecovery(String what) {
        err.println((terminal ? "\n" : "") + label + ": recovered from divergence: " + what);
        err.flush();
    }

    /** Ends the bar's line (training may stop early). */
    void finish() {
        if (terminal) {
            err.println();
            err.flush();
        }
    }
}
