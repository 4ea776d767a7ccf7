package org.darkscope.detect;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.darkscope.feature.DensityUnits;
import org.darkscope.feature.FeatureBatch;

/**
 * {@code kde}: a Gaussian kernel density estimate of the background (E. Parzen, Ann. Math. Stat.
 * 33 (1962) 1065): p(x) = (1/N) sum_i N(x; x_i, h^2 S), S the training events' covariance and
 * h = bandwidth x N^(-1/(d+4)), Scott's rule (D. W. Scott, <em>Multivariate Density
 * Estimation</em>, Wiley 1992, eq. 6.42), as scipy's {@code gaussian_kde}. Every training event's
 * kernel is summed, exactly (log-sum-exp), in the training events' whitened coordinates. Nothing
 * is drawn at random: the same events give the same density, whatever the seed. The score is
 * -log p(x) of the standardised encoding, given per GeV of every energy and momentum (setting
 * {@code units}, {@link PhysicalDensity}), as {@code gmm}'s. A count that every training event has
 * the same value of (no b-jet in a b-veto sample) would give the kernels no width; there S takes
 * the variance of the count's values spread over their unit cells, spacing^2 / 12 (as {@code gmm}'s
 * dequantised counts), so that an event with another count is rare by how far it lies.
 *
 * <p>Training events that count by their weights ({@code train --weighted}) give each kernel its
 * weight, p(x) = sum_i w_i N(x; x_i, h^2 S) / sum_i w_i, with S their weighted covariance (divided by
 * W - sum w^2 / W, the unbiased one for such weights) and N in Scott's rule Kish's effective number
 * (sum w)^2 / sum w^2, as scipy's {@code gaussian_kde} with {@code weights}; an event of weight 0 is
 * no kernel.
 *
 * <p>Settings: {@code bandwidth} (1: Scott's rule; a factor on it), {@code units} (physical: per
 * GeV; or encoding).
 */
public final class KernelDensity implements Detector {
    private static final String FILE = "kernels.bin";
    /** The kernels' weights, in the order of {@link #FILE}'s events; absent where each counts once. */
    private static final String WEIGHTS_FILE = "kernel-weights.bin";
    /**
     * Where a count constant in the training events is given its width ({@link #constantCounts}): each
     * feature's variance, then the constant ones' names; absent where none is.
     */
    private static final String CONSTANT_COUNTS_FILE = "constant-counts.bin";
    /**
     * Training events above which {@link #advice} speaks: with 20,000 it scored 6,800-7,700 events/s
     * in memory on 2 cores, with the demo's 3,254 38,600-49,700 (docs/benchmarks.md).
     */
    static final int MANY_KERNELS = 20_000;

    public static final Setting BANDWIDTH = Setting.number("bandwidth", 1, 0, true, 100,
            "the kernels' width as a factor on Scott's rule, h = factor x N^(-1/(d+4)) in units of the background's covariance");
    public static final List<Setting> SETTINGS = List.of(BANDWIDTH, PhysicalDensity.UNITS);

    private final double bandwidth;
    private final String bandwidthSetting;
    private final String unitsSetting;
    private DensityUnits units = DensityUnits.NONE;
    /** The training events (standardised encoding), as stored in the bundle. */
    private float[] points;
    /** Their weights, each positive; null where each counts once. */
    private double[] weights;
    /** Per feature, the variance S takes where a count is constant in the training events (spacing^2 / 12), else 0. */
    private double[] constantCounts;
    /** The names of the counts constant in the training events, for {@link #advice}. */
    private List<String> constantNames = List.of();
    private Kernels kernels;

    public KernelDensity(Hyperparameters hp) {
        Hyperparameters settings = Setting.complete("kde", hp, SETTINGS);
        this.bandwidth = BANDWIDTH.number(settings);
        this.bandwidthSetting = BANDWIDTH.text(settings);
        this.unitsSetting = PhysicalDensity.UNITS.text(settings);
    }

    @Override
    public String name() {
        return "kde";
    }

    /** Nothing to validate: fitted on every training event. */
    @Override
    public boolean validates() {
        return false;
    }

    @Override
    public Hyperparameters hyperparameters() {
        return Hyperparameters.empty().with(BANDWIDTH.name(), bandwidthSetting).with(PhysicalDensity.UNITS.name(), unitsSetting);
    }

    /**
     * The numbers estimated from the training events: the kernels' covariance, d(d+1)/2. Nothing
     * is optimised; the training events themselves are kept, as {@code knn} keeps them, and not counted.
     */
    @Override
    public long parameterCount() {
        return kernels == null ? 0 : (long) kernels.d * (kernels.d + 1) / 2;
    }

