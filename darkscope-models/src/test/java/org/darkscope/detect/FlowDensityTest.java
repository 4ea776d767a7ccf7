package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.darkscope.feature.FeatureBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlowDensityTest {
    /**
     * On a correlated 2-D Gaussian the flow's log-density matches the true one: the mean absolute
     * difference over points within two standard deviations is below 0.15 nats.
     */
    @Test
    void learnsTheLogDensityOfACorrelatedGaussian() {
        double rho = 0.6;
        double sx = 1.0;
        double sy = 0.5;
        SplittableRandom random = new SplittableRandom(5);
        int n = 6000;
        float[] values = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double z1 = random.nextGaussian();
            double z2 = random.nextGaussian();
            values[2 * i] = (float) (sx * z1);
            values[2 * i + 1] = (float) (sy * (rho * z1 + Math.sqrt(1 - rho * rho) * z2));
        }
        FeatureBatch data = new FeatureBatch(values, n, new int[] {2});
        Hyperparameters hp = Hyperparameters.empty().with("noise", 0).with("hidden", "32,32").with("layers", 4);
        try (MaskedAutoregressiveFlow flow = new MaskedAutoregressiveFlow(hp)) {
            flow.fit(TrainingData.split(data, 0.2, 3), TrainingConfig.defaults(40, 3).withLearningRate(3e-3));
            int m = 400;
            float[] points = new float[2 * m];
            double[] truth = new double[m];
            double det = sx * sx * sy * sy * (1 - rho * rho);
            for (int i = 0; i < m; i++) {
                double x;
                double y;
                do {
                    x = (random.nextDouble() * 4 - 2) * sx;
                    y = (random.nextDouble() * 4 - 2) * sy;
                } while (quadratic(x, y, sx, sy, rho) > 4);
                points[2 * i] = (float) x;
                points[2 * i + 1] = (float) y;
                truth[i] = -Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * quadratic(x, y, sx, sy, rho);
            }
            float[] nll = flow.negativeLogDensity(new FeatureBatch(points, m, new int[] {2}));
            double error = 0;
            for (int i = 0; i < m; i++) {
                error += Math.abs(-nll[i] - truth[i]);
            }
            error /= m;
            assertTrue(error < 0.15, "mean |log p_flow - log p_true| = " + error + " nats");
        }
    }

    /**
     * Untrained, a flow is the identity, so its negative log-density is that of a standard
     * normal, worked by hand: 0.5 |x|^2 + D/2 log(2 pi); some points lie outside the spline
     * flow's interval. Before the output layers started at zero, a point 10 sigma out was
     * stretched through every layer and scored astronomically.
     */
    @ParameterizedTest
    @ValueSource(strings = {"maf", "flow"})
    void startsAsTheIdentity(String name) {
        int d = 6;
        int n = 64;
        SplittableRandom random = new SplittableRandom(11);
        float[] values = new float[d * n];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * (i % 7 == 0 ? 10 : 1));
        }
        FeatureBatch data = new FeatureBatch(values, n, new int[] {d});
        try (NormalizingFlow flow = (NormalizingFlow) Detectors.create(name, Hyperparameters.empty().with("noise", 0))) {
            // one epoch at a vanishing learning rate: initialised, but not moved
            flow.fit(TrainingData.split(data, 0.25, 1), TrainingConfig.defaults(1, 1).withLearningRate(1e-30));
            float[] nll = flow.negativeLogDensity(data);
            for (int r = 0; r < n; r++) {
                double squares = 0;
                for (int j = 0; j < d; j++) {
                    squares += values[r * d + j] * (double) values[r * d + j];
                }
                double expected = 0.5 * squares + 0.5 * d * Math.log(2 * Math.PI);
                assertEquals(expected, nll[r], 1e-5 * expected, name + ", event " + r);
            }
        }
    }

    /** Mahalanobis distance squared of (x, y). */
    private static double quadratic(double x, double y, double sx, double sy, double rho) {
        double a = x / sx;
        double b = y / sy;
        return (a * a - 2 * rho * a * b + b * b) / (1 - rho * rho);
    }

    /**
     * Scoring keeps no array per batch in the model's memory: arrays made from the weights (the
     * masked weights, the spline flow's scale) belong to the batch. Before, each batch left copies
     * behind, and scoring 5 million events with maf grew the process by 600 MB.
     */
    @ParameterizedTest
    @ValueSource(strings = {"maf", "flow"})
    void scoringLeavesNothingBehindInTheModelsMemory(String name) {
        int d = 4;
        int n = 2 * NeuralDetector.SCORING_BATCH + 5;
        SplittableRandom random = new SplittableRandom(3);
        float[] values = new float[d * n];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        FeatureBatch data = new FeatureBatch(values, n, new int[] {d});
        try (NormalizingFlow flow = (NormalizingFlow) Detectors.create(name, Hyperparameters.empty().with("hidden", "8,8"))) {
            flow.fit(TrainingData.split(data.slice(0, 500), 0.2, 1), TrainingConfig.defaults(2, 1));
            flow.score(data);
            int before = flow.manager().getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                flow.score(data);
            }
            assertEquals(before, flow.manager().getManagedArrays().size(), "arrays left in the model's manager");
        }
    }
}
