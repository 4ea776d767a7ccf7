package org.darkscope.detect;

/**
 * Hears about training as it happens: one call per epoch, one per recovery from divergence, one
 * per step of a long fit without epochs.
 */
public interface TrainingListener {
    TrainingListener SILENT = new TrainingListener() {
    };

    default void onEpoch(TrainingHistory.Epoch epoch, int maxEpochs) {
    }

    /** Step {@code done} of {@code steps} of {@code what} is done (combined's calibration, fold by fold). */
    default void onStep(String what, int done, int steps) {
    }

    default void onRecovery(String what) {
    }
}
