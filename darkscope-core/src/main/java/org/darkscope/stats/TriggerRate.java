package org.darkscope.stats;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.statistics.distribution.BetaDistribution;

/**
 * The threshold of an anomaly trigger: the score above which events are kept so that a given
 * fraction of the background passes, the trigger's accept rate divided by its input rate (the
 * "hotline" of Cerri et al., JHEP 05 (2019) 036). An event is kept when its score is strictly
 * above the threshold.
 *
 * <p>Unweighted background: the efficiency is k/N for the k of N events above the threshold, its
 * 68 % interval the Clopper-Pearson interval (C. J. Clopper, E. S. Pearson, Biometrika 26 (1934)
 * 404). Weighted background (each event's weight its cross-section share): the efficiency is
 * Σ_above w / Σ w, so that the rate is L Σ_above w with L = input rate / Σ w; its 68 % interval
 * ±sqrt(Σ_above w²) / Σ w, and the events it rests on counted as the effective number
 * (Σ_above w)² / Σ_above w². A negative weight (an NLO generator's) counts against the rate; the
 * threshold is then the one whose efficiency comes closest to the one asked, wherever it lies
 * ({@link ClosestPrefix}). Fewer than {@value #MIN_EVENTS} (effective) background events above
 * the threshold cannot resolve the efficiency: refused.
 */
public final class TriggerRate {
    /** The fewest (effective) background events above the threshold that resolve its efficiency. */
    public static final int MIN_EVENTS = 10;
    /** The central probability of the stated intervals: one standard deviation. */
    public static final double CONFIDENCE = 0.6827;

    private TriggerRate() {
    }

    /**
     * A threshold and what the background says of it.
     *
     * @param threshold        keep events with a score above it
     * @param efficiency       the background fraction above it
     * @param efficiencyLow    the 68 % interval's low end
     * @param efficiencyHigh   the 68 % interval's high end
     * @param eventsAbove      background events above it (unweighted count)
     * @param effectiveEvents  the events the efficiency rests on: {@code eventsAbove}, or (Σw)²/Σw² when weighted
     */
    public record Calibration(double threshold, double efficiency, double efficiencyLow, double efficiencyHigh, long eventsAbove,
                              double effectiveEvents) {
    }

    /**
     * The threshold whose background efficiency is closest to {@code efficiency}.
     *
     * @param scores  background scores
     * @param weights their weights, or null for an unweighted sample
     * @throws IllegalArgumentException when the sample cannot resolve the efficiency (fewer than
     *                                  {@value #MIN_EVENTS} events would pass), naming the smallest it can
     */
    public static Calibration calibrate(float[] scores, double[] weights, double efficiency) {
        if (!(efficiency > 0 && efficiency <= 1)) {
            throw new IllegalArgumentException("the background efficiency (rate / input rate) must be in (0, 1], got " + efficiency);
        }
        int n = scores.length;
        int[] order = SortedScores.descendingOrder(scores);
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += weight(weights, i);
        }
        // the highest groups of equal scores (ties kept or dropped together) whose weight comes closest to the target
        List<Integer> ends = new ArrayList<>();
        List<Double> groupWeights = new ArrayList<>();
        for (int from = 0; from < n; from = ends.get(ends.size() - 1)) {
            int end = groupEnd(scores, order, from);
            double group = 0;
            for (int i = from; i < end; i++) {
                group += weight(weights, order[i]);
            }
            ends.add(end);
            groupWeights.add(group);
        }
        int groups = ClosestPrefix.of(ends.size(), groupWeights::get, efficiency * total);
        int k = groups == 0 ? 0 : ends.get(groups - 1);
        double threshold = k == n ? Math.nextDown(scores[order[n - 1]]) : scores[order[k]];
        Calibration c = at(scores, weights, threshold);
        if (c.effectiveEvents() < MIN_EVENTS) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "the background sample cannot resolve an efficiency of %.3g: %s background events would pass (at least %d needed)%s",
                    efficiency, weights == null ? String.valueOf(c.eventsAbove()) : String.format(java.util.Locale.ROOT, "%.1f effective",
                            c.effectiveEvents()), MIN_EVENTS, weights == null ? smallestResolved(scores, order) : "; give more background"));
        }
        return c;
    }

    /**
     * The smallest efficiency an unweighted sample resolves, said for a refusal: that of the highest
     * threshold keeping at least {@value #MIN_EVENTS} events, whole groups of equal scores at a time,
     * so that where many events share a score (a discrete score, a sample repeated) it is not N's 10/N.
     */
    private static String smallestResolved(float[] scores, int[] order) {
        int n = scores.length;
        int kept = 0;
        int group = 0;
        while (kept < n && kept < MIN_EVENTS) {
            int end = groupEnd(scores, order, kept);
            group = end - kept;
            kept = end;
        }
        String ties = kept > MIN_EVENTS && group > 1
                ? String.format(java.util.Locale.ROOT, ", where %d events share the score %s", group, scores[order[kept - 1]]) : "";
        return String.format(java.util.Locale.ROOT, "; with these %d events the smallest is about %.3g%s: ask for a higher rate or give "
                + "more background", n, (double) kept / n, ties);
    }

    /** The end of the group of equal scores that begins at place {@code from} of {@code order} (highest first). */
    private static int groupEnd(float[] scores, int[] order, int from) {
        int end = from;
        while (end < scores.length && scores[order[end]] == scores[order[from]]) {
            end++;
        }
        return end;
    }

    /** What the background says of {@code threshold}: efficiency with its 68 % interval, events above. */
    public static Calibration at(float[] scores, double[] weights, double threshold) {
        long above = 0;
        double total = 0;
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < scores.length; i++) {
            double w = weight(weights, i);
            total += w;
            if (scores[i] > threshold) {
                above++;
                sum += w;
                squares += w * w;
            }
        }
        if (weights == null) {
            double[] interval = clopperPearson(above, scores.length);
            return new Calibration(threshold, (double) above / scores.length, interval[0], interval[1], above, above);
        }
        double efficiency = sum / total;
        double sigma = Math.sqrt(squares) / total;
        double effective = squares > 0 ? sum * sum / squares : 0;
        return new Calibration(threshold, efficiency, Math.max(0, efficiency - sigma), Math.min(1, efficiency + sigma), above, effective);
    }

    /** The central {@value #CONFIDENCE} Clopper-Pearson interval of a binomial fraction k/n. */
    public static double[] clopperPearson(long k, long n) {
        double alpha = 1 - CONFIDENCE;
        double low = k == 0 ? 0 : BetaDistribution.of(k, n - k + 1).inverseCumulativeProbability(alpha / 2);
        double high = k == n ? 1 : BetaDistribution.of(k + 1, n - k).inverseCumulativeProbability(1 - alpha / 2);
        return new double[] {low, high};
    }

    private static double weight(double[] weights, int i) {
        return weights == null ? 1 : weights[i];
    }
}
