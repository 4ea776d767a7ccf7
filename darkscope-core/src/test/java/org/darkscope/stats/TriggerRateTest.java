package org.darkscope.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The trigger threshold keeps the asked fraction of background, with honest intervals, and refuses what the sample cannot resolve. */
class TriggerRateTest {

    private static float[] gaussian(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    private static long above(float[] scores, double threshold) {
        long k = 0;
        for (float s : scores) {
            k += s > threshold ? 1 : 0;
        }
        return k;
    }

    @Test
    void theThresholdKeepsTheAskedFractionWithinItsInterval() {
        float[] scores = gaussian(100_000, 1);
        for (double target : new double[] {0.5, 1e-2, 1e-3, 1e-4}) {
            TriggerRate.Calibration c = TriggerRate.calibrate(scores, null, target);
            long k = above(scores, c.threshold());
            assertEquals(k, c.eventsAbove());
            assertEquals((double) k / scores.length, c.efficiency(), 0);
            assertEquals(target, c.efficiency(), 1.0 / scores.length, "the closest the sample allows");
            assertTrue(c.efficiencyLow() <= target && target <= c.efficiencyHigh(), target + " outside " + c);
        }
    }

    /** The interval is Clopper-Pearson's: checked against binomial tail sums computed here. */
    @Test
    void theIntervalIsClopperPearsons() {
        int n = 1000;
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            scores[i] = i; // 30 events above 969
        }
        TriggerRate.Calibration c = TriggerRate.at(scores, null, 969);
        assertEquals(30, c.eventsAbove());
        double alpha = (1 - TriggerRate.CONFIDENCE) / 2;
        // the low end p: P(X >= 30 | p) = alpha; the high end: P(X <= 30 | p) = alpha
        double low = bisect(p -> 1 - binomialCdf(29, n, p) - alpha);
        double high = bisect(p -> alpha - binomialCdf(30, n, p));
        assertEquals(low, c.efficiencyLow(), 1e-6);
        assertEquals(high, c.efficiencyHigh(), 1e-6);
    }

    private static double binomialCdf(int k, int n, double p) {
        double sum = 0;
        double logTerm;
        for (int i = 0; i <= k; i++) {
            logTerm = logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p);
            sum += Math.exp(logTerm);
        }
        return sum;
    }

    private static double logChoose(int n, int k) {
        double s = 0;
        for (int i = 0; i < k; i++) {
            s += Math.log(n - i) - Math.log(i + 1);
        }
        return s;
    }

    /** The root in (0, 1) of a function increasing in p. */
    private static double bisect(java.util.function.DoubleUnaryOperator f) {
        double lo = 1e-12;
        double hi = 1 - 1e-12;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (f.applyAsDouble(mid) < 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    @Test
    void anEfficiencyTheSampleCannotResolveIsRefused() {
        float[] scores = gaussian(2000, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TriggerRate.calibrate(scores, null, 1e-3));
        assertTrue(e.getMessage().contains("2 background events would pass (at least 10 needed)")
                && e.getMessage().contains("the smallest is about 0.005"), e.getMessage());
        assertEquals(10, TriggerRate.calibrate(scores, null, 0.005).eventsAbove());
        assertThrows(IllegalArgumentException.class, () -> TriggerRate.calibrate(scores, null, 0));
        assertThrows(IllegalArgumentException.class, () -> TriggerRate.calibrate(scores, null, 1.5));
    }

    /** Where many events share a score, the smallest efficiency resolved is where the shared score ends, not 10/N. */
    @Test
    void tiedScoresSetTheSmallestEfficiencyResolved() {
        float[] scores = new float[1000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i < 30 ? 5f : i / 1000f; // the 30 highest share one score
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TriggerRate.calibrate(scores, null, 0.012));
        assertTrue(e.getMessage().contains("0 background events would pass") && e.getMessage().contains("the smallest is about 0.0300, where "
                + "30 events share the score 5.0"), e.getMessage());
        assertEquals(30, TriggerRate.calibrate(scores, null, 0.03).eventsAbove());
    }

    /** Weighted: the efficiency is the weight fraction above, the events it rests on the effective number. */
    @Test
    void weightedBackgroundGivesTheWeightFraction() {
        float[] scores = gaussian(20_000, 3);
        double[] weights = new double[scores.length];
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = random.nextDouble(0.5, 3);
        }
        TriggerRate.Calibration c = TriggerRate.calibrate(scores, weights, 0.01);
        double total = 0;
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < scores.length; i++) {
            total += weights[i];
            if (scores[i] > c.threshold()) {
                sum += weights[i];
                squares += weights[i] * weights[i];
            }
        }
        assertEquals(sum / total, c.efficiency(), 1e-12);
        assertEquals(0.01, c.efficiency(), 3.0 / total);
        assertEquals(sum * sum / squares, c.effectiveEvents(), 1e-9);
        assertEquals(Math.sqrt(squares) / total, c.efficiencyHigh() - c.efficiency(), 1e-12);
    }

    /**
     * Negative weights (an NLO generator's) count against the rate: the threshold is the one whose
     * kept weight comes closest to the asked fraction of the total, of every threshold, found here by
     * trying each event's score, and what it reports is the weight fraction above it.
     */
    @Test
    void negativeWeightsGiveTheThresholdClosestToTheAskedFraction() {
        float[] scores = gaussian(5_000, 7);
        double[] weights = new double[scores.length];
        SplittableRandom random = new SplittableRandom(8);
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = random.nextDouble() < 0.2 ? -1 : 1;
            total += weights[i];
        }
        TriggerRate.Calibration c = TriggerRate.calibrate(scores, weights, 0.02);
        double best = Double.POSITIVE_INFINITY;
        for (float t : scores) {
            double kept = 0;
            for (int i = 0; i < scores.length; i++) {
                kept += scores[i] > t ? weights[i] : 0;
            }
            best = Math.min(best, Math.abs(kept - 0.02 * total));
        }
        double kept = 0;
        for (int i = 0; i < scores.length; i++) {
            kept += scores[i] > c.threshold() ? weights[i] : 0;
        }
        assertEquals(best, Math.abs(kept - 0.02 * total), 1e-9);
        assertEquals(kept / total, c.efficiency(), 1e-12);
    }

    /** Tied scores stay together: an event is kept or not by its score alone. */
    @Test
    void tiedScoresAreKeptOrDroppedTogether() {
        float[] scores = new float[1000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i < 500 ? 1 : 2;
        }
        TriggerRate.Calibration c = TriggerRate.calibrate(scores, null, 0.4);
        assertEquals(500, c.eventsAbove());
        assertEquals(above(scores, c.threshold()), c.eventsAbove());
    }
}
