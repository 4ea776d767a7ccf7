package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.darkscope.feature.DensityUnits;
import org.darkscope.feature.FeatureBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on events that count by their weights ({@code train --weighted}): each detector that
 * fits weights against its weighted formula computed here by brute force, equal weights against
 * the events counted once, and the weights kept through a split, a save and a load.
 */
class WeightedTrainingTest {
    private static final List<String> NAMES = List.of("log_met", "log_ht", "n_lepton");
    private static final TrainingConfig CONFIG = TrainingConfig.defaults(1, 1);

    @TempDir
    Path dir;

    /** {@code n} events of {@code d} features, Gaussian, seeded. */
    private static FeatureBatch gaussian(int n, int d, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return new FeatureBatch(v, n, new int[] {d});
    }

    private static double[] weights(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.1 + 5 * random.nextDouble();
        }
        return w;
    }

    /** {@code train} as exceedance's variables, by name, each event weighing {@code w} (null: once). */
    private static TrainingData named(FeatureBatch train, double[] w) {
        return new TrainingData(train, train.slice(0, 0), DensityUnits.NONE, new double[0], NAMES, w, w == null ? null : new double[0]);
    }

    private static TrainingData weighted(FeatureBatch train, double[] w) {
        return new TrainingData(train, train.slice(0, 0)).withWeights(w, new double[0]);
    }

    /**
     * One dimension by hand: p(x) = sum_i w_i N(x; x_i, h^2 s^2) / W, s^2 = sum w (x - m)^2 / (W -
     * sum w^2 / W), h = bandwidth x neff^(-1/5), neff = W^2 / sum w^2 (scipy's gaussian_kde with weights).
     */
    @Test
    void kdeIsTheWeightedMeanOfItsKernelsWorkedByHand() {
        double[] x = {0, 1, 3, 4.5};
        double[] w = {1, 3, 0.5, 2};
        float[] v = {0, 1, 3, 4.5f};
        KernelDensity kde = new KernelDensity(Hyperparameters.empty().with("bandwidth", 1.5));
        kde.fit(weighted(new FeatureBatch(v, 4, new int[] {1}), w), CONFIG);
        double total = 0;
        double squares = 0;
        double mean = 0;
        for (int i = 0; i < 4; i++) {
            total += w[i];
            squares += w[i] * w[i];
            mean += w[i] * x[i];
        }
        mean /= total;
        double variance = 0;
        for (int i = 0; i < 4; i++) {
            variance += w[i] * (x[i] - mean) * (x[i] - mean);
        }
        variance /= total - squares / total;
        double width = 1.5 * Math.pow(total * total / squares, -0.2) * Math.sqrt(variance);
        float[] at = {-1f, 0.5f, 2f, 10f};
        float[] scores = kde.score(new FeatureBatch(at, at.length, new int[] {1}));
        for (int t = 0; t < at.length; t++) {
            double p = 0;
            for (int i = 0; i < 4; i++) {
                double z = (at[t] - x[i]) / width;
                p += w[i] * Math.exp(-0.5 * z * z) / (width * Math.sqrt(2 * Math.PI)) / total;
            }
            assertEquals(-Math.log(p), scores[t], 1e-5 * Math.max(1, Math.abs(Math.log(p))), "x = " + at[t]);
        }
    }

    /** Equal weights of any size: the density of the events counted once; an event of weight 0 is no kernel. */
    @Test
    void kdeWithEqualWeightsIsKdeCountedOnceAndAWeightOfZeroIsNoKernel() throws Exception {
        FeatureBatch train = gaussian(300, 3, 1);
        FeatureBatch judged = gaussian(200, 3, 2);
        KernelDensity once = new KernelDensity(Hyperparameters.empty());
        once.fit(new TrainingData(train, train.slice(0, 0)), CONFIG);
        double[] equal = new double[300];
        java.util.Arrays.fill(equal, 3.7e-5);
        KernelDensity same = new KernelDensity(Hyperparameters.empty());
        same.fit(weighted(train, equal), CONFIG);
        float[] expected = once.score(judged);
        float[] got = same.score(judged);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 1e-5 * Math.abs(expected[i]), "event " + i);
        }

        double[] w = weights(300, 3);
        double[] withZero = w.clone();
        withZero[7] = 0;
        int[] others = java.util.stream.IntStream.range(0, 300).filter(i -> i != 7).toArray();
        KernelDensity zero = new KernelDensity(Hyperparameters.empty());
        zero.fit(weighted(train, withZero), CONFIG);
        KernelDensity without = new KernelDensity(Hyperparameters.empty());
        without.fit(weighted(train.select(others), java.util.Arrays.stream(others).mapToDouble(i -> w[i]).toArray()), CONFIG);
        assertArrayEquals(without.score(judged), zero.score(judged));

        // the weights travel with the bundle's events
        KernelDensity weightedKde = new KernelDensity(Hyperparameters.empty());
        weightedKde.fit(weighted(train, w), CONFIG);
        float[] before = weightedKde.score(judged);
        assertNotEquals(expected[0], before[0], "the weights change the density");
        Path saved = Files.createDirectories(dir.resolve("kde"));
        weightedKde.save(saved);
        KernelDensity loaded = new KernelDensity(Hyperparameters.empty());
        loaded.load(saved, new int[] {3}, new TrainingHistory());
        assertArrayEquals(before, loaded.score(judged));
        assertEquals(300, loaded.logKernelWeights().length);
    }

    /** Weighted counts of the upper orthant against a scan of every point, over random points and queries. */
    @Test
    void theOrthantCounterSumsTheWeightsAScanSums() {
        SplittableRandom random = new SplittableRandom(11);
        for (int n : new int[] {1, 15, 200, 3000}) {
            float[][] columns = new float[3][n];
            for (float[] c : columns) {
                for (int i = 0; i < n; i++) {
                    c[i] = random.nextInt(20); // ties, as counts have
                }
            }
            double[] w = weights(n, n);
            OrthantCounter counter = new OrthantCounter(columns, w);
            for (int q = 0; q < 50; q++) {
                float[] query = {random.nextInt(22) - 1, random.nextInt(22) - 1, random.nextInt(22) - 1};
                double scanned = 0;
                for (int i = 0; i < n; i++) {
                    if (columns[0][i] >= query[0] && columns[1][i] >= query[1] && columns[2][i] >= query[2]) {
                        scanned += w[i];
                    }
                }
                assertEquals(scanned, counter.atLeast(query, 0, new int[] {0, 1, 2}), 1e-9 * Math.max(1, scanned), "n=" + n + " query " + q);
            }
        }
    }

    /** exceedance: -log10((weight at least as hard + mean weight) / (W + mean weight)), by brute force; saved and loaded with its weights. */
    @Test
    void exceedanceCountsTheHarderEventsByTheirWeights() throws Exception {
        FeatureBatch train = gaussian(400, 3, 4);
        FeatureBatch judged = gaussian(100, 3, 5);
        double[] w = weights(400, 6);
        Exceedance exceedance = new Exceedance(Hyperparameters.empty());
        exceedance.fit(named(train, w), CONFIG);
        float[] scores = exceedance.score(judged);
        double total = java.util.Arrays.stream(w).sum();
        double mean = total / 400;
        for (int r = 0; r < judged.rows(); r++) {
            double harder = 0;
            for (int i = 0; i < 400; i++) {
                boolean all = true;
                for (int c = 0; c < 3; c++) {
                    all &= train.values()[i * 3 + c] >= judged.values()[r * 3 + c];
                }
                harder += all ? w[i] : 0;
            }
            assertEquals(Math.log10((total + mean) / (harder + mean)), scores[r], 1e-5, "event " + r);
        }
        Path saved = Files.createDirectories(dir.resolve("exceedance"));
        exceedance.save(saved);
        Exceedance loaded = new Exceedance(Hyperparameters.empty());
        loaded.load(saved, new int[] {3}, new TrainingHistory());
        assertArrayEquals(scores, loaded.score(judged));

        // equal weights: the box's fraction counted once
        Exceedance once = new Exceedance(Hyperparameters.empty());
        once.fit(named(train, null), CONFIG);
        double[] equal = new double[400];
        java.util.Arrays.fill(equal, 0.25);
        Exceedance same = new Exceedance(Hyperparameters.empty());
        same.fit(named(train, equal), CONFIG);
        float[] expected = once.score(judged);
        float[] got = same.score(judged);
        for (int r = 0; r < expected.length; r++) {
            assertEquals(expected[r], got[r], 1e-6, "event " + r);
        }
        assertNull(once.trainingWeights());
    }

    /** The weighted tail probability at every calibration score by brute force; equal weights as counted once, tail included. */
    @Test
    void aWeightedTailProbabilityCountsTheWeightAtLeastAsHigh() {
        SplittableRandom random = new SplittableRandom(8);
        int n = 501;
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            scores[i] = (float) Math.floor(-20 * Math.log(random.nextDouble())) / 10; // exponential, with ties
        }
        double[] w = weights(n, 9);
        TailProbability tail = new TailProbability(scores, w);
        double total = java.util.Arrays.stream(w).sum();
        double mean = total / n;
        for (int i = 0; i < n; i++) {
            double atLeast = 0;
            for (int j = 0; j < n; j++) {
                atLeast += scores[j] >= scores[i] ? w[j] : 0;
            }
            assertEquals(Math.log((atLeast + mean) / (total + mean)), tail.logOf(scores[i]), 1e-12, "score " + scores[i]);
        }
        assertTrue(tail.tailScale() > 0);

        double[] equal = new double[n];
        java.util.Arrays.fill(equal, 2.5);
        TailProbability weightedEqually = new TailProbability(scores, equal);
        TailProbability once = new TailProbability(scores);
        assertEquals(once.tailScale(), weightedEqually.tailScale(), 1e-12, "the same 90th percentile and mean excess");
        for (float s : new float[] {0f, 0.35f, 1f, 4.2f, 30f, 100f}) {
            assertEquals(once.logOf(s), weightedEqually.logOf(s), 1e-12, "at " + s);
        }
        assertEquals(once.floor(), weightedEqually.floor(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new TailProbability(scores, new double[n]), "weights summing to 0");
    }

    /**
     * Two clusters far apart, the first weighing three times the second: the mixture's weights are
     * their shares of the weight (0.75, 0.25), its means the clusters' weighted means; counted once
     * the shares are a half each.
     */
    @Test
    void gmmGivesEachClusterItsShareOfTheWeight() {
        int n = 400;
        FeatureBatch base = gaussian(n, 2, 12);
        float[] v = base.values().clone();
        double[] w = new double[n];
        SplittableRandom random = new SplittableRandom(13);
        double[][] weightedSum = new double[2][2];
        double[] clusterWeight = new double[2];
        for (int i = 0; i < n; i++) {
            int cluster = i % 2;
            v[i * 2] += cluster == 0 ? -20 : 20;
            w[i] = (cluster == 0 ? 3 : 1) * (0.5 + random.nextDouble());
            clusterWeight[cluster] += w[i];
            weightedSum[cluster][0] += w[i] * v[i * 2];
            weightedSum[cluster][1] += w[i] * v[i * 2 + 1];
        }
        FeatureBatch train = new FeatureBatch(v, n, new int[] {2});
        GaussianMixture gmm = new GaussianMixture(Hyperparameters.empty().with("components", "2"));
        gmm.fit(weighted(train, w), CONFIG);
        double share = clusterWeight[0] / (clusterWeight[0] + clusterWeight[1]);
        // the density at each cluster's weighted mean: the component there carries its share
        for (int cluster = 0; cluster < 2; cluster++) {
            double[] centre = {weightedSum[cluster][0] / clusterWeight[cluster], weightedSum[cluster][1] / clusterWeight[cluster]};
            double[] shifted = centre.clone();
            shifted[1] += 0.5;
            GaussianMixture.Mixture m = gmm.mixture();
            int component = Math.abs(m.means()[0][0] - centre[0]) < 1 ? 0 : 1;
            assertEquals(cluster == 0 ? share : 1 - share, m.weights()[component], 1e-6, "cluster " + cluster);
            assertArrayEquals(centre, m.means()[component], 1e-6);
        }
        GaussianMixture once = new GaussianMixture(Hyperparameters.empty().with("components", "2"));
        once.fit(new TrainingData(train, train.slice(0, 0)), CONFIG);
        assertEquals(0.5, once.mixture().weights()[0], 1e-6, "counted once, each cluster half the events");
    }

    /** combined calibrates on the events' weights, out of fold, and keeps them through a save and a load. */
    @Test
    void combinedCalibratesOnTheWeightsAndKeepsThem() throws Exception {
        FeatureBatch train = gaussian(300, 3, 14);
        FeatureBatch judged = gaussian(100, 3, 15);
        double[] w = weights(300, 16);
        CombinedDetector combined = new CombinedDetector(Hyperparameters.empty());
        assertTrue(combined.fitsWeights());
        combined.fit(named(train, w), CONFIG);
        for (TailProbability tail : combined.tails()) {
            double[] calibrationWeights = tail.weights();
            assertEquals(300, calibrationWeights.length);
            assertEquals(java.util.Arrays.stream(w).sum(), java.util.Arrays.stream(calibrationWeights).sum(), 1e-9, "every event calibrates, by its weight");
        }
        float[] scores = combined.score(judged);
        Path saved = Files.createDirectories(dir.resolve("combined"));
        combined.save(saved);
        CombinedDetector loaded = new CombinedDetector(Hyperparameters.empty());
        loaded.load(saved, new int[] {3}, new TrainingHistory());
        assertArrayEquals(scores, loaded.score(judged));
        assertArrayEquals(combined.tails().get(1).weights(), loaded.tails().get(1).weights());

        CombinedDetector withKnn = new CombinedDetector(Hyperparameters.empty().with("members", "kde,knn"));
        assertTrue(!withKnn.fitsWeights(), "knn counts each event once");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Detectors.requireFitsWeights(withKnn));
        assertTrue(refused.getMessage().contains("a member counts events once") && refused.getMessage().contains("kde"), refused.getMessage());
    }

    /**
     * A network draws its events by their weights: a flow never shown a cluster whose events weigh 0
     * gives it far less density than the flow that learnt from it; drawn again with the same seed,
     * the same scores.
     */
    @Test
    void aFlowLearnsOnlyFromTheEventsItsWeightsDraw() {
        int n = 1200;
        FeatureBatch base = gaussian(n, 2, 17);
        float[] v = base.values().clone();
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            float shift = i % 2 == 0 ? 2 : -2;
            v[i * 2] = 0.4f * v[i * 2] + shift;
            v[i * 2 + 1] = 0.4f * v[i * 2 + 1] + shift;
            w[i] = i % 2 == 0 ? 1.5 : 0;
        }
        FeatureBatch all = new FeatureBatch(v, n, new int[] {2});
        TrainingData once = TrainingData.split(all, 0.2, 5);
        TrainingData byWeight = TrainingData.split(all, w, 0.2, 5);
        FeatureBatch unseen = new FeatureBatch(new float[] {-2, -2, -2.2f, -1.9f, -1.8f, -2.1f}, 3, new int[] {2});
        TrainingConfig config = TrainingConfig.defaults(15, 2);
        try (NeuralSplineFlow learnt = new NeuralSplineFlow(Hyperparameters.empty());
             NeuralSplineFlow weighted = new NeuralSplineFlow(Hyperparameters.empty());
             NeuralSplineFlow again = new NeuralSplineFlow(Hyperparameters.empty())) {
            learnt.fit(once, config);
            weighted.fit(byWeight, config);
            again.fit(byWeight, config);
            float[] seen = learnt.score(unseen);
            float[] notSeen = weighted.score(unseen);
            for (int i = 0; i < seen.length; i++) {
                assertTrue(notSeen[i] > seen[i] + 5, "event " + i + ": -log p " + notSeen[i] + " never shown, " + seen[i] + " learnt from");
            }
            assertArrayEquals(notSeen, again.score(unseen), "the same seed, the same draws");
        }
    }

    /** A split sends each event's weight with it; one part as one, and rows of the training part, keep them too. */
    @Test
    void theWeightsGoWithTheirEventsThroughASplit() {
        int n = 200;
        float[] v = new float[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
            w[i] = 1 + i * 0.5; // each event's weight known from its value
        }
        TrainingData data = TrainingData.split(new FeatureBatch(v, n, new int[] {1}), w, 0.25, 3);
        assertTrue(data.weighted());
        assertEquals(50, data.validation().rows());
        for (FeatureBatch part : List.of(data.train(), data.validation())) {
            double[] partWeights = part == data.train() ? data.trainWeights() : data.validationWeights();
            for (int r = 0; r < part.rows(); r++) {
                assertEquals(1 + part.values()[r] * 0.5, partWeights[r], 0);
            }
        }
        TrainingData one = data.asOnePart();
        assertEquals(n, one.train().rows());
        assertEquals(java.util.Arrays.stream(w).sum(), java.util.Arrays.stream(one.trainWeights()).sum(), 1e-9);
        TrainingData rows = one.trainingRows(new int[] {5, 0});
        assertEquals(1 + rows.train().values()[0] * 0.5, rows.trainWeights()[0], 0);
        double[] negative = data.trainWeights();
        negative[3] = -1;
        assertThrows(IllegalArgumentException.class, () -> data.withWeights(negative, data.validationWeights()));
        assertThrows(IllegalArgumentException.class, () -> new TrainingData(data.train(), data.validation()).withWeights(
                new double[data.train().rows()], data.validationWeights()), "training weights summing to 0");
    }
}
