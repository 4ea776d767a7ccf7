package org.darkscope.cli;

import org.darkscope.detect.TrainingConfig;
import org.darkscope.detect.TrainingListener;
import picocli.CommandLine.Option;

/** Training options shared by {@code train} and {@code benchmark}. */
final class TrainingOptions {
    @Option(names = "--epochs", defaultValue = "" + TrainingConfig.DEFAULT_EPOCHS, paramLabel = "N", description = "Maximum epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "" + TrainingConfig.DEFAULT_BATCH_SIZE, paramLabel = "N", description = "Events per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--learning-rate", defaultValue = "1e-3", paramLabel = "R", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Random seed: same seed, same data, same scores (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--patience", defaultValue = "10", paramLabel = "N", description = "Early-stopping patience in epochs (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--verbose", description = "Print one line per training epoch (default: a progress bar on a terminal, nothing otherwise).")
    boolean verbose;

    /** Options as the command line gives them (picocli fills the fields). */
    TrainingOptions() {
    }

    /** Options set in code (for the demo). */
    TrainingOptions(int epochs, int batchSize, double learningRate, long seed, int patience) {
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
        this.seed = seed;
        this.patience = patience;
    }

    TrainingConfig config(TrainingListener listener) {
        requirePositive("--epochs", epochs);
        requirePositive("--batch-size", batchSize);
        requirePositive("--patience", patience);
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new UsageException("--learning-rate must be a positive finite number, got " + learningRate);
        }
        return new TrainingConfig(epochs, batchSize, learningRate, seed, patience, 5.0, listener);
    }

    /**
     * {@code --validation-fraction} in [0, 1), else refused naming its value: checked by the
     * command, since a detector that validates nothing never reads it.
     */
    static void requireValidationFraction(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new UsageException("--validation-fraction must be in [0, 1), got " + fraction);
        }
    }

    private static void requirePositive(String option, int value) {
        if (value < 1) {
            throw new UsageException(option + " must be at least 1, got " + value);
        }
    }
}
