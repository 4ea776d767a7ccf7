package org.darkscope.feature;

/**
 * Per-feature standardisation z = (x - mean) / scale, fitted on background only. A feature that
 * is constant on background gets scale 1, so it is centred but never divided by zero.
 *
 * @param mean  per-feature mean on the background sample
 * @param scale per-feature standard deviation on the background sample (1 where it is 0)
 */
public record Standardizer(double[] mean, double[] scale) {
    private static final double MIN_SCALE = 1e-6;

    /** Refuses what no fit gives (a bundle edited or damaged): lengths that differ, a mean that is not finite, a scale not above MIN_SCALE. */
    public Standardizer {
        if (mean == null || scale == null || mean.length != scale.length) {
            throw new IllegalArgumentException("standardiser needs as many scales as means");
        }
        for (int j = 0; j < mean.length; j++) {
            if (!Double.isFinite(mean[j]) || !Double.isFinite(scale[j]) || !(scale[j] >= MIN_SCALE)) {
                throw new IllegalArgumentException("feature " + j + " has mean " + mean[j] + " and scale " + scale[j]
                        + ": a fitted standardiser has finite means and scales of at least " + MIN_SCALE);
            }
        }
    }

    /** The identity: mean 0, scale 1. */
    public static Standardizer identity(int size) {
        double[] ones = new double[size];
        java.util.Arrays.fill(ones, 1.0);
        return new Standardizer(new double[size], ones);
    }

    /** Fits mean and standard deviation of each column of {@code rows x size} values (Welford). */
    public static Standardizer fit(float[] values, int rows, int size) {
        if (rows == 0) {
            throw new IllegalArgumentException("cannot fit a standardiser on zero events");
        }
        double[] mean = new double[size];
        double[] m2 = new double[size];
        for (int r = 0; r < rows; r++) {
            int base = r * size;
            for (int j = 0; j < size; j++) {
                double x = values[base + j];
                double delta = x - mean[j];
                mean[j] += delta / (r + 1);
                m2[j] += delta * (x - mean[j]);
            }
        }
        double[] scale = new double[size];
        for (int j = 0; j < size; j++) {
            double sd = Math.sqrt(m2[j] / rows);
            scale[j] = sd > MIN_SCALE ? sd : 1.0;
        }
        return new Standardizer(mean, scale);
    }

    /** Standardises {@code out[offset, offset + size)} in place. */
    public void apply(float[] out, int offset) {
        double[] m = mean;
        double[] s = scale;
        for (int j = 0; j < m.length; j++) {
            out[offset + j] = (float) ((out[offset + j] - m[j]) / s[j]);
        }
    }
}
