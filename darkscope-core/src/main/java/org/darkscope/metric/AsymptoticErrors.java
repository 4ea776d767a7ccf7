package org.darkscope.metric;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The statistical errors of the figures of merit from the asymptotic formulas, in one pass over the
 * ranked events: where the bootstrap would be slow (more than {@link StatisticalErrors#MAX_EVENTS}
 * events) or has no scores to draw from (Spark keeps only the groups of equal scores). A figure's
 * variance is the sum over the events of the square of each event's influence on it (Hampel,
 * J. Am. Stat. Assoc. 69 (1974) 383; the delta method), weighted by its weight squared over the
 * sample's total weight squared. For the AUC this is the variance of DeLong, DeLong and
 * Clarke-Pearson (Biometrics 44 (1988) 837) from its structural components; for eps_S at a given
 * eps_B, the binomial variance of the signal selected plus the threshold's, eps_B(1 - eps_B)/n_B,
 * carried to eps_S by the curve's slope (its secant across one standard deviation of eps_B either
 * side). For two scores of the same events each event's influence is the difference of its two
 * influences, so what the scores share cancels, as in the paired bootstrap.
 */
final class AsymptoticErrors {
    private AsymptoticErrors() {
    }

    /**
     * The errors of one curve of {@code groups} groups of equal score (points {@code fpr}, {@code tpr}),
     * given each group's background and signal weight squared over its sample's total weight squared
     * ({@code backgroundSquares}, {@code signalSquares}; for unweighted events the group's fraction of
     * its sample over the sample's size).
     */
    static StatisticalErrors of(double[] fpr, double[] tpr, int groups, double[] backgroundSquares, double[] signalSquares) {
        Influences influences = new Influences(fpr, tpr, groups, effectiveSize(backgroundSquares, groups));
        double[] variance = new double[influences.figures()];
        for (int g = 0; g < groups; g++) {
            for (int f = 0; f < variance.length; f++) {
                double signal = influences.ofSignal(g, f);
                double background = influences.ofBackground(g, f);
                variance[f] += signalSquares[g] * signal * signal + backgroundSquares[g] * background * background;
            }
        }
        return influences.errors(variance);
    }

    /** The errors of a curve of unweighted events read off the curve alone (Spark's, from its groups). */
    static StatisticalErrors of(RocCurve roc) {
        double[] fpr = roc.backgroundEfficiency;
        double[] tpr = roc.signalEfficiency;
        int groups = fpr.length - 1;
        double[] backgroundSquares = new double[groups];
        double[] signalSquares = new double[groups];
        for (int g = 0; g < groups; g++) {
            backgroundSquares[g] = (fpr[g + 1] - fpr[g]) / roc.backgroundEvents();
            signalSquares[g] = (tpr[g + 1] - tpr[g]) / roc.signalEvents();
        }
        return of(fpr, tpr, groups, backgroundSquares, signalSquares);
    }

    /** The errors of a checked ranking and its curve, with its events' weights ({@code null}: every event counts once). */
    static StatisticalErrors of(Ranking ranking, RocCurve roc, double[] backgroundWeights, double[] signalWeights) {
        double[][] squares = groupSquares(ranking, backgroundWeights, signalWeights);
        return of(roc.backgroundEfficiency, roc.signalEfficiency, ranking.groups, squares[0], squares[1]);
    }

    /**
     * The errors of the differences between two rankings' figures of the same events (A's minus
     * B's), each event's influence the difference of its influences on the two.
     */
    static StatisticalErrors ofDifference(Ranking a, Ranking b, double[] backgroundWeights, double[] signalWeights) {
        RocCurve curveA = RocCurve.of(a, backgroundWeights, signalWeights);
        RocCurve curveB = RocCurve.of(b, backgroundWeights, signalWeights);
        double effectiveB = effectiveSize(groupSquares(a, backgroundWeights, signalWeights)[0], a.groups);
        Influences influencesA = new Influences(curveA.backgroundEfficiency, curveA.signalEfficiency, a.groups, effectiveB);
        Influences influencesB = new Influences(curveB.backgroundEfficiency, curveB.signalEfficiency, b.groups, effectiveB);
        int[] groupA = groupOfEvent(a);
        int[] groupB = groupOfEvent(b);
        double totalB = total(backgroundWeights, a.backgroundEvents);
        double totalS = total(signalWeights, a.signalEvents);
        double[] variance = new double[influencesA.figures()];
        for (int e = 0; e < groupA.length; e++) {
            boolean background = e < a.backgroundEvents;
            double[] weights = background ? backgroundWeights : signalWeights;
            double w = (weights == null ? 1 : weights[background ? e : e - a.backgroundEvents]) / (background ? totalB : totalS);
            for (int f = 0; f < variance.length; f++) {
                double d = background ? influencesA.ofBackground(groupA[e], f) - influencesB.ofBackground(groupB[e], f)
                        : influencesA.ofSignal(groupA[e], f) - influencesB.ofSignal(groupB[e], f);
                variance[f] += w * w * d * d;
            }
        }
        return influencesA.errors(variance);
    }

    /** {background, signal}: each group's weight squared over its sample's total weight squared. */
    private static double[][] groupSquares(Ranking ranking, double[] backgroundWeights, double[] signalWeights) {
        double[] backgroundSquares = new double[ranking.groups];
        double[] signalSquares = new double[ranking.groups];
        ranking.sum(squares(backgroundWeights), squares(signalWeights), null, null, backgroundSquares, signalSquares);
        double totalB = total(backgroundWeights, ranking.backgroundEvents);
        double totalS = total(signalWeights, ranking.signalEvents);
        for (int g = 0; g < ranking.groups; g++) {
            backgroundSquares[g] /= totalB * totalB;
            signalSquares[g] /= totalS * totalS;
        }
        return new double[][] {backgroundSquares, signalSquares};
    }

