package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.darkscope.feature.FeatureBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel density estimate against its formula worked by hand and against densities known in closed form. */
class KernelDensityTest {
    private static final FeatureBatch NO_VALIDATION_1D = new FeatureBatch(new float[0], 0, new int[] {1});

    /** Three events in one dimension: p(x) = (1/3) sum_i N(x; x_i, h^2 s^2), s^2 their sample variance, h = 3^(-1/5). */
    @Test
    void theDensityIsTheMeanOfTheKernelsWorkedByHand() {
        double[] events = {0, 1, 3};
        KernelDensity kde = new KernelDensity(Hyperparameters.empty().with("bandwidth", 1.5));
        kde.fit(new TrainingData(new FeatureBatch(new float[] {0, 1, 3}, 3, new int[] {1}), NO_VALIDATION_1D), TrainingConfig.defaults(1, 1));
        double mean = 4.0 / 3;
        double variance = ((0 - mean) * (0 - mean) + (1 - mean) * (1 - mean) + (3 - mean) * (3 - mean)) / 2;
        double width = 1.5 * Math.pow(3, -0.2) * Math.sqrt(variance);
        float[] at = {-1f, 0.5f, 2f, 10f};
        float[] scores = kde.score(new FeatureBatch(at, at.length, new int[] {1}));
        for (int t = 0; t < at.length; t++) {
            double p = 0;
            for (double e : events) {
                double z = (at[t] - e) / width;
                p += Math.exp(-0.5 * z * z) / (width * Math.sqrt(2 * Math.PI)) / events.length;
            }
            assertEquals(-Math.log(p), scores[t], 1e-5 * Math.max(1, Math.abs(Math.log(p))), "x = " + at[t]);
        }
    }

    /**
     * Gaussian events, correlated, in 2 and 8 dimensions: the estimate is the true density smoothed
     * by the kernels, N(mu, (1 + h^2) S) for N(mu, S), within the sampling error of 20,000 events:
     * point by point within twice its spread, and on average over the points (where a wrong
     * bandwidth or normalisation would show as an offset) within four standard errors of the mean
     * of that spread, after the known small bias of a logarithm of an estimate (E log p = log E p -
     * Var p / (2 (E p)^2)).
     */
    @Test
    void aGaussianIsRecoveredSmoothedByItsKernelsIn2And8Dimensions() {
        for (int d : new int[] {2, 8}) {
            SplittableRandom random = new SplittableRandom(d);
            double[] mu = new double[d];
            double[] sigma = new double[d];
            for (int j = 0; j < d; j++) {
                mu[j] = random.nextGaussian();
                sigma[j] = 0.5 + random.nextDouble();
            }
            double rho = 0.6; // each feature leans on the one before: x_j = mu_j + sigma_j (rho u_{j-1} + sqrt(1 - rho^2) u_j)
            int n = 20000;
            float[] v = new float[n * d];
            for (int i = 0; i < n; i++) {
                double previous = random.nextGaussian();
                for (int j = 0; j < d; j++) {
                    double u = j == 0 ? previous : rho * previous + Math.sqrt(1 - rho * rho) * random.nextGaussian();
                    v[i * d + j] = (float) (mu[j] + sigma[j] * u);
                    previous = u;
                }
            }
            KernelDensity kde = new KernelDensity(Hyperparameters.empty());
            kde.fit(new TrainingData(new FeatureBatch(v, n, new int[] {d}), new FeatureBatch(new float[0], 0, new int[] {d})),
                    TrainingConfig.defaults(1, 1));
            double h2 = Math.pow(n, -2.0 / (d + 4));
            // the true covariance: S_ab = sigma_a sigma_b rho^|a-b| (an AR(1) chain of unit variance)
            double[][] smoothed = scaled(sigma, rho, 1 + h2);
            double[][] halfSmoothed = scaled(sigma, rho, 1 + h2 / 2);
            double logDetKernel = 0.5 * logDeterminant(scaled(sigma, rho, h2));
            int points = 200;
            float[] x = new float[points * d];
            for (int t = 0; t < points; t++) {
                for (int j = 0; j < d; j++) {
                    x[t * d + j] = (float) (mu[j] + sigma[j] * (random.nextDouble() * 2 - 1)); // within one sigma
                }
            }
            float[] scores = kde.score(new FeatureBatch(x, points, new int[] {d}));
            double error = 0;
            double expected = 0;
            double offset = 0;
            double jensen = 0;
            double variance = 0;
            for (int t = 0; t < points; t++) {
                double[] at = new double[d];
                for (int j = 0; j < d; j++) {
                    at[j] = x[t * d + j];
                }
                double logMean = logNormal(at, mu, smoothed);
                error += Math.abs(-scores[t] - logMean) / points;
                offset += (-scores[t] - logMean) / points;
                // the estimate's own sampling spread: Var p = (E K^2 - (E K)^2) / n, E K^2 = N(x; mu, S + H/2) / ((4 pi)^(d/2) |H|^(1/2))
                double secondMoment = Math.exp(logNormal(at, mu, halfSmoothed) - 0.5 * d * Math.log(4 * Math.PI) - logDetKernel);
                double relative = Math.sqrt((secondMoment / Math.exp(2 * logMean) - 1) / n);
                expected += relative * Math.sqrt(2 / Math.PI) / points; // the mean |deviation| of a normal spread
                jensen -= relative * relative / 2 / points;
                variance += relative * relative / points;
            }
            double standardError = Math.sqrt(variance / points); // the points lie farther apart than the kernels' width
            assertEquals(jensen, offset, 4 * standardError + 0.002 * d, d + "-D: mean log p_kde - log N(mu, (1 + h^2) S)");
            // within twice the sampling spread, plus 0.002 nats per dimension for the covariance estimated from the sample
            assertTrue(error < 2 * expected + 0.002 * d, d + "-D: mean |log p_kde - log N(mu, (1 + h^2) S)| = " + error
                    + ", the sampling spread alone " + expected);
        }
    }

