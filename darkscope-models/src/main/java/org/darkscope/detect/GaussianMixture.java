package org.darkscope.detect;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.darkscope.feature.DensityUnits;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.stats.RandomOrder;

/**
 * {@code gmm}: a Gaussian mixture density of the background, fitted by expectation-maximisation
 * (A. P. Dempster, N. M. Laird, D. B. Rubin, J. R. Stat. Soc. B 39 (1977) 1), full covariance
 * matrices, means seeded by k-means++ (D. Arthur, S. Vassilvitskii, SODA 2007). The score is
 * -log p(x), fitted on the standardised encoding and given per GeV of every energy and momentum
 * (setting {@code units}, {@link PhysicalDensity}): a real density, so that "rare" has a meaning a
 * physicist can check (the mean score of held-out background is its negative log-likelihood).
 *
 * <p>Settings: {@code components} (a number, or {@code auto}: 1, 2, 4, 8 and 16 components are
 * fitted and the number with the highest log-likelihood of the validation background is kept, a
 * choice made on background alone, then fitted again on every event, the validation events included),
 * {@code regularization} (1e-3, added to every covariance's
 * diagonal), {@code iterations} (300, at most; EM stops earlier when the mean log-likelihood gains
 * less than 1e-6), {@code units} (physical: per GeV; or encoding).
 *
 * <p>Counts (of b-jets, of leptons) are integers, and a Gaussian on integers can shrink onto one of
 * them, its likelihood growing without bound (C. M. Bishop, <i>Pattern Recognition and Machine
 * Learning</i>, 2006, Sect. 9.2.1): with the floor alone, the demo's mixture had 11 of its 16
 * components on a single lepton count and one on a single b-jet count. The mixture is therefore
 * the density of the counts dequantised, each spread uniformly over its unit cell (L. Theis, A. van
 * den Oord, M. Bethge, ICLR 2016, arXiv:1511.01844): in expectation that adds the uniform
 * variance, spacing^2 / 12, to a count's diagonal in every M-step ({@link TrainingData#countSpacing()}).
 *
 * <p>Training events that count by their weights ({@code train --weighted}) weigh in every sum of
 * EM (the responsibilities times the weight), in the k-means++ draws (with probability proportional
 * to the weight, times the squared distance) and in the validation likelihood of {@code auto}, the
 * weighted mean; the ten events per component and dimension that {@code auto} asks for count Kish's
 * effective number, (sum w)^2 / sum w^2.
 */
public final class GaussianMixture implements Detector {
    private static final String FILE = "mixture.json";
    private static final int[] AUTO = {1, 2, 4, 8, 16};
    private static final double TOLERANCE = 1e-6;

    private final String components;
    private final double regularization;
    private final int iterations;
    private Mixture mixture;
    private Density density;
    /** The setting {@code units}, as given ({@link PhysicalDensity}). */
    private final String unitsSetting;
    private DensityUnits units = DensityUnits.NONE;

    /** The fitted mixture, as stored in the bundle: each component's weight, mean and full covariance. */
    public record Mixture(double[] weights, double[][] means, double[][][] covariances) {
    }

    /** The lower-triangular Cholesky factor L of component {@code c}'s covariance (L L^T = Sigma), a copy. */
    public double[][] cholesky(int c) {
        if (density == null) {
            throw new IllegalStateException("gmm is not fitted");
        }
        return java.util.Arrays.stream(density.cholesky[c]).map(double[]::clone).toArray(double[][]::new);
    }

    /** The fitted mixture (the arrays are the model's own: do not change them). */
    public Mixture mixture() {
        if (mixture == null) {
            throw new IllegalStateException("gmm is not fitted");
        }
        return mixture;
    }

