package org.darkscope.metric;

import java.util.Arrays;

/**
 * A background's and a signal's scores ranked together from the highest to the lowest, with the
 * groups of equal scores (ties enter together, so nothing depends on the order of the input):
 * what a {@link RocCurve} is read from, and what the bootstrap's replicates
 * ({@link StatisticalErrors}) weigh again. Events are numbered background first (0 to
 * {@code backgroundEvents - 1}), then signal.
 */
final class Ranking {
    final int backgroundEvents;
    final int signalEvents;
    /** The event at each place, from the highest score to the lowest. */
    final int[] order;
    /** The group of equal scores of each place. */
    final int[] group;
    /** Each group's score, decreasing. */
    final double[] groupScore;
    final int groups;

    private Ranking(float[] scores, int backgroundEvents) {
        this.backgroundEvents = backgroundEvents;
        this.signalEvents = scores.length - backgroundEvents;
        this.order = org.darkscope.stats.SortedScores.descendingOrder(scores);
        this.group = new int[scores.length];
        double[] score = new double[scores.length];
        int g = -1;
        for (int i = 0; i < scores.length; i++) {
            float s = scores[order[i]];
            if (g < 0 || s != score[g]) {
                score[++g] = s;
            }
            group[i] = g;
        }
        this.groups = g + 1;
        this.groupScore = Arrays.copyOf(score, groups);
    }

    /**
     * The ranking of {@code background} against {@code signal}, checked: both samples hold events,
     * their weights ({@code null}: every event counts once) are finite (negative ones too, as NLO
     * generators write), and no score is NaN.
     */
    static Ranking of(float[] background, double[] backgroundWeights, float[] signal, double[] signalWeights) {
        int nb = background.length;
        int ns = signal.length;
        if (nb == 0 || ns == 0) {
            throw new IllegalArgumentException("a ROC curve needs background and signal events (have "
                    + nb + " background, " + ns + " signal)");
        }
        requireWeights(backgroundWeights, nb);
        requireWeights(signalWeights, ns);
        float[] scores = new float[nb + ns];
        System.arraycopy(background, 0, scores, 0, nb);
        System.arraycopy(signal, 0, scores, nb, ns);
        for (float s : scores) {
            if (Float.isNaN(s)) {
                throw new IllegalArgumentException("score is NaN: a detector produced an undefined score");
            }
        }
        return new Ranking(scores, nb);
    }

    private static void requireWeights(double[] weights, int events) {
        for (int i = 0; weights != null && i < events; i++) {
            double w = weights[i];
            if (!Double.isFinite(w)) {
                throw new IllegalArgumentException("event weight " + w + " at index " + i + " is not a finite number");
            }
        }
    }

    /**
     * Sums each group's background and signal weight into {@code groupB} and {@code groupS}, every
     * event's weight ({@code null}: 1) times how often it counts ({@code backgroundCounts},
     * {@code signalCounts}; {@code null}: once), in the order of the ranking.
     */
    void sum(double[] backgroundWeights, double[] signalWeights, int[] backgroundCounts, int[] signalCounts,
             double[] groupB, double[] groupS) {
        Arrays.fill(groupB, 0, groups, 0);
        Arrays.fill(groupS, 0, groups, 0);
        for (int i = 0; i < order.length; i++) {
            int event = order[i];
            if (event < backgroundEvents) {
                double w = backgroundWeights == null ? 1 : backgroundWeights[event];
                groupB[group[i]] += backgroundCounts == null ? w : backgroundCounts[event] * w;
            } else {
                int s = event - backgroundEvents;
                double w = signalWeights == null ? 1 : signalWeights[s];
                groupS[group[i]] += signalCounts == null ? w : signalCounts[s] * w;
            }
        }
    }
}
