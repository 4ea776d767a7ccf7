package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.feature.FittedEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mixture's log-density against densities known in closed form. */
class GaussianMixtureTest {

    /** log N(x; mu, diag(sigma^2)). */
    private static double logNormal(double[] x, double[] mu, double[] sigma) {
        double s = 0;
        for (int j = 0; j < x.length; j++) {
            double z = (x[j] - mu[j]) / sigma[j];
            s += -0.5 * z * z - Math.log(sigma[j]) - 0.5 * Math.log(2 * Math.PI);
        }
        return s;
    }

    @Test
    void oneComponentRecoversAGaussianIn2And8Dimensions() {
        for (int d : new int[] {2, 8}) {
            SplittableRandom random = new SplittableRandom(d);
            double[] mu = new double[d];
            double[] sigma = new double[d];
            for (int j = 0; j < d; j++) {
                mu[j] = random.nextGaussian();
                sigma[j] = 0.5 + random.nextDouble();
            }
            int n = 20000;
            float[] v = new float[n * d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    v[i * d + j] = (float) (mu[j] + sigma[j] * random.nextGaussian());
                }
            }
            GaussianMixture gmm = new GaussianMixture(Hyperparameters.empty().with("components", 1).with("regularization", 1e-9));
            gmm.fit(new TrainingData(new FeatureBatch(v, n, new int[] {d}), new FeatureBatch(new float[0], 0, new int[] {d})),
                    TrainingConfig.defaults(1, 1));
            double error = 0;
            for (int t = 0; t < 200; t++) {
                double[] x = new double[d];
                for (int j = 0; j < d; j++) {
                    x[j] = mu[j] + sigma[j] * 2 * (random.nextDouble() - 0.5) * 2; // within two sigma
                }
                error += Math.abs(gmm.logDensity(x) - logNormal(x, mu, sigma)) / 200;
            }
            // the sampling error of 20,000 events: about 0.01 nats per dimension within two sigma
            assertTrue(error < 0.02 * d, d + "-D: mean |log p_gmm - log p_true| = " + error);
        }
    }

    @Test
    void twoComponentsRecoverAMixtureAndAutoFindsThem(@TempDir Path dir) throws Exception {
        double[][] mu = {{-2, 0}, {2, 1}};
        double[][] sigma = {{0.5, 0.8}, {0.7, 0.4}};
        double weight = 0.3;
        SplittableRandom random = new SplittableRandom(11);
        int n = 20000;
        float[] v = new float[2 * n];
        for (int i = 0; i < n; i++) {
            int c = random.nextDouble() < weight ? 0 : 1;
            v[2 * i] = (float) (mu[c][0] + sigma[c][0] * random.nextGaussian());
            v[2 * i + 1] = (float) (mu[c][1] + sigma[c][1] * random.nextGaussian());
        }
        FeatureBatch all = new FeatureBatch(v, n, new int[] {2});
        TrainingData data = TrainingData.split(all, 0.2, 5);
        GaussianMixture gmm = new GaussianMixture(Hyperparameters.empty().with("regularization", 1e-9));
        gmm.fit(data, TrainingConfig.defaults(1, 5));
        assertTrue(Integer.parseInt(gmm.hyperparameters().string("components", "")) >= 2,
                "components=auto on two clusters chose " + gmm.hyperparameters());
        double worst = 0;
        for (int t = 0; t < 200; t++) {
            int c = t % 2;
            double[] x = {mu[c][0] + sigma[c][0] * (random.nextDouble() * 2 - 1), mu[c][1] + sigma[c][1] * (random.nextDouble() * 2 - 1)};
            double truth = Math.log(weight * Math.exp(logNormal(x, mu[0], sigma[0])) + (1 - weight) * Math.exp(logNormal(x, mu[1], sigma[1])));
            worst = Math.max(worst, Math.abs(gmm.logDensity(x) - truth));
        }
        assertTrue(worst < 0.1, "largest |log p_gmm - log p_true| within one sigma = " + worst);
        // the number chosen, the mixture is the one of that number fitted on every event, the validation events included
        float[] every = java.util.Arrays.copyOf(data.train().values(), 2 * n);
        System.arraycopy(data.validation().values(), 0, every, data.train().values().length, data.validation().values().length);
        GaussianMixture fixed = new GaussianMixture(gmm.hyperparameters());
        fixed.fit(new TrainingData(new FeatureBatch(every, n, new int[] {2}), new FeatureBatch(new float[0], 0, new int[] {2})),
                TrainingConfig.defaults(1, 5));
        assertArrayEquals(fixed.mixture().weights(), gmm.mixture().weights());
        assertArrayEquals(fixed.mixture().means()[0], gmm.mixture().means()[0]);
        float[] scores = gmm.score(data.validation());
        gmm.save(dir);
        GaussianMixture loaded = new GaussianMixture(gmm.hyperparameters());
        loaded.load(dir, new int[] {2}, new TrainingHistory());
        assertArrayEquals(scores, loaded.score(data.validation()));
        assertEquals(-gmm.logDensity(new double[] {data.validation().values()[0], data.validation().values()[1]}), scores[0], 1e-5);
    }

    /**
     * A count spreads over its unit cell: one component's variance along it is the events' own
     * (worked out here) plus spacing^2 / 12 and the regularisation, and with several components none
     * shrinks onto one of its values, as some do when the count is not known to be one.
     */
    @Test
    void aCountIsDequantisedSoThatNoComponentShrinksOntoOneOfItsValues() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 4000;
        double spacing = 1 / 0.7; // a count standardised by a scale of 0.7
        float[] v = new float[2 * n];
        for (int i = 0; i < n; i++) {
            int count = random.nextDouble() < 0.6 ? 0 : random.nextDouble() < 0.7 ? 1 : 2;
            v[2 * i] = (float) (random.nextGaussian() + 0.3 * count);
            v[2 * i + 1] = (float) (count * spacing - 0.8);
        }
        FeatureBatch events = new FeatureBatch(v, n, new int[] {2});
        FeatureBatch none = new FeatureBatch(new float[0], 0, new int[] {2});
        TrainingData counted = new TrainingData(events, none, org.darkscope.feature.DensityUnits.NONE, new double[] {0, spacing}, java.util.List.of());
        double regularization = 1e-3;
        GaussianMixture one = new GaussianMixture(Hyperparameters.empty().with("components", 1).with("regularization", regularization));
        one.fit(counted, TrainingConfig.defaults(1, 1));
        double[][] covariance = one.mixture().covariances()[0];
        assertEquals(variance(v, 1) + spacing * spacing / 12 + regularization, covariance[1][1], 1e-9);
        assertEquals(variance(v, 0) + regularization, covariance[0][0], 1e-9); // the continuous feature: its own variance

        Hyperparameters eight = Hyperparameters.empty().with("components", 8).with("regularization", regularization);
        GaussianMixture dequantised = new GaussianMixture(eight);
        dequantised.fit(counted, TrainingConfig.defaults(1, 1));
        GaussianMixture spiked = new GaussianMixture(eight);
        spiked.fit(new TrainingData(events, none), TrainingConfig.defaults(1, 1));
        double smallest = Double.POSITIVE_INFINITY;
        double smallestSpiked = Double.POSITIVE_INFINITY;
        for (int c = 0; c < 8; c++) {
            smallest = Math.min(smallest, dequantised.mixture().covariances()[c][1][1]);
            smallestSpiked = Math.min(smallestSpiked, spiked.mixture().covariances()[c][1][1]);
        }
        assertTrue(smallest >= spacing * spacing / 12 + regularization, "smallest variance along the count " + smallest);
        assertTrue(smallestSpiked < 2 * regularization, "without the count known, smallest variance along it " + smallestSpiked);
    }

    /** The variance (over n, as maximum likelihood has it) of feature {@code j} of two-feature rows {@code v}. */
    private static double variance(float[] v, int j) {
        int n = v.length / 2;
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += v[2 * i + j] / (double) n;
        }
        double variance = 0;
        for (int i = 0; i < n; i++) {
            variance += (v[2 * i + j] - mean) * (v[2 * i + j] - mean) / n;
        }
        return variance;
    }

    @Test
    void sameSeedSameMixture() {
        TrainingData data = SampleEvents.trainingData(SampleEvents.encoder("event-level"));
        GaussianMixture a = new GaussianMixture(Hyperparameters.empty().with("components", 4));
        GaussianMixture b = new GaussianMixture(Hyperparameters.empty().with("components", 4));
        a.fit(data, TrainingConfig.defaults(1, 7));
        b.fit(data, TrainingConfig.defaults(1, 7));
        assertArrayEquals(a.score(data.validation()), b.score(data.validation()));
    }

    /** EM works its events and components in parallel: one thread or four fit the same mixture, to the bit. */
    @Test
    void theMixtureDoesNotDependOnHowManyThreadsFitIt() throws Exception {
        FittedEncoder encoder = SampleEvents.encoder("event-level-no-njet");
        TrainingData data = SampleEvents.trainingData(encoder).describedBy(encoder);
        GaussianMixture.Mixture[] fitted = new GaussianMixture.Mixture[2];
        int[] threads = {1, 4};
        for (int t = 0; t < 2; t++) {
            GaussianMixture gmm = new GaussianMixture(Hyperparameters.empty().with("components", 8));
            java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads[t]);
            try {
                pool.submit(() -> gmm.fit(data, TrainingConfig.defaults(1, 3))).get(); // parallel streams run in the pool they start in
            } finally {
                pool.shutdown();
            }
            fitted[t] = gmm.mixture();
        }
        assertTrue(data.train().rows() > 2048, "several blocks of the E-step: " + data.train().rows() + " events");
        assertArrayEquals(fitted[0].weights(), fitted[1].weights());
        for (int c = 0; c < 8; c++) {
            assertArrayEquals(fitted[0].means()[c], fitted[1].means()[c]);
            for (int j = 0; j < fitted[0].covariances()[c].length; j++) {
                assertArrayEquals(fitted[0].covariances()[c][j], fitted[1].covariances()[c][j]);
            }
        }
    }
}
