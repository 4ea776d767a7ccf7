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
 */
public final class TailProbability {
    /** The calibration scores above this quantile fit the exponential tail. */
    static final double TAIL_QUANTILE = 0.9;

    private final float[] sorted;
    /** The empirical tail probability at each calibration score, worked out once. */
    private final double[] atCalibration;
    private final double scale;

    /** From {@code scores}, the calibration background's scores (in any order). */
    TailProbability(float[] scores) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("no calibration scores");
        }
        float[] calibration = scores.clone();
        Arrays.sort(calibration);
        this.sorted = calibration;
        this.atCalibration = new double[calibration.length];
        for (int i = 0; i < calibration.length; i++) { // (calibration scores at or above + 1) / (N + 1)
            atCalibration[i] = (calibration.length - SortedScores.firstAtLeast(calibration, calibration[i]) + 1.0)
                    / (calibration.length + 1.0);
        }
        this.scale = meanExcess(calibration);
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

    /** The calibration scores, in increasing order (a copy). */
    public float[] calibration() {
        return sorted.clone();
    }

    /** The tail probability at each calibration score, the empirical one (the line's ends). */
    public double[] atCalibration() {
        return atCalibration.clone();
    }

    /** The exponential tail's scale above the largest calibration score; not positive: no tail, 1 / (N + 1) there. */
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
            return scale > 0 ? Math.log(atCalibration[n - 1]) - (score - (double) sorted[n - 1]) / scale : Math.log(1.0 / (n + 1));
        }
        double right = atCalibration[above]; // sorted[above - 1] < score <= sorted[above]: a line of positive width
        double left = atCalibration[above - 1];
        float lower = sorted[above - 1];
        return Math.log(right + (left - right) * ((double) sorted[above] - score) / ((double) sorted[above] - lower));
    }
}
