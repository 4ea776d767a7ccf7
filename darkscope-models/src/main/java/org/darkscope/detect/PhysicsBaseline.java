package org.darkscope.detect;

import java.nio.file.Path;
import java.util.List;
import org.darkscope.feature.FeatureBatch;

/**
 * The physics baselines {@code ht} and {@code met}: no training, the score is the event's HT or
 * MET in GeV (fed by {@link org.darkscope.feature.PhysicsEncoding}). Every learned detector is
 * judged against them: a network that cannot beat "large MET is anomalous" has learned nothing
 * a cut would not give.
 */
public final class PhysicsBaseline implements Detector {
    private final String name;

    /** The baseline {@code name} ({@code ht} or {@code met}); it has no settings, so any given is refused. */
    public PhysicsBaseline(String name, Hyperparameters settings) {
        Setting.complete(name, settings, List.of());
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean learns() {
        return false;
    }

    /** Its variable's encoding, {@code ht} or {@code met}: a cut scores that and nothing else. */
    @Override
    public java.util.Optional<String> ownEncoding() {
        return java.util.Optional.of(name);
    }

    @Override
    public String encodingRefused(String asked) {
        return scoresItself() + ", not --encoding " + asked + "; to learn from the " + asked + " encoding, " + LEARN;
    }

    /** What to use instead of a cut to learn from features. */
    private static final String LEARN = "train a detector that learns (kde, flow, gmm, knn, ...)";

    /** "met scores the event's MET itself (encoding met)". */
    private String scoresItself() {
        return name + " scores the event's " + name.toUpperCase(java.util.Locale.ROOT) + " itself (encoding " + name + ")";
    }

    @Override
    public Hyperparameters hyperparameters() {
        return Hyperparameters.empty();
    }

    @Override
    public void fit(TrainingData background, TrainingConfig config) {
        if (background.train().rowSize() != 1) {
            throw new IllegalArgumentException(scoresItself() + ", one number per event, and was given "
                    + background.train().rowSize() + "; to learn from many features, " + LEARN);
        }
    }

    @Override
    public float[] score(FeatureBatch batch) {
        return batch.values().clone();
    }

    @Override
    public List<Path> save(Path directory) {
        return List.of();
    }

    @Override
    public void load(Path directory, int[] inputShape, TrainingHistory history) {
    }
}