    /** The most components accepted: beyond it, full covariances in these dimensions need more events than anyone trains on. */
    private static final int MAX_COMPONENTS = 64;
    public static final Setting COMPONENTS = Setting.of("components", "integer", "1 to " + MAX_COMPONENTS + ", or auto", "auto",
            "mixture components; auto: the best of 1, 2, 4, 8, 16 by validation likelihood, fitted again on every event",
            v -> v.equals("auto") || v.matches("[0-9]{1,2}") && Integer.parseInt(v) >= 1 && Integer.parseInt(v) <= MAX_COMPONENTS);
    public static final Setting REGULARIZATION = Setting.number("regularization", 1e-3, 0, true, 1e3,
            "added to every covariance's diagonal (standardised units)");
    public static final Setting ITERATIONS = Setting.integer("iterations", 300, 1, 100_000, "most EM iterations per fit");
    public static final List<Setting> SETTINGS = List.of(COMPONENTS, REGULARIZATION, ITERATIONS, PhysicalDensity.UNITS);

    public GaussianMixture(Hyperparameters hp) {
        Hyperparameters settings = Setting.complete("gmm", hp, SETTINGS);
        this.components = COMPONENTS.text(settings);
        this.regularization = REGULARIZATION.number(settings);
        this.iterations = ITERATIONS.integer(settings);
        this.unitsSetting = PhysicalDensity.UNITS.text(settings);
    }

    @Override
    public String name() {
        return "gmm";
    }

    @Override
    public Hyperparameters hyperparameters() {
        String k = mixture != null ? String.valueOf(mixture.weights().length) : components;
        return Hyperparameters.empty().with("components", k).with("regularization", regularization)
                .with("iterations", iterations).with(PhysicalDensity.UNITS.name(), unitsSetting);
    }

    /** Only {@code components=auto} validates (it chooses on the validation likelihood); a fixed number fits on every event. */
    @Override
    public boolean validates() {
        return components.equals("auto");
    }

    @Override
    public long parameterCount() {
        if (mixture == null) {
            return 0;
        }
        int k = mixture.weights().length;
        int d = mixture.means()[0].length;
        return (long) k * (1 + d + d * (d + 1) / 2) - 1;
    }

    /** Every sum of EM counts the events by their weights. */
    @Override
    public boolean fitsWeights() {
        return true;
    }

    @Override
    public void fit(TrainingData background, TrainingConfig config) {
        FeatureBatch train = background.train();
        units = PhysicalDensity.chosen(hyperparameters(), background);
        double[] floor = diagonalFloor(background.countSpacing(), train.rowSize());
        double[][] x = rows(train); // once, for every number of components tried
        // weights scaled to a mean of 1, so that a component's summed responsibility reads as a number of events
        double[] w = background.weighted() ? meanOne(background.trainWeights()) : null;
        if (components.equals("auto")) {
            if (background.validation().rows() == 0) {
                throw new IllegalArgumentException("gmm with components=auto chooses on the validation background: "
                        + "use a validation fraction above 0, or set components");
            }
            double effective = org.darkscope.metric.Evaluation.effectiveEvents(w, train.rows());
            double bestLikelihood = Double.NEGATIVE_INFINITY;
            int chosen = 0;
            for (int k : AUTO) {
                if (k > 1 && effective < 10.0 * k * train.rowSize()) {
                    break; // fewer than ten events per component and dimension: not a density estimate
                }
                double likelihood = -mean(new Density(fitMixture(x, w, k, config.seed(), floor)).negativeLogDensity(background.validation()),
                        background.validationWeights());
                if (likelihood > bestLikelihood) {
                    bestLikelihood = likelihood;
                    chosen = k;
                }
            }
            // the number chosen, the validation events have done their part: the mixture is fitted on every event
            TrainingData all = background.asOnePart();
            mixture = fitMixture(rows(all.train()), w == null ? null : meanOne(all.trainWeights()), chosen, config.seed(), floor);
        } else {
            mixture = fitMixture(x, w, Integer.parseInt(components), config.seed(), floor);
        }
        density = new Density(mixture);
    }

