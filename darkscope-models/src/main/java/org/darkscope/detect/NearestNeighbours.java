package org.darkscope.detect;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.darkscope.feature.FeatureBatch;

/**
 * {@code knn}: the distance to the k-th nearest training background event (S. Ramaswamy,
 * R. Rastogi, K. Shim, "Efficient algorithms for mining outliers from large data sets", SIGMOD
 * 2000; PyOD's {@code KNN}), Euclidean in the standardised encoding. A density estimate without a
 * model: the k-th neighbour distance r_k of an event relates to the background density there as
 * p ~ k / (N r_k^d), so a large distance is a rare event. Nothing is trained; the fitted state is
 * the training events themselves, searched with a {@link KdTree}.
 *
 * <p>Settings: {@code k} (10), {@code method} ({@code largest}: the k-th distance, or
 * {@code mean}: the mean of the k nearest distances).
 */
public final class NearestNeighbours implements Detector {
    private static final String FILE = "neighbours.bin";

    private final int k;
    private final boolean mean;
    private KdTree tree;
    private int dimensions;

    public static final Setting K = Setting.integer("k", 10, 1, 10_000, "number of nearest training events");
    public static final Setting METHOD = Setting.choice("method", "largest", "the score: the k-th distance, or the mean of the k distances",
            "largest", "mean");
    public static final List<Setting> SETTINGS = List.of(K, METHOD);

    public NearestNeighbours(Hyperparameters hp) {
        Hyperparameters settings = Setting.complete("knn", hp, SETTINGS);
        this.k = K.integer(settings);
        this.mean = METHOD.text(settings).equals("mean");
    }

    @Override
    public String name() {
        return "knn";
    }

    /** Nothing to validate: fitted on every training event. */
    @Override
    public boolean validates() {
        return false;
    }

    @Override
    public Hyperparameters hyperparameters() {
        return Hyperparameters.empty().with("k", k).with("method", mean ? "mean" : "largest");
    }

    @Override
    public void fit(TrainingData background, TrainingConfig config) {
        FeatureBatch train = background.train();
        if (train.rows() < k) {
            throw new IllegalArgumentException("knn with k=" + k + " needs at least " + k + " training events, got " + train.rows());
        }
        dimensions = train.rowSize();
        tree = new KdTree(train.values(), train.rows(), dimensions);
    }

    /** The training events the distances are measured to (in the k-d tree's order). */
    public FeatureBatch trainingEvents() {
        if (tree == null) {
            throw new IllegalStateException("knn is not fitted");
        }
        return new FeatureBatch(tree.points().clone(), tree.size(), new int[] {dimensions});
    }

    /** The number of neighbours. */
    public int k() {
        return k;
    }

    /** Whether the score is the mean of the k distances (else the k-th). */
    public boolean meanOfDistances() {
        return mean;
    }

    @Override
    public float[] score(FeatureBatch batch) {
        if (tree == null) {
            throw new IllegalStateException("knn is not fitted");
        }
        if (batch.rowSize() != dimensions) {
            throw new IllegalArgumentException("knn was fitted on " + dimensions + " features, events have " + batch.rowSize());
        }
        float[] scores = new float[batch.rows()];
        float[] x = batch.values();
        // each event's search is independent: parallel, and the same result in any order
        IntStream.range(0, batch.rows()).parallel().forEach(r -> {
            double[] nearest = new double[k];
            tree.nearest(x, r * dimensions, k, nearest);
            if (mean) {
                double sum = 0;
                for (double s : nearest) {
                    sum += Math.sqrt(s);
                }
                scores[r] = (float) (sum / k);
            } else {
                scores[r] = (float) Math.sqrt(nearest[k - 1]);
            }
        });
        return scores;
    }

    @Override
    public List<Path> save(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        float[] points = tree.points();
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(tree.size());
            out.writeInt(dimensions);
            for (float v : points) {
                out.writeFloat(v);
            }
        }
        return List.of(file);
    }

    @Override
    public void load(Path directory, int[] inputShape, TrainingHistory history) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(directory.resolve(FILE))))) {
            int n = in.readInt();
            int d = in.readInt();
            if (d != FeatureBatch.product(inputShape) || n < k || (long) n * d > Integer.MAX_VALUE - 8) {
                throw new IOException(String.format(Locale.ROOT, "%s holds %d events of %d features; the encoding has %d and k=%d",
                        FILE, n, d, FeatureBatch.product(inputShape), k));
            }
            float[] points = new float[n * d];
            for (int i = 0; i < points.length; i++) {
                points[i] = in.readFloat();
            }
            dimensions = d;
            tree = new KdTree(points, n, d);
        }
    }
}
