package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.feature.FittedEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code knn} and its k-d tree against a brute-force search over every training event. */
class NearestNeighboursTest {
    /** The k smallest squared distances from row {@code r} of {@code queries} to every training row, sorted. */
    private static double[] bruteForce(FeatureBatch train, FeatureBatch queries, int r, int k) {
        int d = train.rowSize();
        double[] all = new double[train.rows()];
        for (int i = 0; i < train.rows(); i++) {
            double s = 0;
            for (int c = 0; c < d; c++) {
                double diff = queries.values()[r * d + c] - train.values()[i * d + c];
                s += diff * diff;
            }
            all[i] = s;
        }
        Arrays.sort(all);
        return Arrays.copyOf(all, k);
    }

    @Test
    void treeFindsTheSameNeighboursAsBruteForce() {
        SplittableRandom random = new SplittableRandom(3);
        for (int d : new int[] {1, 3, 8, 20}) {
            int n = 2000;
            float[] values = new float[n * d];
            for (int i = 0; i < values.length; i++) {
                // a lattice in some coordinates (ties, as object counts give) and continuous ones elsewhere
                values[i] = i % 3 == 0 ? random.nextInt(4) : (float) random.nextGaussian();
            }
            FeatureBatch train = new FeatureBatch(values, n, new int[] {d});
            KdTree tree = new KdTree(values, n, d);
            float[] q = new float[50 * d];
            for (int i = 0; i < q.length; i++) {
                q[i] = (float) (random.nextGaussian() * 2);
            }
            FeatureBatch queries = new FeatureBatch(q, 50, new int[] {d});
            for (int k : new int[] {1, 7, 40}) {
                double[] found = new double[k];
                for (int r = 0; r < 50; r++) {
                    tree.nearest(q, r * d, k, found);
                    assertArrayEquals(bruteForce(train, queries, r, k), found, 0.0, "d=" + d + " k=" + k + " query " + r);
                }
            }
        }
    }

    @Test
    void scoresTheKthDistanceOnRealEventsAndReloadsTheSame(@TempDir Path dir) throws Exception {
        FittedEncoder encoder = SampleEvents.encoder("event-level");
        TrainingData data = SampleEvents.trainingData(encoder);
        FeatureBatch heldOut = SampleEvents.encode(encoder, SampleEvents.heldOutBackground());
        int k = 10;
        try (NearestNeighbours knn = new NearestNeighbours(Hyperparameters.empty().with("k", k))) {
            knn.fit(data, TrainingConfig.defaults(1, 1));
            float[] scores = knn.score(heldOut);
            for (int r = 0; r < heldOut.rows(); r += 37) {
                double expected = Math.sqrt(bruteForce(data.train(), heldOut, r, k)[k - 1]);
                assertEquals((float) expected, scores[r], 0f, "event " + r);
            }
            knn.save(dir);
            try (NearestNeighbours loaded = new NearestNeighbours(knn.hyperparameters())) {
                loaded.load(dir, new int[] {heldOut.rowSize()}, new TrainingHistory());
                assertArrayEquals(scores, loaded.score(heldOut));
            }
        }
    }

    @Test
    void meanMethodAveragesTheKDistances() {
        float[] train = {0, 1, 3, 6};
        FeatureBatch batch = new FeatureBatch(train, 4, new int[] {1});
        try (NearestNeighbours knn = new NearestNeighbours(Hyperparameters.empty().with("k", 3).with("method", "mean"))) {
            knn.fit(new TrainingData(batch, new FeatureBatch(new float[0], 0, new int[] {1})), TrainingConfig.defaults(1, 1));
            // from 2: distances 1, 1, 2 (to 1, 3, 0): mean 4/3
            assertEquals(4f / 3f, knn.score(new FeatureBatch(new float[] {2}, 1, new int[] {1}))[0], 1e-6f);
        }
    }
}
