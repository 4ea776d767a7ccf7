package org.darkscope.examples;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.darkscope.detect.Detector;
import org.darkscope.detect.Hyperparameters;
import org.darkscope.detect.Setting;
import org.darkscope.detect.TrainingConfig;
import org.darkscope.detect.TrainingData;
import org.darkscope.detect.TrainingHistory;
import org.darkscope.feature.FeatureBatch;

/**
 * {@code mahalanobis}, a detector of one's own: the squared Mahalanobis distance of an event
 * from the background's mean, (x - mu)^T C^-1 (x - mu), with C the background's covariance
 * (P. C. Mahalanobis, Proc. Natl. Inst. Sci. India 2 (1936) 49) plus {@code ridge} on its
 * diagonal. For a Gaussian background it is -2 log p(x) up to a constant. It shows what a plug-in
 * needs: a name, declared settings, fit, score, save and load.
 */
public final class MahalanobisDistance implements Detector {
    /** The declared setting: what {@code --set ridge=...} may give. */
    public static final Setting RIDGE = Setting.number("ridge", 1e-6, 0, false, 1e3,
            "added to the covariance's diagonal (standardised units), so that it can be inverted");
    public static final List<Setting> SETTINGS = List.of(RIDGE);
    private static final String FILE = "mahalanobis.bin";

    private final Hyperparameters settings;
    private double[] mean;
    private double[][] inverse;

    public MahalanobisDistance(Hyperparameters given) {
        this.settings = Setting.complete("mahalanobis", given, SETTINGS);
    }

    @Override
    public String name() {
        return "mahalanobis";
    }

    @Override
    public Hyperparameters hyperparameters() {
        return settings;
    }

    @Override
    public void fit(TrainingData background, TrainingConfig config) {
        FeatureBatch x = background.train();
        int d = x.rowSize();
        mean = new double[d];
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x.values()[i * d + j] / (double) x.rows();
            }
        }
        double[][] covariance = new double[d][d];
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    covariance[j][k] += (x.values()[i * d + j] - mean[j]) * (x.values()[i * d + k] - mean[k]) / (x.rows() - 1.0);
                }
            }
        }
        for (int j = 0; j < d; j++) {
            covariance[j][j] += RIDGE.number(settings);
        }
        inverse = invert(covariance);
    }

    @Override
    public float[] score(FeatureBatch batch) {
        int d = mean.length;
        float[] scores = new float[batch.rows()];
        double[] y = new double[d];
        for (int i = 0; i < batch.rows(); i++) {
            for (int j = 0; j < d; j++) {
                y[j] = batch.values()[i * d + j] - mean[j];
            }
            double s = 0;
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    s += y[j] * inverse[j][k] * y[k];
                }
            }
            scores[i] = (float) s;
        }
        return scores;
    }

    @Override
    public List<Path> save(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(mean.length);
            for (double m : mean) {
                out.writeDouble(m);
            }
            for (double[] row : inverse) {
                for (double v : row) {
                    out.writeDouble(v);
                }
            }
        }
        return List.of(file);
    }

    @Override
    public void load(Path directory, int[] inputShape, TrainingHistory history) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(directory.resolve(FILE)))) {
            int d = in.readInt();
            if (d != FeatureBatch.product(inputShape)) {
                throw new IOException(FILE + " holds " + d + " features, the encoding " + FeatureBatch.product(inputShape));
            }
            mean = new double[d];
            inverse = new double[d][d];
            for (int j = 0; j < d; j++) {
                mean[j] = in.readDouble();
            }
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    inverse[j][k] = in.readDouble();
                }
            }
        }
    }

    /** The inverse of a symmetric positive-definite matrix, by Gauss-Jordan elimination with partial pivoting. */
    static double[][] invert(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            if (Math.abs(m[pivot][col]) < 1e-300) {
                throw new IllegalArgumentException("the background's covariance is singular: raise ridge");
            }
            double[] swap = m[col];
            m[col] = m[pivot];
            m[pivot] = swap;
            double p = m[col][col];
            for (int k = 0; k < 2 * n; k++) {
                m[col][k] /= p;
            }
            for (int r = 0; r < n; r++) {
                if (r != col && m[r][col] != 0) {
                    double f = m[r][col];
                    for (int k = 0; k < 2 * n; k++) {
                        m[r][k] -= f * m[col][k];
                    }
                }
            }
        }
        double[][] inverse = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, inverse[i], 0, n);
        }
        return inverse;
    }
}
