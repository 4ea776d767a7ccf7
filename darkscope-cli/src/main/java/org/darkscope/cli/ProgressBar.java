package org.darkscope.cli;

import java.io.PrintWriter;
import org.darkscope.detect.TrainingHistory;
import org.darkscope.detect.TrainingListener;

/**
 * Shows training progress: a bar redrawn in place on a terminal, plain log lines otherwise (so
 * logs of batch jobs stay readable). Epoch, loss, validation loss and events per second.
 */
final class ProgressBar implements TrainingListener {
    private static final int WIDTH = 24;
    private final PrintWriter err;
    private final String label;
    private final boolean terminal;

    ProgressBar(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
        this.terminal = System.console() != null && System.getenv("CI") == null;
    }

    @Override
    public void onEpoch(TrainingHistory.Epoch e, int maxEpochs) {
        String numbers = String.format("epoch %d/%d  loss %.4g  val_loss %.4g  %.0f events/s",
                e.epoch(), maxEpochs, e.loss(), e.validationLoss(), e.eventsPerSecond());
        if (terminal) {
            int filled = (int) Math.round(WIDTH * e.epoch() / (double) maxEpochs);
            err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + numbers + "   ");
            if (e.epoch() == maxEpochs) {
                err.println();
            }
        } else {
            err.println(label + ": " + numbers);
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
