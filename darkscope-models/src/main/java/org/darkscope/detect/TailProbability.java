package org.darkscope.detect;

import java.util.Arrays;
import org.darkscope.stats.SortedScores;

/**
 * A score's background tail probability, from the scores of N calibration background events
 * c_0 &lt;= ... &lt;= c_{N-1}: at a calibration score the empirical (number of calibration scores at
 * least as high + 1) / (N + 1); between two calibration scores the straight line joining their
 * values, so that events of different scores never share a probability; 1 below the smallest.
 * Above the largest the tail is exponential (a generalised Pareto tail of shape 0, J. Pickands,
 * Ann. Statist. 3 (1975) 119), its scale the mean excess of the calibration scores over their
 * 90th percentile (the maximum-likelihood estimate): p(s) = p(c_{N-1}) exp(-(s - c_{N-1}) / scale).
 * Where that scale is not positive (calibration scores equal at the top) the probability stays at
 * 1 / (N + 1) above the largest.
 *
 * <p>Calibration events that count by their weights w_i (total W, mean w&#772; = W / N) give
 * (weight of the calibration scores at least as high + w&#772;) / (W + w&#772;), the event scored counted
 * as one of mean weight, the quantile and the mean excess weighted; with equal weights the same as
 * counted once.
 */
public final class TailProbability {
    /** The calibration scores above this quantile fit the exponential tail. */
    static final double TAIL_QUANTILE = 0.9;

    private final float[] sorted;
    /** The empirical tail probability at each calibration score, worked out once. */
    private final double[] atCalibration;
    private final double scale;
    /** The calibration events' weights in the order of {@link #sorted}; null where each counts once. */
    private final double[] weights;
    /** The probability above the largest calibration score where there is no tail: 1 / (N + 1), or w&#772; / (W + w&#772;). */
    private final double floor;

    /** From {@code scores}, the calibration background's scores (in any order). */
    TailProbability(float[] scores) {
        this(scores, null);
    }

    /** From {@code scores}, the calibration background's scores (in any order), each weighing {@code weights} (null: counted once). */
    TailProbability(float[] scores, double[] weights) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("no calibration scores");
        }
        if (weights != null && weights.length != scores.length) {
            throw new IllegalArgumentException(weights.length + " weights for " + scores.length + " calibration scores");
        }
        int n = scores.length;
        this.atCalibration = new double[n];
        if (weights == null) {
            float[] calibration = scores.clone();
            Arrays.sort(calibration);
            this.sorted = calibration;
            this.weights = null;
            for (int i = 0; i < n; i++) { // (calibration scores at or above + 1) / (N + 1)
                atCalibration[i] = (n - SortedScores.firstAtLeast(calibration, calibration[i]) + 1.0) / (n + 1.0);
            }
            this.scale = meanExcess(calibration);
            this.floor = 1.0 / (n + 1);
            return;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b])); // stable: equal scores keep their order
        this.sorted = new float[n];
        this.weights = new double[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = scores[order[i]];
            this.weights[i] = weights[order[i]];
        }
        double[] fromTop = new double[n + 1]; // fromTop[i]: the weight of the scores at positions i and above
        for (int i = n - 1; i >= 0; i--) {
            fromTop[i] = fromTop[i + 1] + this.weights[i];
        }
        double total = fromTop[0];
        if (!(total > 0) || Double.isInfinite(total) || Arrays.stream(weights).anyMatch(w -> !(w >= 0))) {
            throw new IllegalArgumentException("calibration weights must be finite, not negative, and sum to more than 0");
        }
        double mean = total / n;
        for (int i = 0; i < n; i++) {
            atCalibration[i] = (fromTop[SortedScores.firstAtLeast(sorted, sorted[i])] + mean) / (total + mean);
        }
        this.scale = weightedMeanExcess(sorted, this.weights, total);
        this.floor = mean / (total + mean);
    }

    private static double meanExcess(float[] sorted) {
        float threshold = sorted[(int) Math.floor(TAIL_QUANTILE * (sorted.length - 1))];
        double sum = 0;
        int n = 0;
        for (float c : sorted) {
            if (c > threshold) {
                sum += c - threshold;
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /**
     * The mean excess, weighted, over the weighted 90th percentile: the last calibration score whose
     * weight below it is at most 0.9 (W - w&#772;), as the unweighted position floor(0.9 (N - 1)) is with equal weights.
     */
    private static double weightedMeanExcess(float[] sorted, double[] weights, double total) {
        double limit = TAIL_QUANTILE * (total - total / sorted.length);
        double below = 0;
        int at = 0;
        for (int i = 0; i < sorted.length && below <= limit; i++) {
            at = i;
            below += weights[i];
        }
        float threshold = sorted[at];
        double sum = 0;
        double weight = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] > threshold) {
                sum += weights[i] * (sorted[i] - threshold);
                weight += weights[i];
            }
        }
        return weight > 0 ? sum / weight : 0;
    }

    /** The calibration events' weights in the order of {@link #calibration} (a copy); null where each counts once. */
    public double[] weights() {
        return weights == null ? null : weights.clone();
    }

    /** The probability above the largest calibration score where there is no exponential tail ({@link #tailScale} not positive). */
    public double floor() {
        return floor;
    }

    /** The calibration scores, in increasing order (a copy). */
    public float[] calibration() {
        return sorted.clone();
    }

    /** The tail probability at each calibration score, the empirical one (the line's ends). */
    public double[] atCalibration() {
        return atCalibration.clone();
    }

    /** The exponential tail's scale above the largest calibration score; not positive: no tail, {@link #floor} there. */
    public double tailScale() {
        return scale;
    }

    /** The logarithm of the tail probability of {@code score}, at most 0 (finite however far out). */
    public double logOf(float score) {
        int n = sorted.length;
        int above = SortedScores.firstAtLeast(sorted, score); // the first calibration score at least as high
        if (above == 0) {
            return 0;
        }
        if (above == n) {
            return scale > 0 ? Math.log(atCalibration[n - 1]) - (score - (double) sorted[n - 1]) / scale : Math.log(floor);
        }
        double right = atCalibration[above]; // sorted[above - 1] < score <= sorted[above]: a line of positive width
        double left = atCalibration[above - 1];
        float lower = sorted[above - 1];
        return Math.log(right + (left - right) * ((double) sorted[above] - score) / ((double) sorted[above] - lower));
    }
}
