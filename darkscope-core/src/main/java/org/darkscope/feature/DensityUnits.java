package org.darkscope.feature;

import java.util.Arrays;

/**
 * What turns a density over the standardised features z into a density over the physical
 * quantities they were computed from: -log p(q) = -log p(z) + offset + sum_f slope_f z_f.
 *
 * <p>A density is not a property of the events alone but of the coordinates they are written in
 * (G. Kasieczka, R. Mastandrea, V. Mikuni, B. Nachman, M. Pettee, D. Shih, "Anomaly detection
 * under coordinate transformations", Phys. Rev. D 107, 015009 (2023), arXiv:2209.06225), so
 * "rare" depends on them. An encoding writes energies and momenta as y = log(1 + q / GeV), a
 * convenience for learning; physics counts events per GeV of q. Per GeV the density is smaller
 * by dy/dq = 1 / (1 + q / GeV), which adds y = mean_f + scale_f z_f to -log p; the
 * standardisation z = (y - mean) / scale adds log(scale_f) for every feature. The other features
 * (counts, angles, ratios) keep their own units. Where an encoding shifts its logarithms by a
 * constant ({@code object-set}), the offset is off by that constant, the same for every event.
 * {@link #NONE} leaves a density as it is.
 *
 * @param slope  per feature, the coefficient of z_f (its scale where it is logarithmic, else 0); empty for {@link #NONE}
 * @param offset the constant added to every event's -log p
 */
public record DensityUnits(double[] slope, double offset) {
    /** The density over the standardised features, unchanged. */
    public static final DensityUnits NONE = new DensityUnits(new double[0], 0);

    public DensityUnits {
        slope = slope.clone();
        for (double s : slope) {
            if (!Double.isFinite(s)) {
                throw new IllegalArgumentException("density units: a slope is " + s);
            }
        }
        if (!Double.isFinite(offset)) {
            throw new IllegalArgumentException("density units: the offset is " + offset);
        }
    }

    /** The units of {@code encoding}'s physical quantities, for its features standardised by {@code standardizer}. */
    public static DensityUnits of(Encoding encoding, Standardizer standardizer) {
        int size = encoding.size();
        double[] slope = new double[size];
        double offset = 0;
        for (int f = 0; f < size; f++) {
            offset += Math.log(standardizer.scale()[f]);
            if (encoding.logarithmic(f)) {
                slope[f] = standardizer.scale()[f];
                offset += standardizer.mean()[f];
            }
        }
        return new DensityUnits(slope, offset);
    }

    /** Whether this is {@link #NONE}. */
    public boolean none() {
        return slope.length == 0;
    }

    /** -log p per physical unit from {@code negativeLogDensity}, -log p(z) of each event of {@code z}. */
    public float[] apply(FeatureBatch z, float[] negativeLogDensity) {
        if (none()) {
            return negativeLogDensity;
        }
        int d = z.rowSize();
        if (d != slope.length) {
            throw new IllegalArgumentException("density units for " + slope.length + " features, events have " + d);
        }
        float[] x = z.values();
        float[] out = new float[negativeLogDensity.length];
        for (int r = 0; r < out.length; r++) {
            double sum = negativeLogDensity[r] + offset;
            for (int f = 0; f < d; f++) {
                sum += slope[f] * x[r * d + f];
            }
            out[r] = (float) sum;
        }
        return out;
    }

    @Override
    public double[] slope() {
        return slope.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DensityUnits other && Arrays.equals(slope, other.slope) && Double.compare(offset, other.offset) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(slope) + Double.hashCode(offset);
    }

    @Override
    public String toString() {
        return "DensityUnits" + Arrays.toString(slope) + " + " + offset;
    }
}
