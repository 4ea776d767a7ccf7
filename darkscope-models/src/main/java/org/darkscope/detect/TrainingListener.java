package org.darkscope.detect;

/** Hears about training as it happens: one call per epoch, one per recovery from divergence. */
public interface TrainingListener {
    TrainingListener SILENT = new TrainingListener() {
    };

    default void onEpoch(TrainingHistory.Epoch epoch, int maxEpochs) {
    }

    default void onRecovery(String what) {
    }
}
