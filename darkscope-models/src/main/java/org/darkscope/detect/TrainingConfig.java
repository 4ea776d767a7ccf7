package org.darkscope.detect;

/**
 * How to train: epochs, batch size, Adam's learning rate, the seed that makes training
 * reproducible, early-stopping patience, the gradient-norm clip, and who hears about progress.
 *
 * @param epochs       maximum number of passes over the training events
 * @param batchSize    events per optimisation step
 * @param learningRate Adam's initial learning rate
 * @param seed         seeds weight initialisation, shuffling and sampling
 * @param patience     epochs without a better validation loss before stopping early
 * @param maxGradNorm  gradients are rescaled so that their global L2 norm is at most this
 * @param listener     receives one record per epoch and every recovery
 */
public record TrainingConfig(int epochs, int batchSize, double learningRate, long seed, int patience,
                             double maxGradNorm, TrainingListener listener) {
    /** At most this many epochs; with the batch size, the settings under which the background-only protocol chose every default (bench/choose-defaults.sh). */
    public static final int DEFAULT_EPOCHS = 60;
    public static final int DEFAULT_BATCH_SIZE = 128;
    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    public static final long DEFAULT_SEED = 42;

    public TrainingConfig {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || patience < 1 || !(maxGradNorm > 0)) {
            throw new IllegalArgumentException("training needs epochs, batch size, learning rate, patience and "
                    + "gradient clip all positive");
        }
    }

    /** The defaults, with the given epochs and seed. */
    public static TrainingConfig defaults(int epochs, long seed) {
        return new TrainingConfig(epochs, DEFAULT_BATCH_SIZE, DEFAULT_LEARNING_RATE, seed, 10, 5.0, TrainingListener.SILENT);
    }

    public TrainingConfig withLearningRate(double rate) {
        return new TrainingConfig(epochs, batchSize, rate, seed, patience, maxGradNorm, listener);
    }

    public TrainingConfig withBatchSize(int size) {
        return new TrainingConfig(epochs, size, learningRate, seed, patience, maxGradNorm, listener);
    }

    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(epochs, batchSize, learningRate, s, patience, maxGradNorm, listener);
    }

    public TrainingConfig withListener(TrainingListener l) {
        return new TrainingConfig(epochs, batchSize, learningRate, seed, patience, maxGradNorm, l);
    }
}
