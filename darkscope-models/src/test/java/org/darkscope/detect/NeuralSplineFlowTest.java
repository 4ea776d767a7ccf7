package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.darkscope.feature.FeatureBatch;
import org.junit.jupiter.api.Test;

/**
 * The spline flow is a density estimator: its log-density is compared with densities known in
 * closed form (that it starts as the identity: {@link FlowDensityTest}). The tolerance is the mean |log p_flow - log p_true| (or, for the mixture, the
 * Kullback-Leibler divergence estimated on fresh samples), in nats.
 */
class NeuralSplineFlowTest {
    private static final Hyperparameters SMALL = Hyperparameters.empty().with("noise", 0).with("hidden", "32,32");
    /**
     * Events per step: four times the command line's default, a quarter of the steps (and of the
     * test's run time) on thousands of smooth training events. Measured, against the tolerances
     * (with 128 in brackets): 2-D mean error 0.057 (0.091) of 0.1, 8-D KL 0.114 (0.114) of 0.25,
     * two moons 0.024 (0.020) of 0.1.
     */
    private static final int BATCH = 512;

    /**
     * Correlated Gaussians: in 2-D the mean |log p_flow - log p_true| within two sigma is below
     * 0.1 nats; in 8-D, from 6,400 training events, the Kullback-Leibler divergence
     * E_p[log p - log q] on fresh samples is below 0.25 nats (a perfect Gaussian fit would reach
     * about 0.003; the flow does not know the density is Gaussian).
     */
    @Test
    void learnsTheLogDensityOfCorrelatedGaussians() {
        for (int d : new int[] {2, 8}) {
            SplittableRandom random = new SplittableRandom(100 + d);
            Gaussian g = new Gaussian(randomCholesky(d, random));
            FeatureBatch data = g.sample(8000, random);
            try (NeuralSplineFlow flow = new NeuralSplineFlow(SMALL)) {
                flow.fit(TrainingData.split(data, 0.2, 3), TrainingConfig.defaults(40, 3).withLearningRate(3e-3).withBatchSize(BATCH));
                FeatureBatch fresh = g.sample(2000, random);
                float[] nll = flow.negativeLogDensity(fresh);
                double kl = 0;
                double error = 0;
                int within = 0;
                for (int i = 0; i < fresh.rows(); i++) {
                    double[] x = new double[d];
                    for (int j = 0; j < d; j++) {
                        x[j] = fresh.values()[i * d + j];
                    }
                    double truth = g.logDensity(x);
                    kl += truth + nll[i];
                    if (g.mahalanobisSquared(x) <= 4) {
                        error += Math.abs(truth + nll[i]);
                        within++;
                    }
                }
                kl /= fresh.rows();
                error /= within;
                if (d == 2) {
                    assertTrue(error < 0.1, "2-D: mean |log p_flow - log p_true| = " + error + " nats");
                }
                assertTrue(kl > -0.05 && kl < (d == 2 ? 0.05 : 0.25), d + "-D: KL(p || flow) = " + kl + " nats");
            }
        }
    }

    /**
     * Two moons: a mixture of Gaussians (width 0.15) along two interleaved half circles, a bent,
     * two-peaked density no affine flow of this size models. Kullback-Leibler divergence
     * E_p[log p - log q] on fresh samples below 0.1 nats.
     */
    @Test
    void learnsABentTwoPeakedDensity() {
        Moons moons = new Moons(0.15);
        SplittableRandom random = new SplittableRandom(7);
        FeatureBatch data = moons.sample(10000, random);
        try (NeuralSplineFlow flow = new NeuralSplineFlow(SMALL.with("layers", 4))) {
            flow.fit(TrainingData.split(data, 0.2, 3), TrainingConfig.defaults(60, 3).withLearningRate(3e-3).withBatchSize(BATCH));
            FeatureBatch fresh = moons.sample(2000, random);
            float[] nll = flow.negativeLogDensity(fresh);
            double kl = 0;
            for (int i = 0; i < fresh.rows(); i++) {
                kl += moons.logDensity(fresh.values()[2 * i], fresh.values()[2 * i + 1]) + nll[i];
            }
            kl /= fresh.rows();
            assertTrue(kl < 0.1 && kl > -0.05, "KL(p || flow) = " + kl + " nats");
        }
    }

    private static double[][] randomCholesky(int d, SplittableRandom random) {
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                l[i][j] = 0.5 * random.nextGaussian();
            }
            l[i][i] = 0.5 + random.nextDouble();
        }
        return l;
    }

    /** x = L z with z standard normal: log p(x) = -d/2 log 2pi - log|det L| - |z|^2 / 2. */
    private record Gaussian(double[][] l) {
        double[] transform(double[] z) {
            double[] x = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                for (int j = 0; j <= i; j++) {
                    x[i] += l[i][j] * z[j];
                }
            }
            return x;
        }

        /** z = L^-1 x, by forward substitution. */
        double[] whiten(double[] x) {
            double[] z = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double s = x[i];
                for (int j = 0; j < i; j++) {
                    s -= l[i][j] * z[j];
                }
                z[i] = s / l[i][i];
            }
            return z;
        }

        double mahalanobisSquared(double[] x) {
            return java.util.Arrays.stream(whiten(x)).map(v -> v * v).sum();
        }

        double logDensity(double[] x) {
            double logDet = 0;
            for (int i = 0; i < x.length; i++) {
                logDet += Math.log(l[i][i]);
            }
            return -0.5 * x.length * Math.log(2 * Math.PI) - logDet - 0.5 * mahalanobisSquared(x);
        }

        FeatureBatch sample(int n, SplittableRandom random) {
            int d = l.length;
            float[] v = new float[n * d];
            for (int r = 0; r < n; r++) {
                double[] z = new double[d];
                for (int j = 0; j < d; j++) {
                    z[j] = random.nextGaussian();
                }
                double[] x = transform(z);
                for (int j = 0; j < d; j++) {
                    v[r * d + j] = (float) x[j];
                }
            }
            return new FeatureBatch(v, n, new int[] {d});
        }
    }

    /** Equal-weight Gaussians of width sigma on 2 x 32 points of two interleaved half circles. */
    private record Moons(double sigma) {
        private static final int PER_MOON = 32;

        double[] centre(int k) {
            double theta = Math.PI * (k % PER_MOON) / (PER_MOON - 1);
            return k < PER_MOON ? new double[] {Math.cos(theta) - 0.5, Math.sin(theta) - 0.25}
                    : new double[] {0.5 - Math.cos(theta), 0.25 - Math.sin(theta)};
        }

        double logDensity(double x, double y) {
            double sum = 0;
            for (int k = 0; k < 2 * PER_MOON; k++) {
                double[] c = centre(k);
                double r2 = ((x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1])) / (sigma * sigma);
                sum += Math.exp(-0.5 * r2);
            }
            return Math.log(sum / (2 * PER_MOON * 2 * Math.PI * sigma * sigma));
        }

        FeatureBatch sample(int n, SplittableRandom random) {
            float[] v = new float[2 * n];
            for (int i = 0; i < n; i++) {
                double[] c = centre(random.nextInt(2 * PER_MOON));
                v[2 * i] = (float) (c[0] + sigma * random.nextGaussian());
                v[2 * i + 1] = (float) (c[1] + sigma * random.nextGaussian());
            }
            return new FeatureBatch(v, n, new int[] {2});
        }
    }
}
