package org.darkscope.detect;

import java.io.IOException;
import java.nio.file.Path;
import org.darkscope.feature.FeatureBatch;

/**
 * An anomaly detector: learns what is "normal" from Standard-Model background alone and gives
 * every event a score, higher meaning more anomalous. The same two verbs for every method, as in
 * scikit-learn and PyOD; saving and loading go through {@link org.darkscope.bundle.ModelBundle}.
 */
public interface Detector extends AutoCloseable {
    /** The detector's command-line name, e.g. {@code vae}. */
    String name();

    /** The effective settings, defaults included. */
    Hyperparameters hyperparameters();

    /** Learns "normal" from background events only. */
    void fit(TrainingData background, TrainingConfig config);

    /** One score per event; higher means more anomalous. */
    float[] score(FeatureBatch batch);

    /**
     * Whether the scores depend on the background it was fitted on; false for the physics
     * baselines, which learn nothing (so judging them on their "training" events is harmless).
     */
    default boolean learns() {
        return true;
    }

    /**
     * Whether it learns from events counted by their weights ({@link TrainingData#weighted}: a
     * sample made in slices, {@code train --weighted}), as a density is estimated from weighted
     * kernels; false (the default) for one that counts each event once, which is then not given
     * weighted events. One that learns nothing (a cut) takes them, as they change nothing.
     */
    default boolean fitsWeights() {
        return !learns();
    }

    /**
     * Whether fitting uses a validation part of the background (early stopping, a choice among
     * candidates, a calibration); by default, whether it learns. One that validates nothing
     * ({@code kde}, {@code knn}, {@code iforest}, {@code gmm} with a fixed number of components) is
     * fitted on every training event, none held back
     * ({@link Detectors#validationFraction}), so that its fit does not depend on the seed's split.
     */
    default boolean validates() {
        return learns();
    }

    /**
     * The one encoding it reads, whatever the user asks, for a detector not free to read another
     * (a cut reads its own variable, a model made elsewhere the input it was made for); empty (the
     * default): the encoding it is given. {@link #encodingRefused} says why another is refused.
     */
    default java.util.Optional<String> ownEncoding() {
        return java.util.Optional.empty();
    }

    /** Why the encoding {@code asked} cannot replace its {@link #ownEncoding}, and what to do instead. */
    default String encodingRefused(String asked) {
        return name() + " reads the encoding " + ownEncoding().orElse("it is given") + ", not --encoding " + asked;
    }

    /**
     * Whether every event it trained on is scored by a part of the model that did not learn from
     * it (k-fold, as {@code data-vs-reference}), so that scoring its own training events is fair.
     */
    default boolean scoresOutOfFold() {
        return false;
    }

    /** Number of trained (learnable) parameters; none for detectors that are not networks. */
    default long parameterCount() {
        return 0;
    }

    /**
     * What a user should know of the fitted model before scoring many events with it (a cost that
     * grows with the training sample, say), in a sentence each; none by default. {@code train}
     * prints them.
     */
    default java.util.List<String> advice() {
        return java.util.List.of();
    }

    /** What training did, epoch by epoch; empty for detectors that have no training loop. */
    default TrainingHistory history() {
        return new TrainingHistory();
    }

    /** Writes the fitted state (weights, trees, ...) into {@code directory}; returns the files written. */
    java.util.List<Path> save(Path directory) throws IOException;

    /** Restores the fitted state written by {@link #save} for events of {@code inputShape}. */
    void load(Path directory, int[] inputShape, TrainingHistory history) throws IOException;

    /** Releases native memory; a no-op for detectors in plain Java. */
    @Override
    default void close() {
    }
}