    /** The group of every event (background first, then signal, as the ranking numbers them). */
    private static int[] groupOfEvent(Ranking ranking) {
        int[] groupOf = new int[ranking.order.length];
        for (int place = 0; place < groupOf.length; place++) {
            groupOf[ranking.order[place]] = ranking.group[place];
        }
        return groupOf;
    }

    private static double[] squares(double[] weights) {
        if (weights == null) {
            return null;
        }
        double[] squares = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            squares[i] = weights[i] * weights[i];
        }
        return squares;
    }

    private static double total(double[] weights, int events) {
        return weights == null ? events : sum(weights);
    }

    private static double sum(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }

    /** Kish's effective number of events, (sum w)^2 / sum w^2, from the groups' normalised squares. */
    private static double effectiveSize(double[] squares, int groups) {
        double sum = 0;
        for (int g = 0; g < groups; g++) {
            sum += squares[g];
        }
        return 1 / sum;
    }

    /**
     * One curve's figures and the influence on each of an event of each group of equal scores:
     * figure 0 is the AUC, figure 1 + k eps_S at the k-th of the challenge's eps_B. eps_S is read
     * off the curve by interpolation: the groups whose background lies below eps_B are selected
     * whole, and the group whose background straddles it (a score that background events share) by
     * the share f of it that eps_B reaches, so that each of its events selects f of itself. Rounding
     * that group to all or none would, where it holds the threshold and no group lies wholly above
     * it, give every event an influence of zero on eps_S: no error at all for the recommended
     * detector's eps_S at 1e-3 on the demo's sample (its six highest background events tie).
     */
    private static final class Influences {
        private final double[] fpr;
        private final double[] tpr;
        private final double auc;
        private final String[] labels;
        /**
         * Per resolved eps_B: the groups wholly above its threshold, the share of the next one that
         * is selected, the signal and background efficiency selected, and the curve's slope there.
         */
        private final int[] above;
        private final double[] share;
        private final double[] signalAbove;
        private final double[] backgroundAbove;
        private final double[] slope;

        /** The influences on a curve's figures, the eps_B that {@code effectiveBackground} (Kish's) background events resolve. */
        Influences(double[] fpr, double[] tpr, int groups, double effectiveBackground) {
            this.fpr = fpr;
            this.tpr = tpr;
            this.auc = RocCurve.area(fpr, tpr, groups + 1);
            double[] epsB = FiguresOfMerit.resolvedBackgroundEfficiencies(effectiveBackground);
            this.labels = new String[epsB.length];
            this.above = new int[epsB.length];
            this.share = new double[epsB.length];
            this.signalAbove = new double[epsB.length];
            this.backgroundAbove = new double[epsB.length];
            this.slope = new double[epsB.length];
            for (int k = 0; k < epsB.length; k++) {
                double e = epsB[k];
                labels[k] = FiguresOfMerit.label(e);
                int g = 0;
                while (g < groups && fpr[g + 1] <= e) {
                    g++;
                }
                above[k] = g;
                share[k] = g < groups ? (e - fpr[g]) / (fpr[g + 1] - fpr[g]) : 0;
                signalAbove[k] = g < groups ? tpr[g] + share[k] * (tpr[g + 1] - tpr[g]) : tpr[g];
                backgroundAbove[k] = g < groups ? fpr[g] + share[k] * (fpr[g + 1] - fpr[g]) : fpr[g];
                double spread = Math.sqrt(e * (1 - e) / effectiveBackground);
                double low = Math.max(0, e - spread);
                double high = Math.min(1, e + spread);
                slope[k] = (RocCurve.efficiencyAt(fpr, tpr, groups + 1, high) - RocCurve.efficiencyAt(fpr, tpr, groups + 1, low))
                        / (high - low);
            }
        }

        int figures() {
            return 1 + labels.length;
        }

        /** A signal event of group {@code g} on figure {@code f}: its share of the pairs it wins, or whether it is selected. */
        double ofSignal(int g, int f) {
            if (f == 0) {
                return 1 - (fpr[g] + fpr[g + 1]) / 2 - auc;
            }
            return selected(g, f - 1) - signalAbove[f - 1];
        }

        /** The share of group {@code g}'s events that the threshold of the k-th eps_B selects: 1, the straddling share, or 0. */
        private double selected(int g, int k) {
            return g < above[k] ? 1 : g == above[k] ? share[k] : 0;
        }

        /** A background event of group {@code g} on figure {@code f}: its share of the pairs it loses, or how it moves the threshold. */
        double ofBackground(int g, int f) {
            if (f == 0) {
                return (tpr[g] + tpr[g + 1]) / 2 - auc;
            }
            return -slope[f - 1] * (selected(g, f - 1) - backgroundAbove[f - 1]);
        }

        StatisticalErrors errors(double[] variance) {
            Map<String, Double> efficiency = new LinkedHashMap<>();
            for (int k = 0; k < labels.length; k++) {
                efficiency.put(labels[k], Math.sqrt(variance[1 + k]));
            }
            return new StatisticalErrors(Math.sqrt(variance[0]), efficiency, StatisticalErrors.Method.ASYMPTOTIC);
        }
    }
}
