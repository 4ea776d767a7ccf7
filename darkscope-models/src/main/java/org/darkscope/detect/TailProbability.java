package org.darkscope.detect;

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
    private final double scale;

    /** From {@code calibration}, the calibration background's scores in increasing order. */
    TailProbability(float[] calibration) {
        if (calibration.length == 0) {
            throw new IllegalArgumentException("no calibration scores");
        }
        this.sorted = calibration;
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
        double[] p = new double[sorted.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = step(firstAtLeast(sorted[i]));
        }
        return p;
    }

    /** The exponential tail's scale above the largest calibration score; not positive: no tail, 1 / (N + 1) there. */
    public double tailScale() {
        return scale;
    }

    /** The logarithm of the tail probability of {@code score}, at most 0 (finite however far out). */
    public double logOf(float score) {
        int n = sorted.length;
        int above = firstAtLeast(score); // the first calibration score at least as high
        if (above == 0) {
            return 0;
        }
        if (above == n) {
            return scale > 0 ? Math.log(step(firstAtLeast(sorted[n - 1]))) - (score - (double) sorted[n - 1]) / scale
                    : Math.log(1.0 / (n + 1));
        }
        double right = step(above);
        if (sorted[above] == score) {
            return Math.log(right);
        }
        float lower = sorted[above - 1];
        double left = step(firstAtLeast(lower));
        return Math.log(right + (left - right) * ((double) sorted[above] - score) / ((double) sorted[above] - lower));
    }

    /** (calibration scores at or above sorted[index] + 1) / (N + 1), index the first of its value. */
    private double step(int index) {
        return (sorted.length - index + 1.0) / (sorted.length + 1.0);
    }

    private int firstAtLeast(float score) {
        return SortedScores.firstAtLeast(sorted, score);
    }
}
