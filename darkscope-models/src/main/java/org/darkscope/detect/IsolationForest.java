package org.darkscope.detect;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.stats.RandomOrder;

/**
 * Isolation forest (F. T. Liu, K. M. Ting, Z.-H. Zhou, "Isolation Forest", ICDM 2008): random
 * axis-parallel splits isolate anomalies in fewer steps than normal points. Score
 * s = 2^(-E[h(x)] / c(psi)), the paper's normalised score in (0, 1), with h the path length and
 * c(psi) the average path length of an unsuccessful search in a binary search tree of psi points.
 *
 * <p>Settings: {@code trees} (100), {@code subsample} (256).
 */
public final class IsolationForest implements Detector {
    private static final double EULER_GAMMA = 0.5772156649015329;

    private final int trees;
    private final int subsample;
    /** Per tree, nodes in arrays: split feature (-1 for a leaf), split value, children, leaf size. */
    private Forest forest;

    /** The fitted forest, as stored in the bundle. */
    record Forest(int psi, int[][] feature, float[][] split, int[][] left, int[][] right, int[][] size) {
    }

    public static final Setting TREES = Setting.integer("trees", 100, 1, 100_000, "number of isolation trees");
    public static final Setting SUBSAMPLE = Setting.integer("subsample", 256, 2, 1 << 24, "events drawn to grow each tree (psi)");
    public static final List<Setting> SETTINGS = List.of(TREES, SUBSAMPLE);

    public IsolationForest(Hyperparameters hp) {
        Hyperparameters settings = Setting.complete("iforest", hp, SETTINGS);
        this.trees = TREES.integer(settings);
        this.subsample = SUBSAMPLE.integer(settings);
    }

    @Override
    public String name() {
        return "iforest";
    }

    /** Nothing to validate: fitted on every training event. */
    @Override
    public boolean validates() {
        return false;
    }

    @Override
    public Hyperparameters hyperparameters() {
        return Hyperparameters.empty().with("trees", trees).with("subsample", subsample);
    }

    @Override
    public void fit(TrainingData background, TrainingConfig config) {
        FeatureBatch data = background.train();
        int n = data.rows();
        int psi = Math.min(subsample, n);
        int heightLimit = (int) Math.ceil(Math.log(psi) / Math.log(2));
        SplittableRandom random = new SplittableRandom(config.seed());
        int[][] feature = new int[trees][];
        float[][] split = new float[trees][];
        int[][] left = new int[trees][];
        int[][] right = new int[trees][];
        int[][] size = new int[trees][];
        for (int t = 0; t < trees; t++) {
            int[] rows = sampleWithoutReplacement(n, psi, random);
            TreeBuilder builder = new TreeBuilder(data, 2 * psi);
            builder.build(rows, 0, rows.length, 0, heightLimit, random);
            feature[t] = java.util.Arrays.copyOf(builder.feature, builder.nodes);
            split[t] = java.util.Arrays.copyOf(builder.split, builder.nodes);
            left[t] = java.util.Arrays.copyOf(builder.left, builder.nodes);
            right[t] = java.util.Arrays.copyOf(builder.right, builder.nodes);
            size[t] = java.util.Arrays.copyOf(builder.size, builder.nodes);
        }
        forest = new Forest(psi, feature, split, left, right, size);
    }

    private static int[] sampleWithoutReplacement(int n, int k, SplittableRandom random) {
        return java.util.Arrays.copyOf(RandomOrder.permutation(n, random), k);
    }

    /** Grows one isolation tree into flat arrays. */
    private static final class TreeBuilder {
        final FeatureBatch data;
        final int[] feature;
        final float[] split;
        final int[] left;
        final int[] right;
        final int[] size;
        int nodes;

        TreeBuilder(FeatureBatch data, int capacity) {
            this.data = data;
            feature = new int[capacity];
            split = new float[capacity];
            left = new int[capacity];
            right = new int[capacity];
            size = new int[capacity];
        }

        int build(int[] rows, int from, int to, int depth, int heightLimit, SplittableRandom random) {
            int node = nodes++;
            int d = data.rowSize();
            float[] x = data.values();
            feature[node] = -1;
            size[node] = to - from;
            if (to - from <= 1 || depth >= heightLimit) {
                return node;
            }
            // Pick a feature that is not constant on these rows (the paper picks at random; a
            // constant one cannot split, so try the features in random order).
            int start = random.nextInt(d);
            for (int k = 0; k < d; k++) {
                int f = (start + k) % d;
                float min = Float.POSITIVE_INFINITY;
                float max = Float.NEGATIVE_INFINITY;
                for (int i = from; i < to; i++) {
                    float v = x[rows[i] * d + f];
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                if (max > min) {
                    float p = (float) (min + random.nextDouble() * (max - min));
                    if (p <= min) {
                        p = Math.nextUp(min);
                    }
                    int mid = partition(rows, from, to, f, p);
                    feature[node] = f;
                    split[node] = p;
                    left[node] = build(rows, from, mid, depth + 1, heightLimit, random);
                    right[node] = build(rows, mid, to, depth + 1, heightLimit, random);
                    return node;
                }
            }
            return node; // all rows identical: a leaf
        }

        private int partition(int[] rows, int from, int to, int f, float p) {
            int d = data.rowSize();
            float[] x = data.values();
            int i = from;
            int j = to - 1;
            while (i <= j) {
                if (x[rows[i] * d + f] < p) {
                    i++;
                } else {
                    int t = rows[i];
                    rows[i] = rows[j];
                    rows[j] = t;
                    j--;
                }
            }
            return i;
        }
    }

    /** c(n): average path length of an unsuccessful search in a binary search tree of n points. */
    static double averagePathLength(int n) {
        if (n <= 1) {
            return 0;
        }
        if (n == 2) {
            return 1;
        }
        double harmonic = Math.log(n - 1) + EULER_GAMMA;
        return 2 * harmonic - 2.0 * (n - 1) / n;
    }

    @Override
    public float[] score(FeatureBatch batch) {
        if (forest == null) {
            throw new IllegalStateException("iforest is not fitted");
        }
        int d = batch.rowSize();
        float[] x = batch.values();
        float[] scores = new float[batch.rows()];
        double norm = averagePathLength(forest.psi());
        for (int r = 0; r < batch.rows(); r++) {
            double total = 0;
            for (int t = 0; t < forest.feature().length; t++) {
                int node = 0;
                int depth = 0;
                int[] feature = forest.feature()[t];
                while (feature[node] >= 0) {
                    node = x[r * d + feature[node]] < forest.split()[t][node] ? forest.left()[t][node] : forest.right()[t][node];
                    depth++;
                }
                total += depth + averagePathLength(forest.size()[t][node]);
            }
            scores[r] = (float) Math.pow(2, -(total / forest.feature().length) / norm);
        }
        return scores;
    }

    @Override
    public List<Path> save(Path directory) throws IOException {
        Path file = directory.resolve("forest.json");
        new ObjectMapper().writeValue(file.toFile(), forest);
        return List.of(file);
    }

    @Override
    public void load(Path directory, int[] inputShape, TrainingHistory history) throws IOException {
        forest = new ObjectMapper().readValue(directory.resolve("forest.json").toFile(), Forest.class);
    }
}