    /** S_ab = factor sigma_a sigma_b rho^|a-b|. */
    private static double[][] scaled(double[] sigma, double rho, double factor) {
        int d = sigma.length;
        double[][] s = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                s[a][b] = factor * sigma[a] * sigma[b] * Math.pow(rho, Math.abs(a - b));
            }
        }
        return s;
    }

    /** log det S, from log N(mu; mu, S) = -1/2 log det S - d/2 log 2 pi. */
    private static double logDeterminant(double[][] s) {
        double[] zero = new double[s.length];
        return -2 * (logNormal(zero, zero, s) + 0.5 * s.length * Math.log(2 * Math.PI));
    }

    /** log N(x; mu, S) by Cholesky factorisation, worked here apart from the detector's own. */
    private static double logNormal(double[] x, double[] mu, double[][] s) {
        int d = x.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = s[i][j];
                for (int p = 0; p < j; p++) {
                    sum -= l[i][p] * l[j][p];
                }
                l[i][j] = i == j ? Math.sqrt(sum) : sum / l[j][j];
            }
        }
        double[] z = new double[d];
        double quadratic = 0;
        double logDet = 0;
        for (int i = 0; i < d; i++) {
            double sum = x[i] - mu[i];
            for (int p = 0; p < i; p++) {
                sum -= l[i][p] * z[p];
            }
            z[i] = sum / l[i][i];
            quadratic += z[i] * z[i];
            logDet += Math.log(l[i][i]);
        }
        return -0.5 * quadratic - logDet - 0.5 * d * Math.log(2 * Math.PI);
    }

    /** No randomness: any seed, the same scores; a saved and loaded estimate scores to the bit. */
    @Test
    void theSeedChangesNothingAndABundleScoresAsTheEstimate(@TempDir Path dir) throws Exception {
        TrainingData data = SampleEvents.trainingData(SampleEvents.encoder("event-level"));
        KernelDensity a = new KernelDensity(Hyperparameters.empty());
        KernelDensity b = new KernelDensity(Hyperparameters.empty());
        a.fit(data, TrainingConfig.defaults(1, 7));
        b.fit(data, TrainingConfig.defaults(1, 8));
        float[] scores = a.score(data.validation());
        assertArrayEquals(scores, b.score(data.validation()));
        int d = data.train().rowSize();
        assertEquals(d * (d + 1) / 2, a.parameterCount(), "the kernels' covariance");
        a.save(dir);
        KernelDensity loaded = new KernelDensity(a.hyperparameters());
        loaded.load(dir, new int[] {data.train().rowSize()}, new TrainingHistory());
        assertArrayEquals(scores, loaded.score(data.validation()));
    }

    /** A constant feature not known to be a count is refused, naming it and saying what to do. */
    @Test
    void aConstantFeatureIsRefusedSayingWhy() {
        float[] v = new float[20];
        for (int i = 0; i < 10; i++) {
            v[2 * i] = i; // the second feature is always 0
        }
        KernelDensity kde = new KernelDensity(Hyperparameters.empty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kde.fit(
                new TrainingData(new FeatureBatch(v, 10, new int[] {2}), new FeatureBatch(new float[0], 0, new int[] {2}),
                        org.darkscope.feature.DensityUnits.NONE, new double[] {0, 0}, java.util.List.of("log_met", "phi")),
                TrainingConfig.defaults(1, 1)));
        assertTrue(e.getMessage().contains("covariance is singular (feature 1 (phi) is constant"), e.getMessage());
        assertTrue(e.getMessage().endsWith("train on events in which it varies, or choose an encoding without it (--encoding)"),
                e.getMessage());
    }

    /**
     * A count with one value in every training event (no b-jet in a b-veto sample) takes the
     * variance of its dequantised values, spacing^2 / 12, where the sample gives none: the density
     * worked by hand, p(x) = (1/n) sum_i N(x_0; x_i0, h^2 s_0^2) N(x_1; c, h^2 spacing^2 / 12), h =
     * n^(-1/6), at the count's value and one and two spacings from it; a bundle keeps the width, and
     * both say which count it is. A count that varies is left as it was, to the bit.
     */
    @Test
    void aCountConstantInTrainingTakesTheWidthOfItsDequantisedValues(@TempDir Path dir) throws Exception {
        int n = 50;
        double spacing = 0.8;
        float constant = -0.4f;
        float[] v = new float[2 * n];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            v[2 * i] = (float) random.nextGaussian();
            v[2 * i + 1] = constant;
        }
        TrainingData data = new TrainingData(new FeatureBatch(v, n, new int[] {2}), new FeatureBatch(new float[0], 0, new int[] {2}),
                org.darkscope.feature.DensityUnits.NONE, new double[] {0, spacing}, java.util.List.of("x", "n_bjet"));
        KernelDensity kde = new KernelDensity(Hyperparameters.empty());
        kde.fit(data, TrainingConfig.defaults(1, 1));
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += v[2 * i] / n;
        }
        double variance = 0;
        for (int i = 0; i < n; i++) {
            variance += (v[2 * i] - mean) * (v[2 * i] - mean) / (n - 1);
        }
        double h = Math.pow(n, -1.0 / 6);
        double width0 = h * Math.sqrt(variance);
        double width1 = h * spacing / Math.sqrt(12);
        float[] at = {0.3f, constant, 0.3f, constant + (float) spacing, -1f, constant + 2 * (float) spacing};
        float[] scores = kde.score(new FeatureBatch(at, 3, new int[] {2}));
        for (int t = 0; t < 3; t++) {
            double z1 = (at[2 * t + 1] - constant) / width1;
            double p = 0;
            for (int i = 0; i < n; i++) {
                double z0 = (at[2 * t] - v[2 * i]) / width0;
                p += Math.exp(-0.5 * (z0 * z0 + z1 * z1)) / (2 * Math.PI * width0 * width1) / n;
            }
            assertEquals(-Math.log(p), scores[t], 1e-5 * Math.max(1, Math.abs(Math.log(p))), "event " + t);
        }
        assertTrue(scores[1] > scores[0] + 20 && scores[2] > scores[1], java.util.Arrays.toString(scores));
        kde.save(dir);
        KernelDensity loaded = new KernelDensity(kde.hyperparameters());
        loaded.load(dir, new int[] {2}, new TrainingHistory());
        assertArrayEquals(scores, loaded.score(new FeatureBatch(at, 3, new int[] {2})));
        assertEquals(1, loaded.advice().size(), loaded.advice().toString());
        assertTrue(loaded.advice().get(0).startsWith("kde: n_bjet has one value in every training event"), loaded.advice().toString());
        assertEquals(kde.advice(), loaded.advice());

        v[1] = constant + (float) spacing; // one event with another count: the sample gives the width, as without counts known
        KernelDensity varying = new KernelDensity(Hyperparameters.empty());
        varying.fit(data.withEvents(new FeatureBatch(v, n, new int[] {2}), data.validation()), TrainingConfig.defaults(1, 1));
        KernelDensity unknown = new KernelDensity(Hyperparameters.empty());
        unknown.fit(new TrainingData(new FeatureBatch(v, n, new int[] {2}), data.validation()), TrainingConfig.defaults(1, 1));
        assertArrayEquals(unknown.score(new FeatureBatch(at, 3, new int[] {2})), varying.score(new FeatureBatch(at, 3, new int[] {2})));
    }

    /**
     * Trained on more than {@link KernelDensity#MANY_KERNELS} events it says that its scoring slows
     * as their number grows, with the number, and says nothing at that number exactly; a
     * {@code combined} with it as a member says what it says.
     */
    @Test
    void itAdvisesOnItsScoringCostOnlyBeyondManyKernels() {
        SplittableRandom random = new SplittableRandom(11);
        int n = KernelDensity.MANY_KERNELS + 1;
        float[] v = new float[2 * n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        FeatureBatch none = new FeatureBatch(new float[0], 0, new int[] {2});
        KernelDensity many = new KernelDensity(Hyperparameters.empty());
        many.fit(new TrainingData(new FeatureBatch(v, n, new int[] {2}), none), TrainingConfig.defaults(1, 1));
        assertEquals(1, many.advice().size());
        assertTrue(many.advice().get(0).startsWith(String.format(java.util.Locale.ROOT, "kde sums the kernels of all its %,d training"
                + " events for every event it scores, so its scoring time grows in proportion to them", n)), many.advice().get(0));
        KernelDensity enough = new KernelDensity(Hyperparameters.empty());
        enough.fit(new TrainingData(new FeatureBatch(v, n, new int[] {2}).slice(0, n - 1), none), TrainingConfig.defaults(1, 1));
        assertEquals(java.util.List.of(), enough.advice());
        try (Detector combined = Detectors.create("combined", Hyperparameters.empty().with("members", "kde,knn"))) {
            float[] w = new float[2 * 200];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) random.nextGaussian();
            }
            combined.fit(new TrainingData(new FeatureBatch(v, n, new int[] {2}), new FeatureBatch(w, 200, new int[] {2})),
                    TrainingConfig.defaults(1, 1));
            // its members validate nothing: kde fits on every event given, the validation part too, and passes its advice on
            assertEquals(1, combined.advice().size());
            assertTrue(combined.advice().get(0).startsWith(String.format(java.util.Locale.ROOT, "kde sums the kernels of all its %,d "
                    + "training events", n + 200)), combined.advice().get(0));
        }
    }
}

