package org.darkscope.detect;

import org.darkscope.feature.DensityUnits;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.feature.FittedEncoder;
import org.darkscope.stats.RandomOrder;

/**
 * Encoded background events to learn from: a training part and a validation part that early
 * stopping and the divergence guard watch, the units of the physical quantities behind the
 * features, in which the density detectors give their densities ({@link DensityUnits#NONE}: the
 * standardised features' own), and which features are counts, with the spacing of their values
 * ({@link FittedEncoder#countSpacing()}; empty where nothing is known of them), and the features'
 * names ({@link org.darkscope.feature.Encoding#featureNames()}; empty where not known). Background
 * only: detectors never see signal.
 */
public record TrainingData(FeatureBatch train, FeatureBatch validation, DensityUnits units, double[] countSpacing,
                           java.util.List<String> featureNames) {

    /** Training and validation parts whose densities are over the features as they are, none of them known to be a count or named. */
    public TrainingData(FeatureBatch train, FeatureBatch validation) {
        this(train, validation, DensityUnits.NONE, new double[0], java.util.List.of());
    }

    public TrainingData {
        countSpacing = countSpacing.clone();
        featureNames = java.util.List.copyOf(featureNames);
    }

    /** Per feature, the spacing of a count's values in the standardised features, 0 for any other; empty where not known (a copy). */
    @Override
    public double[] countSpacing() {
        return countSpacing.clone();
    }

    /** Other events described as these are (the same units, counts and feature names): a part of them, or all as one. */
    public TrainingData withEvents(FeatureBatch train, FeatureBatch validation) {
        return new TrainingData(train, validation, units, countSpacing, featureNames);
    }

    /**
     * Background {@code encoded} by {@code encoder}, split as {@link #split(FeatureBatch, double, long)}
     * splits, its densities to be given per physical unit of the encoder's features
     * ({@link FittedEncoder#densityUnits()}) and its counts known ({@link FittedEncoder#countSpacing()}):
     * how the commands train.
     */
    public static TrainingData split(FittedEncoder encoder, FeatureBatch encoded, double validationFraction, long seed) {
        return split(encoded, validationFraction, seed).describedBy(encoder);
    }

    /** The same events as {@code encoder} encoded them: densities per physical unit of its features, its counts known, its features named. */
    public TrainingData describedBy(FittedEncoder encoder) {
        return new TrainingData(train, validation, encoder.densityUnits(), encoder.countSpacing(), encoder.encoding().featureNames());
    }

    /**
     * Splits {@code events} at random (seeded) into training and validation parts, the validation
     * part holding {@code validationFraction} of the events (at least one where there are two).
     */
    public static TrainingData split(FeatureBatch events, double validationFraction, long seed) {
        if (validationFraction < 0 || validationFraction >= 1) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
        }
        int n = events.rows();
        int[] order = RandomOrder.permutation(n, new java.util.Random(seed));
        int validation = (int) Math.round(n * validationFraction);
        if (validationFraction > 0 && validation == 0 && n > 1) {
            validation = 1;
        }
        int[] trainRows = java.util.Arrays.copyOfRange(order, validation, n);
        int[] validationRows = java.util.Arrays.copyOfRange(order, 0, validation);
        java.util.Arrays.sort(trainRows);
        java.util.Arrays.sort(validationRows);
        return new TrainingData(events.select(trainRows), events.select(validationRows));
    }
}