    /** {@code weights} scaled to a mean of 1. */
    private static double[] meanOne(double[] weights) {
        double mean = java.util.Arrays.stream(weights).sum() / weights.length;
        return java.util.Arrays.stream(weights).map(v -> v / mean).toArray();
    }

    /** What every M-step adds to each feature's variance: the regularisation, and for a count the variance of its dequantisation. */
    private double[] diagonalFloor(double[] countSpacing, int d) {
        if (countSpacing.length != 0 && countSpacing.length != d) {
            throw new IllegalArgumentException("count spacings for " + countSpacing.length + " features, events have " + d);
        }
        double[] floor = new double[d];
        for (int j = 0; j < d; j++) {
            double spacing = countSpacing.length == 0 ? 0 : countSpacing[j];
            floor[j] = regularization + spacing * spacing / 12;
        }
        return floor;
    }

    /** The mean of {@code values}, each weighing {@code weights} (null: once). */
    private static double mean(float[] values, double[] weights) {
        double sum = 0;
        double total = 0;
        for (int i = 0; i < values.length; i++) {
            sum += weights == null ? values[i] : weights[i] * values[i];
            total += weights == null ? 1 : weights[i];
        }
        return sum / total;
    }

    /** The events of {@code data}, one row each, in double. */
    private static double[][] rows(FeatureBatch data) {
        int d = data.rowSize();
        double[][] x = new double[data.rows()][d];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = data.values()[i * d + j];
            }
        }
        return x;
    }

    /**
     * EM for a mixture of {@code k} Gaussians on the events {@code x}, each weighing {@code w} (null:
     * once), {@code floor} added to every covariance's diagonal.
     */
    private Mixture fitMixture(double[][] x, double[] w, int k, long seed, double[] floor) {
        int n = x.length;
        int d = x[0].length;
        double total = w == null ? n : java.util.Arrays.stream(w).sum();
        double[][] means = seedMeans(x, w, k, new SplittableRandom(seed));
        double[][][] covariances = new double[k][][];
        double[][] all = w == null ? covariance(x, null, mean(x), n, floor) : covariance(x, i -> w[i], mean(x, w, total), total, floor);
        for (int c = 0; c < k; c++) {
            covariances[c] = copy(all);
        }
        double[] weights = new double[k];
        java.util.Arrays.fill(weights, 1.0 / k);
        double[][] responsibility = new double[n][k];
        double previous = Double.NEGATIVE_INFINITY;
        for (int iteration = 0; iteration < iterations; iteration++) {
            Density current = new Density(new Mixture(weights, means, covariances));
            double likelihood = current.responsibilities(x, w, responsibility) / total;
            // the M-step, each component on its own (in parallel: every component's sums run over the events in order, the same bits)
            java.util.stream.IntStream.range(0, k).parallel().forEach(c -> {
                double nk = 0;
                double[] mu = new double[d];
                for (int i = 0; i < n; i++) {
                    double r = w == null ? responsibility[i][c] : responsibility[i][c] * w[i];
                    nk += r;
                    for (int j = 0; j < d; j++) {
                        mu[j] += r * x[i][j];
                    }
                }
                if (nk < 1e-8) { // an empty component: keep it where it was, with no weight
                    weights[c] = 0;
                    return;
                }
                for (int j = 0; j < d; j++) {
                    mu[j] /= nk;
                }
                weights[c] = nk / total;
                means[c] = mu;
                covariances[c] = covariance(x, w == null ? i -> responsibility[i][c] : i -> responsibility[i][c] * w[i], mu, nk, floor);
            });
            if (likelihood - previous < TOLERANCE * Math.max(1, Math.abs(likelihood))) {
                break;
            }
            previous = likelihood;
        }
        return new Mixture(weights, means, covariances);
    }

    private static double[][] covariance(double[][] x, java.util.function.IntToDoubleFunction weight, double[] mu, double total,
            double[] floor) {
        int d = mu.length;
        double[][] s = new double[d][d];
        double[] diff = new double[d];
        for (int i = 0; i < x.length; i++) {
            double w = weight == null ? 1 : weight.applyAsDouble(i);
            if (w == 0) {
                continue;
            }
            for (int j = 0; j < d; j++) {
                diff[j] = x[i][j] - mu[j];
            }
            for (int a = 0; a < d; a++) {
                double wa = w * diff[a];
                for (int b = 0; b <= a; b++) {
                    s[a][b] += wa * diff[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                s[a][b] /= total;
                s[b][a] = s[a][b];
            }
            s[a][a] += floor[a];
        }
        return s;
    }

    private static double[] mean(double[][] x) {
        double[] mu = new double[x[0].length];
        for (double[] row : x) {
            for (int j = 0; j < mu.length; j++) {
                mu[j] += row[j] / x.length;
            }
        }
        return mu;
    }

    /** The mean of the events {@code x} weighing {@code w}, {@code total} in all. */
    private static double[] mean(double[][] x, double[] w, double total) {
        double[] mu = new double[x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < mu.length; j++) {
                mu[j] += w[i] * x[i][j];
            }
        }
        for (int j = 0; j < mu.length; j++) {
            mu[j] /= total;
        }
        return mu;
    }

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }

    /**
     * k-means++ seeding: each further mean drawn with probability proportional to its squared
     * distance to the nearest one (times its weight {@code w}; null: each counts once), the first in
     * proportion to the weight.
     */
    private static double[][] seedMeans(double[][] x, double[] w, int k, SplittableRandom random) {
        int n = x.length;
        double[][] means = new double[k][];
        means[0] = x[w == null ? random.nextInt(n) : drawn(w, null, random)].clone();
        double[] nearest = new double[n];
        java.util.Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                nearest[i] = Math.min(nearest[i], squaredDistance(x[i], means[c - 1]));
                total += nearest[i];
            }
            if (w != null) {
                means[c] = x[drawn(w, nearest, random)].clone();
                continue;
            }
            double u = random.nextDouble() * total;
            int chosen = n - 1;
            for (int i = 0; i < n; i++) {
                u -= nearest[i];
                if (u <= 0) {
                    chosen = i;
                    break;
                }
            }
            means[c] = x[chosen].clone();
        }
        return means;
    }

    /** An event drawn with probability proportional to its weight, times {@code factor} where that is not null. */
    private static int drawn(double[] w, double[] factor, SplittableRandom random) {
        double[] p = w;
        if (factor != null) {
            p = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                p[i] = w[i] * factor[i];
            }
        }
        int[] one = new int[1];
        RandomOrder.drawWeighted(RandomOrder.runningSums(p), one, random);
        return one[0];
    }

    private static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double t = a[j] - b[j];
            s += t * t;
        }
        return s;
    }

    @Override
    public float[] score(FeatureBatch batch) {
        if (density == null) {
            throw new IllegalStateException("gmm is not fitted");
        }
        return units.apply(batch, density.negativeLogDensity(batch));
    }

    /** The units its density is in: {@link DensityUnits#NONE} for the standardised features' own. */
    public DensityUnits densityUnits() {
        return units;
    }

    /** The mixture's log-density at {@code x} (in the standardised encoding). */
    double logDensity(double[] x) {
        return density.logDensity(x);
    }

    @Override
    public List<Path> save(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        new ObjectMapper().writeValue(file.toFile(), mixture);
        return List.of(file, PhysicalDensity.save(directory, units));
    }

    @Override
    public void load(Path directory, int[] inputShape, TrainingHistory history) throws IOException {
        Mixture m = new ObjectMapper().readValue(directory.resolve(FILE).toFile(), Mixture.class);
        int d = FeatureBatch.product(inputShape);
        int k = m.weights().length;
        if (k == 0 || m.means().length != k || m.covariances().length != k) {
            throw new IOException(FILE + ": weights, means and covariances disagree on the number of components");
        }
        for (int c = 0; c < k; c++) {
            if (m.means()[c].length != d || m.covariances()[c].length != d
                    || java.util.Arrays.stream(m.covariances()[c]).anyMatch(row -> row.length != d)) {
                throw new IOException(FILE + ": component " + c + " is not of the encoding's " + d + " dimensions");
            }
        }
        mixture = m;
        density = new Density(m);
        units = PhysicalDensity.load(directory, name(), d);
    }

    /** A mixture ready to evaluate: each covariance's Cholesky factor and log-determinant. */
    private static final class Density {
        /** Events per parallel block of the E-step. */
        private static final int BLOCK = 1024;
        private final double[] logWeights;
        private final double[][] means;
        private final double[][][] cholesky;
        private final double[] logNormalisation;

        Density(Mixture m) {
            int k = m.weights().length;
            int d = m.means()[0].length;
            logWeights = new double[k];
            means = m.means();
            cholesky = new double[k][][];
            logNormalisation = new double[k];
            for (int c = 0; c < k; c++) {
                logWeights[c] = Math.log(m.weights()[c]);
                cholesky[c] = Cholesky.lower(m.covariances()[c], i -> "a covariance matrix of the mixture is not positive definite");
                double logDet = 0;
                for (int j = 0; j < d; j++) {
                    logDet += 2 * Math.log(cholesky[c][j][j]);
                }
                logNormalisation[c] = -0.5 * (d * Math.log(2 * Math.PI) + logDet);
            }
        }

        /** log of each component's weighted density at x, into {@code out}. */
        private void componentLogDensities(double[] x, double[] out, double[] z) {
            int d = x.length;
            for (int c = 0; c < out.length; c++) {
                Cholesky.solveLower(cholesky[c], x, means[c], z, 0); // L z = x - mu
                double q = 0;
                for (int i = 0; i < d; i++) {
                    q += z[i] * z[i];
                }
                out[c] = logWeights[c] + logNormalisation[c] - 0.5 * q;
            }
        }

        private static double logSumExp(double[] v) {
            double max = Double.NEGATIVE_INFINITY;
            for (double x : v) {
                max = Math.max(max, x);
            }
            if (max == Double.NEGATIVE_INFINITY) {
                return max;
            }
            double s = 0;
            for (double x : v) {
                s += Math.exp(x - max);
            }
            return max + Math.log(s);
        }

        double logDensity(double[] x) {
            double[] parts = new double[logWeights.length];
            componentLogDensities(x, parts, new double[x.length]);
            return logSumExp(parts);
        }

        /**
         * Fills each event's posterior component probabilities; returns the summed log-likelihood,
         * each event's times its weight {@code w} (null: once). The events are worked in parallel
         * blocks, each alone, and their log-likelihoods summed in order: the same bits as one thread.
         */
        double responsibilities(double[][] x, double[] w, double[][] out) {
            double[] logs = new double[x.length];
            java.util.stream.IntStream.range(0, (x.length + BLOCK - 1) / BLOCK).parallel().forEach(block -> {
                double[] z = new double[x[0].length];
                for (int i = block * BLOCK; i < Math.min(x.length, (block + 1) * BLOCK); i++) {
                    componentLogDensities(x[i], out[i], z);
                    double log = logSumExp(out[i]);
                    for (int c = 0; c < out[i].length; c++) {
                        out[i][c] = Math.exp(out[i][c] - log);
                    }
                    logs[i] = log;
                }
            });
            double total = 0;
            for (int i = 0; i < logs.length; i++) {
                total += w == null ? logs[i] : w[i] * logs[i];
            }
            return total;
        }

        float[] negativeLogDensity(FeatureBatch batch) {
            int d = batch.rowSize();
            float[] scores = new float[batch.rows()];
            float[] v = batch.values();
            java.util.stream.IntStream.range(0, batch.rows()).parallel().forEach(r -> {
                double[] x = new double[d];
                for (int j = 0; j < d; j++) {
                    x[j] = v[r * d + j];
                }
                scores[r] = (float) -logDensity(x);
            });
            return scores;
        }
    }
}