    /** Each kernel weighs its event's weight. */
    @Override
    public boolean fitsWeights() {
        return true;
    }

    @Override
    public void fit(TrainingData background, TrainingConfig config) {
        FeatureBatch train = background.train();
        weights = null;
        if (background.weighted()) { // an event of weight 0 is no kernel
            double[] all = background.trainWeights();
            int[] kept = IntStream.range(0, all.length).filter(i -> all[i] > 0).toArray();
            train = train.select(kept);
            weights = java.util.Arrays.stream(kept).mapToDouble(i -> all[i]).toArray();
        }
        int d = train.rowSize();
        if (train.rows() <= d) {
            throw new IllegalArgumentException("kde needs more training events than features (" + d + ") for their covariance, got "
                    + train.rows() + (weights == null ? "" : " of weight above 0"));
        }
        points = train.values().clone();
        constantCounts = constantCounts(points, train.rows(), d, background.countSpacing());
        List<String> names = background.featureNames();
        constantNames = IntStream.range(0, d).filter(j -> constantCounts[j] > 0)
                .mapToObj(j -> names.size() == d ? names.get(j) : "feature " + j).toList();
        kernels = new Kernels(points, weights, train.rows(), d, bandwidth, constantCounts, background.featureNames());
        units = PhysicalDensity.chosen(hyperparameters(), background);
    }

    /**
     * Per feature, spacing^2 / 12 where it is a count ({@code spacing} > 0) that has one value in
     * every training event, 0 elsewhere: the variance of that count's values dequantised, spread
     * uniformly over their unit cells (L. Theis, A. van den Oord, M. Bethge, arXiv:1511.01844).
     */
    static double[] constantCounts(float[] points, int n, int d, double[] spacing) {
        double[] variance = new double[d];
        for (int j = 0; j < d && j < spacing.length; j++) {
            boolean constant = spacing[j] > 0;
            for (int i = 1; i < n && constant; i++) {
                constant = points[i * d + j] == points[j];
            }
            variance[j] = constant ? spacing[j] * spacing[j] / 12 : 0;
        }
        return variance;
    }

    /**
     * A count with one value in every training event: every event with another value is rare by that
     * alone. Beyond {@value #MANY_KERNELS} training events: scoring sums every kernel for every event,
     * so that its rate falls as one over their number, where {@code knn}, {@code flow} and {@code gmm} do not.
     */
    @Override
    public List<String> advice() {
        List<String> advice = new java.util.ArrayList<>();
        for (String name : constantNames) {
            advice.add("kde: " + name + " has one value in every training event (a veto?): an event with another value is rare by that"
                    + " alone, and the kernels' width there is the count's quantum (docs/detectors.md#kde)");
        }
        if (kernels != null && kernels.n > MANY_KERNELS) {
            advice.add(String.format(Locale.ROOT, "kde sums the kernels of all its %,d training events for every event it scores, so"
                    + " its scoring time grows in proportion to them; knn (a k-d tree), flow or gmm (a fixed cost per event) score faster"
                    + " at this size (docs/detectors.md#kde)", kernels.n));
        }
        return advice;
    }

    @Override
    public float[] score(FeatureBatch batch) {
        if (kernels == null) {
            throw new IllegalStateException("kde is not fitted");
        }
        if (batch.rowSize() != kernels.d) {
            throw new IllegalArgumentException("kde was fitted on " + kernels.d + " features, events have " + batch.rowSize());
        }
        return units.apply(batch, kernels.negativeLogDensity(batch));
    }

    /** The units its density is in: {@link DensityUnits#NONE} for the standardised features' own. */
    public DensityUnits densityUnits() {
        return units;
    }

    /** The kernels' lower-triangular factor L (L L^T = h^2 S), a copy; only once fitted or loaded. */
    public double[][] kernelCholesky() {
        return java.util.Arrays.stream(kernels.cholesky).map(double[]::clone).toArray(double[][]::new);
    }

    /**
     * The training events, whitened by the kernels' factor (L^-1 x), feature by feature: element
     * j N + i is feature j of event i; only once fitted or loaded.
     */
    public double[] whitenedTrainingEventsByFeature() {
        double[] events = new double[kernels.d * kernels.n];
        for (int j = 0; j < kernels.d; j++) {
            System.arraycopy(kernels.columns[j], 0, events, j * kernels.n, kernels.n);
        }
        return events;
    }

