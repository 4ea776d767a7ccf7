package org.darkscope.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RocCurveTest {
    /** AUC by brute-force pair counting: P(s > b) + P(s = b) / 2, weighted. */
    private static double bruteForceAuc(float[] b, double[] bw, float[] s, double[] sw) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < b.length; j++) {
                double w = (sw == null ? 1 : sw[i]) * (bw == null ? 1 : bw[j]);
                num += w * (s[i] > b[j] ? 1 : s[i] == b[j] ? 0.5 : 0);
                den += w;
            }
        }
        return num / den;
    }

    @Test
    void aucEqualsPairCountingWithTiesAndWeights() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 30; trial++) {
            int nb = 1 + random.nextInt(60);
            int ns = 1 + random.nextInt(60);
            float[] b = new float[nb];
            float[] s = new float[ns];
            double[] bw = new double[nb];
            double[] sw = new double[ns];
            for (int i = 0; i < nb; i++) {
                b[i] = random.nextInt(8);          // coarse values: many ties
                bw[i] = random.nextDouble();
            }
            for (int i = 0; i < ns; i++) {
                s[i] = random.nextInt(10);
                sw[i] = random.nextDouble();
            }
            assertEquals(bruteForceAuc(b, null, s, null), RocCurve.of(b, s).auc(), 1e-12);
            assertEquals(bruteForceAuc(b, bw, s, sw), RocCurve.of(b, bw, s, sw).auc(), 1e-12);
            // an NLO generator's negative weights, a quarter of the events: the pairs' signed weights, each sample's total positive
            for (int i = 0; i < nb; i++) {
                bw[i] = i % 4 == 1 ? -0.5 * bw[i] : bw[i];
            }
            for (int i = 0; i < ns; i++) {
                sw[i] = i % 4 == 1 ? -0.5 * sw[i] : sw[i];
            }
            if (java.util.Arrays.stream(bw).sum() > 0 && java.util.Arrays.stream(sw).sum() > 0) {
                assertEquals(bruteForceAuc(b, bw, s, sw), RocCurve.of(b, bw, s, sw).auc(), 1e-12);
            }
        }
    }

    /**
     * Weighted, the background resolves eps_B as Kish's effective number of events would: 200 events,
     * one weighing 100 and the others 1, are (299)^2 / (100^2 + 199) = 8.77 effective events, which
     * resolve neither 1e-2 nor 1e-1 (their count would resolve both); weighing the same, all 200 do.
     */
    @Test
    void weightedBackgroundResolvesAsItsEffectiveEvents() {
        float[] b = new float[200];
        double[] heavy = new double[200];
        double[] equal = new double[200];
        for (int i = 0; i < b.length; i++) {
            b[i] = i;
            heavy[i] = i == 17 ? 100 : 1;
            equal[i] = 2.5;
        }
        float[] s = {50.5f, 150.5f};
        RocCurve unequal = RocCurve.of(b, heavy, s, null);
        assertFalse(unequal.resolves(1e-2));
        assertFalse(unequal.resolves(1e-1));
        assertTrue(unequal.resolves(0.2), "0.2 x 8.77 = 1.75 effective events");
        assertEquals(List.of(), List.copyOf(StatisticalErrors.bootstrap(b, heavy, s, null).signalEfficiency().keySet()));
        assertTrue(RocCurve.of(b, equal, s, null).resolves(1e-2));
        assertEquals(List.of("1e-2"), List.copyOf(StatisticalErrors.bootstrap(b, equal, s, null).signalEfficiency().keySet()));
    }

    /**
     * Negative weights, worked by hand: background at 5, 4, 3, 2, 1 weighted 1, -1, 1, 1, 1 (total 3),
     * signal at 4.5 and 2.5 weighted 1 each. As the threshold falls the background efficiency goes
     * 1/3, back to 0 at 4, 1/3, 2/3, 1; eps_S is read at the curve's first crossing of eps_B (the
     * highest threshold that reaches it), and the maximum significance improvement only where eps_B
     * is resolved, at least one effective event's share (Kish's 3^2 / 5 = 1.8 events: eps_B of 1/1.8).
     */
    @Test
    void negativeWeightsAreReadAtTheFirstCrossing() {
        RocCurve roc = RocCurve.of(new float[] {5, 4, 3, 2, 1}, new double[] {1, -1, 1, 1, 1}, new float[] {4.5f, 2.5f}, new double[] {1, 1});
        assertEquals(0, roc.signalEfficiencyAt(0.2), 1e-15, "between (0, 0) and (1/3, 0), the score 5 alone, not between (0, 1/2)"
                + " and (1/3, 1/2), where the negative weight at 4 has taken eps_B back to 0");
        assertEquals(1, roc.signalEfficiencyAt(0.5), 1e-15, "between 2.5 (1/3, 1) and 2 (2/3, 1)");
        // AUC: signal 4.5 beats 4, 3, 2, 1 (weights -1 + 1 + 1 + 1 = 2), 2.5 beats 2 and 1 (2): (2 + 2) / (2 x 3)
        assertEquals(4.0 / 6, roc.auc(), 1e-15);
        assertEquals(1 / Math.sqrt(2.0 / 3), roc.maxSignificanceImprovement(), 1e-12, "eps_S 1 at eps_B 2/3 (after 2), not 1/3");
        // a first background event of a tenth of the others' weight: eps_B 0.1 / 4.1, below one effective event's share
        RocCurve light = RocCurve.of(new float[] {5, 4, 3, 2, 1}, new double[] {0.1, 1, 1, 1, 1}, new float[] {4.5f}, new double[] {1});
        assertEquals(1 / Math.sqrt(1.1 / 4.1), light.maxSignificanceImprovement(), 1e-12, "not 1 / sqrt(0.1 / 4.1)");
    }

    @Test
    void resultDoesNotDependOnInputOrder() {
        float[] b = {1, 2, 2, 3, 3, 3, 4};
        float[] s = {3, 3, 5, 2, 4};
        float[] bShuffled = {3, 4, 2, 1, 3, 2, 3};
        float[] sShuffled = {4, 2, 5, 3, 3};
        RocCurve a = RocCurve.of(b, s);
        RocCurve c = RocCurve.of(bShuffled, sShuffled);
        assertEquals(a.auc(), c.auc(), 0);
        assertEquals(a.signalEfficiencyAt(0.3), c.signalEfficiencyAt(0.3), 0);
        assertEquals(a.maxSignificanceImprovement(), c.maxSignificanceImprovement(), 0);
    }

    @Test
    void handWorkedEfficiencies() {
        // Background 0..99 (one event each); signal: 10 events at 99.5 and 10 at 50.5 and 80 at -1.
        float[] b = new float[100];
        for (int i = 0; i < 100; i++) {
            b[i] = i;
        }
        float[] s = new float[100];
        for (int i = 0; i < 100; i++) {
            s[i] = i < 10 ? 99.5f : i < 20 ? 50.5f : -1f;
        }
        RocCurve roc = RocCurve.of(b, s);
        // eps_B = 1e-2: threshold at the top background event (99) -> 10 signal events above it.
        assertEquals(0.10, roc.signalEfficiencyAt(1e-2), 1e-12);
        // eps_B = 0.495: threshold between 51 and 50 -> the 20 signal events above 50.
        assertEquals(0.20, roc.signalEfficiencyAt(0.495), 1e-12);
        // eps_B = 0.48: threshold between 53 and 52 -> the 10 signal events at 99.5 only.
        assertEquals(0.10, roc.signalEfficiencyAt(0.48), 1e-12);
        // eps_B = 1e-3 is below one background event in 100: interpolation from (0, 0.1) to (0.01, 0.1).
        assertEquals(0.10, roc.signalEfficiencyAt(1e-3), 1e-12);
        assertTrue(roc.resolves(1e-2));
        assertFalse(roc.resolves(1e-3));
        // significance improvement peaks at eps_B = 0.01: 0.1 / 0.1 = 1.0 (at eps_B = 0.49: 0.2/0.7 = 0.29).
        assertEquals(1.0, roc.maxSignificanceImprovement(), 1e-12);
        // AUC by hand: 10 signal above all (1.0), 10 above 51 of 100 (0.51), 80 below all (0).
        assertEquals((10 * 1.0 + 10 * 0.51) / 100, roc.auc(), 1e-12);
    }

    @Test
    void tiedBoundaryIsSharedProportionally() {
        // 4 background and 4 signal events all at the same score: the curve is the diagonal.
        float[] same = {1, 1, 1, 1};
        RocCurve roc = RocCurve.of(same, same);
        assertEquals(0.5, roc.auc(), 1e-12);
        assertEquals(0.25, roc.signalEfficiencyAt(0.25), 1e-12);
    }

    /**
     * Ten background events: four tied at 5, then 4, 3, ..., -1 one each; signal: one at 6, one at 5
     * (shared with background), one at -5. The step of score 5 runs from eps_B 0 to 0.4 and holds
     * signal too; the step of score 4 (0.4 to 0.5) holds none.
     */
    @Test
    void aThresholdOnAScoreThatBackgroundAndSignalShareIsSaid() {
        float[] b = {5, 5, 5, 5, 4, 3, 2, 1, 0, -1};
        float[] s = {6, 5, -5};
        RocCurve roc = RocCurve.of(b, s);
        assertTrue(roc.onSharedScore(0.2));
        assertEquals(1.0 / 3 + (1.0 / 3) * (0.2 / 0.4), roc.signalEfficiencyAt(0.2), 1e-12); // half the group's share
        assertFalse(roc.onSharedScore(0.4), "at the step's end a cut at 5 keeps exactly 0.4");
        assertFalse(roc.onSharedScore(0.45), "score 4 is the background's alone");
        assertFalse(roc.onSharedScore(0.0));
        // the same tie without a signal event on it: eps_S is the cut's above it
        RocCurve apart = RocCurve.of(b, new float[] {6, 4.5f, -5});
        assertFalse(apart.onSharedScore(0.2));
        assertEquals(1.0 / 3, apart.signalEfficiencyAt(0.2), 1e-12);
    }

    /** The tables' mark: 200 background events, four tied at the top with two of ten signal events. */
    @Test
    void theTablesMarkEfficienciesOnASharedScoreAndUnresolvedOnes() {
        float[] b = new float[200];
        for (int i = 0; i < b.length; i++) {
            b[i] = i < 4 ? 1000 : i;
        }
        float[] s = {1000, 1000, -1, -1, -1, -1, -1, -1, -1, -1};
        FiguresOfMerit f = FiguresOfMerit.of(RocCurve.of(b, s));
        // eps_B 1e-2 is 2 of the 4 tied events: half the group's signal share, 2 of 10 events
        assertEquals("0.1000^", f.marked("1e-2"));
        assertEquals("0.0100*^", f.marked("1e-3")); // 0.2 of an event: not resolved either
        assertTrue(f.onSharedScore().get("1e-2"));
        FiguresOfMerit alone = FiguresOfMerit.of(RocCurve.of(b, new float[] {2000, -1, -1, -1}));
        assertEquals("0.2500", alone.marked("1e-2"));
        assertEquals("0.2500*", alone.marked("1e-3"));
    }

    @Test
    void labelsMatchTheChallenge() {
        assertEquals("1e-2", FiguresOfMerit.label(1e-2));
        assertEquals("1e-4", FiguresOfMerit.label(1e-4));
        assertEquals("3e-2", FiguresOfMerit.label(3e-2));
        assertEquals("3e-4", FiguresOfMerit.label(3e-4));
        assertEquals("0.25", FiguresOfMerit.label(0.25));
    }

    /** Groups of distinct scores streamed in (more than the first 1,024 the arrays hold) give the curve of the scores themselves. */
    @Test
    void groupsStreamedInGiveTheCurveOfTheScores() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        float[] background = new float[3000];
        float[] signal = new float[2000];
        for (int i = 0; i < background.length; i++) {
            background[i] = random.nextInt(2500) / 100f; // ties within and across the samples
        }
        for (int i = 0; i < signal.length; i++) {
            signal[i] = (random.nextInt(2500) + 300) / 100f;
        }
        java.util.TreeMap<Float, double[]> groups = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        for (float b : background) {
            groups.computeIfAbsent(b, k -> new double[2])[0]++;
        }
        for (float s : signal) {
            groups.computeIfAbsent(s, k -> new double[2])[1]++;
        }
        assertTrue(groups.size() > 1024, "more groups than the arrays' first size: " + groups.size());
        RocCurve streamed = RocCurve.fromGroups(groups.entrySet().stream()
                .map(e -> new double[] {e.getKey(), e.getValue()[0], e.getValue()[1]}).iterator(), background.length, signal.length);
        RocCurve direct = RocCurve.of(background, signal);
        org.junit.jupiter.api.Assertions.assertArrayEquals(direct.backgroundEfficiencies(), streamed.backgroundEfficiencies(), 1e-12);
        org.junit.jupiter.api.Assertions.assertArrayEquals(direct.signalEfficiencies(), streamed.signalEfficiencies(), 1e-12);
        assertEquals(direct.auc(), streamed.auc(), 1e-12);
    }
}
