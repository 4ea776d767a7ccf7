package org.darkscope.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/** The bootstrap's errors against the errors worked out by formula, independently of it. */
class StatisticalErrorsTest {
    private static final NormalDistribution UNIT = NormalDistribution.of(0, 1);

    private static float[] normal(int n, double mean, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (mean + UNIT.inverseCumulativeProbability(random.nextDouble()));
        }
        return x;
    }

    /** The asymptotic errors of the events, as an evaluation above {@link StatisticalErrors#MAX_EVENTS} events gives them. */
    private static StatisticalErrors asymptotic(float[] b, double[] bw, float[] s, double[] sw) {
        Ranking ranking = Ranking.of(b, bw, s, sw);
        return AsymptoticErrors.of(ranking, RocCurve.of(ranking, bw, sw), bw, sw);
    }

    /** A second score of the same events: {@code x} with Gaussian noise of width 0.3. */
    private static float[] noisy(float[] x, long seed) {
        float[] noise = normal(x.length, 0, seed);
        float[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] += 0.3f * noise[i];
        }
        return y;
    }

    /**
     * DeLong, DeLong, Clarke-Pearson, Biometrics 44 (1988) 837: the variance of the AUC from its
     * structural components, each signal event's share of the pairs it wins and each background
     * event's, by counting every pair.
     */
    private static double deLongError(float[] b, float[] s) {
        double[][] v = components(b, s);
        return Math.sqrt(variance(v[0]) / s.length + variance(v[1]) / b.length);
    }

    /**
     * DeLong et al.'s variance of the difference of two AUCs on the same events: the structural
     * components of each score, var(A) + var(B) - 2 cov(A, B) over the signal and the background.
     */
    private static double deLongDifferenceError(float[] bA, float[] sA, float[] bB, float[] sB) {
        double[][] a = components(bA, sA);
        double[][] b = components(bB, sB);
        double signal = variance(a[0]) + variance(b[0]) - 2 * covariance(a[0], b[0]);
        double background = variance(a[1]) + variance(b[1]) - 2 * covariance(a[1], b[1]);
        return Math.sqrt(signal / sA.length + background / bA.length);
    }

    /** {V10 of every signal event, V01 of every background event}. */
    private static double[][] components(float[] b, float[] s) {
        double[] v10 = new double[s.length];
        double[] v01 = new double[b.length];
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < b.length; j++) {
                double psi = s[i] > b[j] ? 1 : s[i] == b[j] ? 0.5 : 0;
                v10[i] += psi / b.length;
                v01[j] += psi / s.length;
            }
        }
        return new double[][] {v10, v01};
    }

    private static double covariance(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElseThrow();
        double my = Arrays.stream(y).average().orElseThrow();
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += (x[i] - mx) * (y[i] - my);
        }
        return sum / (x.length - 1);
    }

    private static double variance(double[] x) {
        double mean = Arrays.stream(x).average().orElseThrow();
        return Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / (x.length - 1);
    }

    @Test
    void theAucsErrorIsDeLongs() {
        float[] b = normal(2000, 0, 1);
        float[] s = normal(3000, 0.8, 2);
        StatisticalErrors errors = StatisticalErrors.bootstrap(b, null, s, null);
        double expected = deLongError(b, s);
        // the bootstrap's standard deviation from 200 replicates scatters by 1/sqrt(2 * 199) = 5 %
        assertEquals(expected, errors.auc(), 0.15 * expected, "DeLong " + expected);
        assertEquals(StatisticalErrors.Method.BOOTSTRAP, errors.method());
    }

    /**
     * eps_S at eps_B = 1e-2, the threshold the background's 99th percentile: by the delta method
     * its variance is eps_S(1 - eps_S) / n_S from the signal events counted, plus (f_S / f_B)^2
     * eps_B(1 - eps_B) / n_B from the threshold moving with the background sample, f the densities
     * of the scores at the threshold (Gaussians here, known). With few background events the second
     * dominates: an error that left the threshold fixed would be eight times too small. With 20
     * background events above the threshold one sample's bootstrap error scatters by about 20 %
     * around the true one, so the mean over sixteen independent samples is compared.
     */
    @Test
    void theSignalEfficiencysErrorHasTheBinomialAndTheThresholdsParts() {
        double shift = 1.5;
        double threshold = UNIT.inverseCumulativeProbability(0.99);
        double epsS = 1 - UNIT.cumulativeProbability(threshold - shift);
        double slope = UNIT.density(threshold - shift) / UNIT.density(threshold);
        for (int[] sizes : List.of(new int[] {100_000, 400, 1}, new int[] {2_000, 20_000, 16})) {
            int nb = sizes[0];
            int ns = sizes[1];
            int samples = sizes[2];
            double binomial = epsS * (1 - epsS) / ns;
            double moving = slope * slope * 0.01 * 0.99 / nb;
            double expected = Math.sqrt(binomial + moving);
            double bootstrapMean = 0;
            double asymptoticMean = 0;
            for (int k = 0; k < samples; k++) {
                float[] b = normal(nb, 0, 100 + k);
                float[] s = normal(ns, shift, 200 + k);
                bootstrapMean += StatisticalErrors.bootstrap(b, null, s, null).signalEfficiency().get("1e-2") / samples;
                asymptoticMean += asymptotic(b, null, s, null).signalEfficiency().get("1e-2") / samples;
            }
            String parts = nb + " background, " + ns + " signal: binomial part " + Math.sqrt(binomial) + ", threshold's " + Math.sqrt(moving);
            assertEquals(expected, bootstrapMean, 0.2 * expected, "bootstrap, " + parts);
            assertEquals(expected, asymptoticMean, 0.2 * expected, "asymptotic, " + parts);
        }
    }

    /**
     * eps_B inside a score that background and signal share (the highest score: 5 of 1,000
     * background events and 20 of 400 signal events): eps_S at 1e-3 is the curve read a fifth of the
     * way into the tie, 0.01, and its asymptotic error the delta method's with every event of the tie
     * selecting a fifth of itself, worked out here from the events: the signal's part
     * sum (sel - eps_S)^2 / n_S^2, the threshold's slope^2 sum (sel - eps_B)^2 / n_B^2 with the slope
     * inside the tie, (20/400) / (5/1000). Rounding the tie to all or none gave it no error at all.
     * The bootstrap, whose draws move the tie's five events, puts it within a factor of three.
     */
    @Test
    void onAScoreThatBackgroundAndSignalShareTheTieIsSelectedInPart() {
        float[] b = new float[1000];
        for (int i = 0; i < b.length; i++) {
            b[i] = i < 5 ? 2000 : i - 5;
        }
        float[] s = new float[400];
        for (int i = 0; i < s.length; i++) {
            s[i] = i < 20 ? 2000 : 500 + i;
        }
        StatisticalErrors errors = asymptotic(b, null, s, null);
        double share = 0.2;
        double epsS = share * 20 / 400;
        assertEquals(epsS, RocCurve.of(b, s).signalEfficiencyAt(1e-3), 1e-12);
        double signalPart = (20 * Math.pow(share - epsS, 2) + 380 * epsS * epsS) / (400.0 * 400.0);
        double slope = (20 / 400.0) / (5 / 1000.0);
        double thresholdPart = slope * slope * (5 * Math.pow(share - 1e-3, 2) + 995 * 1e-6) / (1000.0 * 1000.0);
        assertEquals(Math.sqrt(signalPart + thresholdPart), errors.signalEfficiency().get("1e-3"), 1e-12);
        double bootstrap = StatisticalErrors.bootstrap(b, null, s, null).signalEfficiency().get("1e-3");
        assertTrue(bootstrap / 3 < errors.signalEfficiency().get("1e-3") && errors.signalEfficiency().get("1e-3") < 3 * bootstrap,
                errors.signalEfficiency().get("1e-3") + " asymptotic, " + bootstrap + " bootstrap");
    }

    /**
     * Two scores of the same events, the second the first with noise: the paired bootstrap's error
     * of the AUCs' difference is DeLong's for correlated curves, and far below the two errors in
     * quadrature, which would treat the scores as judged on different events.
     */
    @Test
    void theErrorOfADifferenceOnTheSameEventsIsDeLongsForCorrelatedCurves() {
        float[] bA = normal(2000, 0, 11);
        float[] sA = normal(1500, 0.8, 12);
        float[] bB = noisy(bA, 13);
        float[] sB = noisy(sA, 14);
        StatisticalErrors difference = StatisticalErrors.ofDifference(bA, sA, bB, sB, null, null);
        double expected = deLongDifferenceError(bA, sA, bB, sB);
        assertEquals(expected, difference.auc(), 0.15 * expected, "DeLong " + expected);
        double unpaired = Math.hypot(StatisticalErrors.bootstrap(bA, null, sA, null).auc(), StatisticalErrors.bootstrap(bB, null, sB, null).auc());
        assertTrue(difference.auc() < 0.5 * unpaired, difference.auc() + " paired against " + unpaired + " unpaired");
        // a score against itself: every replicate's difference is zero
        StatisticalErrors itself = StatisticalErrors.ofDifference(bA, sA, bA, sA, null, null);
        assertEquals(0, itself.auc());
        assertEquals(0, itself.signalEfficiency().get("1e-2"));
    }

    /**
     * The asymptotic AUC error is DeLong's (the structural components' variances divided by n
     * rather than n - 1: the same to 1e-3 at these sizes), from the ranked events and from the
     * curve alone (Spark's way); the difference of two scores' AUCs too.
     */
    @Test
    void theAsymptoticAucErrorsAreDeLongs() {
        float[] b = normal(2000, 0, 1);
        float[] s = normal(3000, 0.8, 2);
        StatisticalErrors ranked = asymptotic(b, null, s, null);
        assertEquals(deLongError(b, s), ranked.auc(), 1e-3 * ranked.auc());
        assertEquals(StatisticalErrors.Method.ASYMPTOTIC, ranked.method());
        StatisticalErrors fromCurve = StatisticalErrors.asymptotic(RocCurve.of(b, s));
        assertEquals(ranked.auc(), fromCurve.auc(), 1e-12);
        ranked.signalEfficiency().forEach((label, error) -> assertEquals(error, fromCurve.signalEfficiency().get(label), 1e-12, label));

        float[] bB = noisy(b, 13);
        float[] sB = noisy(s, 14);
        StatisticalErrors difference = AsymptoticErrors.ofDifference(Ranking.of(b, null, s, null), Ranking.of(bB, null, sB, null), null, null);
        assertEquals(deLongDifferenceError(b, s, bB, sB), difference.auc(), 1e-3 * difference.auc());
        // eps_S's paired error as the paired bootstrap gives it, within the two's scatter
        StatisticalErrors paired = StatisticalErrors.ofDifference(b, s, bB, sB, null, null);
        assertEquals(paired.signalEfficiency().get("1e-2"), difference.signalEfficiency().get("1e-2"), 0.3 * paired.signalEfficiency().get("1e-2"));
        StatisticalErrors itself = AsymptoticErrors.ofDifference(Ranking.of(b, null, s, null), Ranking.of(b, null, s, null), null, null);
        assertEquals(0, itself.auc());
        assertEquals(0, itself.signalEfficiency().get("1e-2"));
    }

    /**
     * Events of an NLO generator: a fifth weighted -1, scored a little higher than the others (a
     * counter-event is not a copy of an event). The bootstrap's and the asymptotic errors of the AUC
     * and of eps_S at 1e-2 against the spread of the figures over 300 samples drawn independently,
     * the error they stand for.
     */
    @Test
    void withNegativeWeightsTheErrorsAreTheSpreadOfIndependentSamples() {
        int nb = 10_000;
        int ns = 2_000;
        double[] auc = new double[300];
        double[] efficiency = new double[auc.length];
        for (int t = 0; t < auc.length; t++) {
            Signed b = signed(nb, 0, 100 + 2L * t);
            Signed s = signed(ns, 1, 101 + 2L * t);
            RocCurve roc = RocCurve.of(b.scores, b.weights, s.scores, s.weights);
            auc[t] = roc.auc();
            efficiency[t] = roc.signalEfficiencyAt(1e-2);
        }
        Signed b = signed(nb, 0, 1);
        Signed s = signed(ns, 1, 2);
        for (Errors errors : List.<Errors>of(StatisticalErrors::bootstrap, StatisticalErrorsTest::asymptotic)) {
            StatisticalErrors e = errors.of(b.scores, b.weights, s.scores, s.weights);
            assertEquals(Math.sqrt(variance(auc)), e.auc(), 0.2 * Math.sqrt(variance(auc)), e.method().label() + " AUC");
            assertEquals(Math.sqrt(variance(efficiency)), e.signalEfficiency().get("1e-2"), 0.3 * Math.sqrt(variance(efficiency)),
                    e.method().label() + " eps_S at 1e-2");
        }
    }

    /** Scores and signed weights: a fifth of the events weighted -1 and scored 0.3 higher, the others +1. */
    private record Signed(float[] scores, double[] weights) {
    }

    private static Signed signed(int n, double mean, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] scores = new float[n];
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            boolean negative = random.nextDouble() < 0.2;
            weights[i] = negative ? -1 : 1;
            scores[i] = (float) (mean + (negative ? 0.3 : 0) + random.nextGaussian());
        }
        return new Signed(scores, weights);
    }

    /** Above MAX_EVENTS an evaluation's errors come from the asymptotic formulas, in well under the bootstrap's time. */
    @Test
    void aSampleAboveTheBootstrapsLimitHasTheAsymptoticErrors() {
        float[] b = normal((int) StatisticalErrors.MAX_EVENTS, 0, 21);
        float[] s = normal(1000, 1, 22);
        Evaluation.Signal signal = Evaluation.signal("s", b, null, s, null);
        assertEquals(StatisticalErrors.Method.ASYMPTOTIC, signal.errors().method());
        assertEquals(List.of("1e-2", "1e-3", "1e-4"), List.copyOf(signal.errors().signalEfficiency().keySet()));
        // 1,000 signal events: eps_S's error is its binomial one, the threshold's far smaller with two million background events
        double epsS = signal.figures().signalEfficiency().get("1e-2");
        assertEquals(Math.sqrt(epsS * (1 - epsS) / s.length), signal.signalEfficiencyError("1e-2"), 0.05 * signal.signalEfficiencyError("1e-2"));
        assertEquals(StatisticalErrors.Method.BOOTSTRAP, Evaluation.signal("s", Arrays.copyOf(b, 2000), null, s, null).errors().method());
    }

    @Test
    void onlyTheBackgroundEfficienciesTheSampleResolvesHaveAnError() {
        StatisticalErrors errors = StatisticalErrors.bootstrap(normal(2000, 0, 5), null, normal(500, 1, 6), null);
        assertEquals(List.of("1e-2", "1e-3"), List.copyOf(errors.signalEfficiency().keySet()));
        assertFalse(errors.signalEfficiency().containsKey("1e-4"), "2,000 background events do not resolve 1e-4");
    }

    @Test
    void theSameScoresGiveTheSameErrorsOnAnyNumberOfThreads() throws Exception {
        float[] b = normal(3000, 0, 7);
        float[] s = normal(1000, 1, 8);
        StatisticalErrors many = StatisticalErrors.bootstrap(b, null, s, null);
        StatisticalErrors one = new ForkJoinPool(1).submit(() -> StatisticalErrors.bootstrap(b, null, s, null)).get();
        assertEquals(many, one);
        assertEquals(many, StatisticalErrors.bootstrap(b, null, s, null));
    }

    /** The errors of a background and a signal with their weights, one way or the other. */
    private interface Errors {
        StatisticalErrors of(float[] background, double[] backgroundWeights, float[] signal, double[] signalWeights);
    }

    /**
     * Both ways: equal weights give the errors of no weights; events weighted zero count as absent
     * (the asymptotic errors exactly, the bootstrap's within its replicates' scatter, as its draws differ).
     */
    @Test
    void equalWeightsGiveTheErrorsOfNoWeightsAndZeroWeightsDropEvents() {
        for (Errors errors : List.<Errors>of(StatisticalErrors::bootstrap, StatisticalErrorsTest::asymptotic)) {
            float[] b = normal(1500, 0, 9);
            float[] s = normal(800, 1, 10);
            StatisticalErrors plain = errors.of(b, null, s, null);
            double[] bw = new double[b.length];
            double[] sw = new double[s.length];
            Arrays.fill(bw, 2.5);
            Arrays.fill(sw, 0.4);
            StatisticalErrors weighted = errors.of(b, bw, s, sw);
            assertEquals(plain.auc(), weighted.auc(), 1e-12);
            assertEquals(plain.signalEfficiency().get("1e-2"), weighted.signalEfficiency().get("1e-2"), 1e-12);
            // every other signal event weighted zero: the errors of the others alone
            double[] half = new double[s.length];
            float[] others = new float[s.length / 2];
            for (int i = 0; i < s.length; i += 2) {
                half[i] = 1;
                others[i / 2] = s[i];
            }
            StatisticalErrors zeros = errors.of(b, null, s, half);
            StatisticalErrors alone = errors.of(b, null, others, null);
            double tolerance = plain.method() == StatisticalErrors.Method.BOOTSTRAP ? 0.15 : 1e-12;
            assertEquals(alone.auc(), zeros.auc(), tolerance * alone.auc(), plain.method().label());
            assertTrue(zeros.auc() > plain.auc(), "fewer signal events, a larger error");
        }
    }
}
