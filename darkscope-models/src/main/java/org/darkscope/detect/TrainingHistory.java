package org.darkscope.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * What happened in training, kept in the bundle: the loss and validation loss of every epoch,
 * the epoch whose weights were kept, and every recovery from a diverging loss.
 */
public final class TrainingHistory {
    /** One epoch. Losses are means per event. */
    public record Epoch(int epoch, double loss, double validationLoss, double learningRate, double eventsPerSecond) {
    }

    private final List<Epoch> epochs = new ArrayList<>();
    private final List<String> recoveries = new ArrayList<>();
    private int bestEpoch;
    private String stopReason = "";

    public TrainingHistory() {
    }

    /** Rebuilds a history read from a bundle. */
    public TrainingHistory(List<Epoch> epochs, List<String> recoveries, int bestEpoch, String stopReason) {
        this.epochs.addAll(epochs);
        this.recoveries.addAll(recoveries);
        this.bestEpoch = bestEpoch;
        this.stopReason = stopReason;
    }

    void add(Epoch epoch) {
        epochs.add(epoch);
    }

    void recovered(String what) {
        recoveries.add(what);
    }

    void bestEpoch(int epoch) {
        bestEpoch = epoch;
    }

    void stopReason(String reason) {
        stopReason = reason;
    }

    public List<Epoch> epochs() {
        return List.copyOf(epochs);
    }

    /** One line per recovery, e.g. "epoch 3: loss not finite; rolled back to epoch 2, learning rate 10 -> 1". */
    public List<String> recoveries() {
        return List.copyOf(recoveries);
    }

    /** Whether training had to recover from a diverging loss. */
    public boolean recovered() {
        return !recoveries.isEmpty();
    }

    /** The epoch whose weights the detector kept (lowest validation loss); 0 if none trained. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** Why training stopped: all epochs done, early stopping, or too many divergences. */
    public String stopReason() {
        return stopReason;
    }
}