    /** log of the normalisation every kernel shares: -log N (-log W, their total weight, where weighted) - log det L - d/2 log 2 pi. */
    public double logNormalisation() {
        return kernels.logNormalisation;
    }

    /** Each kernel's log weight, in the order of {@link #whitenedTrainingEventsByFeature}; null where each counts once. */
    public double[] logKernelWeights() {
        return kernels.logWeights == null ? null : kernels.logWeights.clone();
    }

    @Override
    public List<Path> save(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(kernels.n);
            out.writeInt(kernels.d);
            for (float v : points) {
                out.writeFloat(v);
            }
        }
        List<Path> files = new java.util.ArrayList<>(List.of(file, PhysicalDensity.save(directory, units)));
        if (weights != null) {
            files.add(WeightsFile.write(directory.resolve(WEIGHTS_FILE), weights));
        }
        if (java.util.Arrays.stream(constantCounts).allMatch(v -> v == 0)) {
            return files;
        }
        Path counts = directory.resolve(CONSTANT_COUNTS_FILE);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(counts))) {
            for (double v : constantCounts) {
                out.writeDouble(v);
            }
            for (String name : constantNames) {
                out.writeUTF(name);
            }
        }
        files.add(counts);
        return files;
    }

    @Override
    public void load(Path directory, int[] inputShape, TrainingHistory history) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(directory.resolve(FILE))))) {
            int n = in.readInt();
            int d = in.readInt();
            if (d != FeatureBatch.product(inputShape) || n <= d || (long) n * d > Integer.MAX_VALUE - 8) {
                throw new IOException(String.format(Locale.ROOT, "%s holds %d events of %d features; the encoding has %d",
                        FILE, n, d, FeatureBatch.product(inputShape)));
            }
            float[] stored = new float[n * d];
            for (int i = 0; i < stored.length; i++) {
                stored[i] = in.readFloat();
            }
            points = stored;
            constantCounts = new double[d];
            Path counts = directory.resolve(CONSTANT_COUNTS_FILE);
            if (Files.exists(counts)) {
                try (DataInputStream c = new DataInputStream(Files.newInputStream(counts))) {
                    List<String> names = new java.util.ArrayList<>();
                    for (int j = 0; j < d; j++) {
                        constantCounts[j] = c.readDouble();
                    }
                    for (double v : constantCounts) {
                        if (v > 0) {
                            names.add(c.readUTF());
                        }
                    }
                    constantNames = List.copyOf(names);
                }
            }
            weights = WeightsFile.read(directory.resolve(WEIGHTS_FILE), n, true);
            kernels = new Kernels(points, weights, n, d, bandwidth, constantCounts, List.of());
        }
        units = PhysicalDensity.load(directory, name(), kernels.d);
    }

    /** The kernels ready to evaluate: the factor of h^2 S, the whitened training events, the shared normalisation. */
    private static final class Kernels {
        /** Squared whitened distances beyond the nearest's by more than this give terms below exp(-40) = 4e-18: left out. */
        private static final double NEGLIGIBLE = 80;
        /** Events scored by one task, which reuses one array of squared distances for all of them. */
        private static final int BLOCK = 256;
        final int n;
        final int d;
        final double[][] cholesky;
        /** The whitened training events, feature by feature: columns[j][i] is feature j of event i. */
        final double[][] columns;
        final double logNormalisation;
        /** Each kernel's log weight; null where each counts once. */
        final double[] logWeights;

        /**
         * The kernels of {@code n} events of {@code d} features, each weighing {@code weights} (null:
         * once); {@code constantCounts} is added to the diagonal of their covariance S
         * ({@link #constantCounts}), {@code names} names the features in a refusal (empty where not known).
         */
        Kernels(float[] points, double[] weights, int n, int d, double bandwidth, double[] constantCounts, List<String> names) {
            this.n = n;
            this.d = d;
            double total = weights == null ? n : java.util.Arrays.stream(weights).sum();
            double squares = weights == null ? n : java.util.Arrays.stream(weights).map(w -> w * w).sum();
            double[] mean = new double[d];
            for (int i = 0; i < n; i++) {
                double w = weights == null ? 1 : weights[i];
                for (int j = 0; j < d; j++) {
                    mean[j] += w * points[i * d + j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= total;
            }
            // Scott's N: Kish's effective number (sum w)^2 / sum w^2, N where each counts once
            double h = bandwidth * Math.pow(weights == null ? n : org.darkscope.metric.Evaluation.kish(total, squares), -1.0 / (d + 4));
            double[][] covariance = new double[d][d];
            for (int i = 0; i < n; i++) {
                double w = weights == null ? 1 : weights[i];
                for (int a = 0; a < d; a++) {
                    double da = w * (points[i * d + a] - mean[a]);
                    for (int b = 0; b <= a; b++) {
                        covariance[a][b] += da * (points[i * d + b] - mean[b]);
                    }
                }
            }
            double divisor = weights == null ? n - 1 : total - squares / total; // N - 1 where each counts once
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    covariance[a][b] *= h * h / divisor;
                    if (a == b) {
                        covariance[a][a] += h * h * constantCounts[a];
                    }
                    covariance[b][a] = covariance[a][b];
                }
            }
            cholesky = Cholesky.lower(covariance, i -> "kde: the training events' covariance is singular (feature " + i
                    + (names.size() == d ? " (" + names.get(i) + ")" : "") + " is constant, or a combination of the others): the kernels"
                    + " would have no width there; train on events in which it varies, or choose an encoding without it (--encoding)");
            double logDet = 0;
            for (int j = 0; j < d; j++) {
                logDet += Math.log(cholesky[j][j]);
            }
            logNormalisation = -Math.log(total) - logDet - 0.5 * d * Math.log(2 * Math.PI);
            logWeights = weights == null ? null : java.util.Arrays.stream(weights).map(Math::log).toArray();
            columns = new double[d][n];
            double[] x = new double[d];
            double[] w = new double[d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    x[j] = points[i * d + j];
                }
                whiten(x, w);
                for (int j = 0; j < d; j++) {
                    columns[j][i] = w[j];
                }
            }
        }

        /** L^-1 x into {@code out}. */
        void whiten(double[] x, double[] out) {
            Cholesky.solveLower(cholesky, x, null, out, 0);
        }

        float[] negativeLogDensity(FeatureBatch batch) {
            float[] scores = new float[batch.rows()];
            float[] v = batch.values();
            // each event's sum is independent: blocks in parallel, and the same result in any order
            IntStream.range(0, (batch.rows() + BLOCK - 1) / BLOCK).parallel().forEach(block -> {
                double[] x = new double[d];
                double[] q = new double[d];
                double[] squared = new double[n];
                for (int r = block * BLOCK; r < Math.min(batch.rows(), (block + 1) * BLOCK); r++) {
                    for (int j = 0; j < d; j++) {
                        x[j] = v[r * d + j];
                    }
                    whiten(x, q);
                    scores[r] = (float) negativeLogDensity(q, squared);
                }
            });
            return scores;
        }

        /** -log p of the whitened event q: log-sum-exp of -|q - x_i|^2 / 2 over the kernels; {@code squared} is scratch space of n. */
        private double negativeLogDensity(double[] q, double[] squared) {
            double q0 = q[0];
            double[] first = columns[0];
            for (int i = 0; i < n; i++) {
                double t = q0 - first[i];
                squared[i] = t * t;
            }
            for (int j = 1; j < d; j++) { // feature by feature over every kernel, which C2 vectorises: 1.3-1.6 times the rate of event by event
                double qj = q[j];
                double[] column = columns[j];
                for (int i = 0; i < n; i++) {
                    double t = qj - column[i];
                    squared[i] += t * t;
                }
            }
            if (logWeights != null) {
                return weightedNegativeLogDensity(squared);
            }
            double nearest = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                nearest = Math.min(nearest, squared[i]);
            }
            double sum = 0; // at least 1, the nearest kernel's term
            for (int i = 0; i < n; i++) {
                double beyond = squared[i] - nearest;
                if (beyond < NEGLIGIBLE) { // a farther kernel adds less than half a unit in the last place of the sum
                    sum += Math.exp(-0.5 * beyond);
                }
            }
            return -(logNormalisation - 0.5 * nearest + Math.log(sum));
        }

        /** -log p from the squared whitened distances to the kernels: log-sum-exp of log w_i - |q - x_i|^2 / 2. */
        private double weightedNegativeLogDensity(double[] squared) {
            double largest = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                largest = Math.max(largest, logWeights[i] - 0.5 * squared[i]);
            }
            double sum = 0; // at least 1, the largest term's
            for (int i = 0; i < n; i++) {
                double below = largest - (logWeights[i] - 0.5 * squared[i]);
                if (below < 0.5 * NEGLIGIBLE) {
                    sum += Math.exp(-below);
                }
            }
            return -(logNormalisation + largest + Math.log(sum));
        }
    }
}
