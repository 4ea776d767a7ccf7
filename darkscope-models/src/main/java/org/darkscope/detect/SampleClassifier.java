package org.darkscope.detect;

import java.util.List;

/**
 * A detector that learns to tell the background from other samples: simulated signals (the
 * supervised {@code classifier} and {@code hyperclass}) or the data themselves (the weakly
 * supervised {@code data-vs-reference}). It has the verbs of every detector, but fitting it on
 * background alone is refused: it needs the other samples, {@link #fit(TrainingData, List, TrainingConfig)}.
 */
public interface SampleClassifier extends Detector {
    /** What the other samples are; the command line gives them with {@code --signal} or {@code --data}. */
    enum Role {
        SIGNAL, DATA;

        /** The command-line option that gives samples of this role. */
        public String option() {
            return "--" + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What this detector's other samples are. */
    Role role();

    /** The fewest other samples it learns from. */
    int minimumSamples();

    /** The most other samples it learns from. */
    default int maximumSamples() {
        return Integer.MAX_VALUE;
    }

    /**
     * Learns to tell {@code background} from {@code others}; each sample comes split into a
     * training and a validation part. The classes weigh the same in the loss, and within the
     * others every sample weighs the same, whatever its number of events.
     */
    void fit(TrainingData background, List<TrainingData> others, TrainingConfig config);

    /** Refused: this detector learns from other samples as well as from background. */
    @Override
    default void fit(TrainingData background, TrainingConfig config) {
        throw new IllegalArgumentException(nothingGiven());
    }

    private String nothingGiven() {
        return name() + " learns to tell background from " + role().name().toLowerCase(java.util.Locale.ROOT) + ": give "
                + (minimumSamples() > 1 ? "at least " + minimumSamples() + " samples" : "it") + " with " + role().option() + " FILE...";
    }

    /** Checks the number of other samples. */
    default void requireSamples(int given) {
        if (given == 0) {
            throw new IllegalArgumentException(nothingGiven());
        }
        if (given < minimumSamples() || given > maximumSamples()) {
            String wanted = minimumSamples() == maximumSamples() ? "exactly " + minimumSamples()
                    : "at least " + minimumSamples();
            throw new IllegalArgumentException(name() + " needs " + wanted + " " + role().name().toLowerCase(java.util.Locale.ROOT)
                    + " sample" + (minimumSamples() > 1 ? "s" : "") + " (" + role().option() + "), got " + given);
        }
    }
}
