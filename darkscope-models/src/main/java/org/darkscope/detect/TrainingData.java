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
 * names ({@link org.darkscope.feature.Encoding#featureNames()}; empty where not known), and each
 * event's weight where the events are to count by their weights ({@code train --weighted}: a sample
 * made in slices of HT, say), null where each counts once. Background only: detectors never see
 * signal; only those whose {@link Detector#fitsWeights} is true are given weights.
 */
public record TrainingData(FeatureBatch train, FeatureBatch validation, DensityUnits units, double[] countSpacing,
                           java.util.List<String> featureNames, double[] trainWeights, double[] validationWeights) {

    /** Training and validation parts whose densities are over the features as they are, none of them known to be a count or named. */
    public TrainingData(FeatureBatch train, FeatureBatch validation) {
        this(train, validation, DensityUnits.NONE, new double[0], java.util.List.of());
    }

    /** Events each counted once. */
    public TrainingData(FeatureBatch train, FeatureBatch validation, DensityUnits units, double[] countSpacing,
                        java.util.List<String> featureNames) {
        this(train, validation, units, countSpacing, featureNames, null, null);
    }

    /**
     * Refuses weights of another number than the events, or only one part weighted; a weight
     * negative or not finite, or a part whose weights sum to nothing while it has events.
     */
    public TrainingData {
        countSpacing = countSpacing.clone();
        featureNames = java.util.List.copyOf(featureNames);
        if ((trainWeights == null) != (validationWeights == null)) {
            throw new IllegalArgumentException("weights for both parts or for neither");
        }
        if (trainWeights != null) {
            trainWeights = checked(trainWeights, train.rows(), "training");
            validationWeights = checked(validationWeights, validation.rows(), "validation");
        }
    }

    private static double[] checked(double[] weights, int rows, String part) {
        if (weights.length != rows) {
            throw new IllegalArgumentException(weights.length + " weights for " + rows + " " + part + " events");
        }
        double total = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("a " + part + " event weighs " + w + ": weights to learn from must be finite and not negative");
            }
            total += w;
        }
        if (rows > 0 && !(total > 0)) {
            throw new IllegalArgumentException("the " + part + " events' weights sum to " + total + ": nothing to learn from");
        }
        return weights.clone();
    }

    /** Whether the events count by their weights. */
    public boolean weighted() {
        return trainWeights != null;
    }

    /** The training events' weights (a copy), null where each counts once. */
    @Override
    public double[] trainWeights() {
        return trainWeights == null ? null : trainWeights.clone();
    }

    /** The validation events' weights (a copy), null where each counts once. */
    @Override
    public double[] validationWeights() {
        return validationWeights == null ? null : validationWeights.clone();
    }

    /** These events, each weighing {@code train} and {@code validation} (null: counted once). */
    public TrainingData withWeights(double[] train, double[] validation) {
        return new TrainingData(this.train, this.validation, units, countSpacing, featureNames, train, validation);
    }

    /** Per feature, the spacing of a count's values in the standardised features, 0 for any other; empty where not known (a copy). */
    @Override
    public double[] countSpacing() {
        return countSpacing.clone();
    }

    /** Other events described as these are (the same units, counts and feature names), each counted once. */
    public TrainingData withEvents(FeatureBatch train, FeatureBatch validation) {
        return new TrainingData(train, validation, units, countSpacing, featureNames);
    }

    /** Other events described as these are, weighing {@code trainWeights} and {@code validationWeights} (null: counted once). */
    public TrainingData withEvents(FeatureBatch train, double[] trainWeights, FeatureBatch validation, double[] validationWeights) {
        return new TrainingData(train, validation, units, countSpacing, featureNames, trainWeights, validationWeights);
    }

    /** The training and validation parts as one training part, their weights with them, and an empty validation part. */
    public TrainingData asOnePart() {
        if (validation.rows() == 0) {
            return this;
        }
        double[] weights = null;
        if (weighted()) {
            weights = java.util.Arrays.copyOf(trainWeights, train.rows() + validation.rows());
            System.arraycopy(validationWeights, 0, weights, train.rows(), validation.rows());
        }
        return withEvents(FeatureBatch.concatenate(java.util.List.of(train, validation)), weights, validation.slice(0, 0),
                weighted() ? new double[0] : null);
    }

    /** The training events of {@code rows}, with their weights, as a training part; the validation part as it is. */
    public TrainingData trainingRows(int[] rows) {
        return withEvents(train.select(rows), weighted() ? select(trainWeights, rows) : null, validation, validationWeights);
    }

    /** {@code weights} at {@code rows}, in that order. */
    private static double[] select(double[] weights, int[] rows) {
        double[] selected = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            selected[i] = weights[rows[i]];
        }
        return selected;
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

    /** As {@link #split(FittedEncoder, FeatureBatch, double, long)}, each event weighing {@code weights} (null: counted once). */
    public static TrainingData split(FittedEncoder encoder, FeatureBatch encoded, double[] weights, double validationFraction, long seed) {
        return split(encoded, weights, validationFraction, seed).describedBy(encoder);
    }

    /** The same events as {@code encoder} encoded them: densities per physical unit of its features, its counts known, its features named. */
    public TrainingData describedBy(FittedEncoder encoder) {
        return new TrainingData(train, validation, encoder.densityUnits(), encoder.countSpacing(), encoder.encoding().featureNames(),
                trainWeights, validationWeights);
    }

    /**
     * Splits {@code events} at random (seeded) into training and validation parts, the validation
     * part holding {@code validationFraction} of the events (at least one where there are two).
     */
    public static TrainingData split(FeatureBatch events, double validationFraction, long seed) {
        return split(events, null, validationFraction, seed);
    }

    /** As {@link #split(FeatureBatch, double, long)}, each event's weight ({@code weights}; null: counted once) going with it. */
    public static TrainingData split(FeatureBatch events, double[] weights, double validationFraction, long seed) {
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
        return new TrainingData(events.select(trainRows), events.select(validationRows)).withWeights(
                weights == null ? null : select(weights, trainRows), weights == null ? null : select(weights, validationRows));
    }
}
