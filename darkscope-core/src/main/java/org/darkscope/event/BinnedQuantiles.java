package org.darkscope.event;

/**
 * Streaming mean and quantiles of a non-negative observable in GeV, from a histogram of fixed
 * 1 GeV bins up to 20 TeV (one overflow bin above): constant memory for any number of events,
 * quantiles exact to the bin width, and never outside the smallest and largest values seen.
 */
public final class BinnedQuantiles {
    /** Bin width in GeV: the resolution of the quantiles. */
    public static final double BIN_WIDTH_GEV = 1.0;
    private static final int BINS = 20_000;

    private final long[] counts = new long[BINS + 1];
    private long entries;
    private double sum;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    /** Adds one value in GeV. */
    public void add(double gev) {
        int bin = (int) Math.min(BINS, Math.max(0, Math.floor(gev / BIN_WIDTH_GEV)));
        counts[bin]++;
        entries++;
        sum += gev;
        min = Math.min(min, gev);
        max = Math.max(max, gev);
    }

    /** Adds every entry of {@code other}. */
    public void addAll(BinnedQuantiles other) {
        for (int bin = 0; bin <= BINS; bin++) {
            counts[bin] += other.counts[bin];
        }
        entries += other.entries;
        sum += other.sum;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    public long entries() {
        return entries;
    }

    public double mean() {
        return entries == 0 ? Double.NaN : sum / entries;
    }

    public double max() {
        return entries == 0 ? Double.NaN : max;
    }

    /**
     * The {@code q}-quantile (0..1): the centre of the bin holding the ceil(q N)-th smallest
     * value, moved to the smallest or largest value seen where the centre lies beyond them (a
     * sample of one event at 0.2 GeV has its median at 0.2, not at the bin's 0.5); values above
     * the histogram range report the maximum.
     */
    public double quantile(double q) {
        if (entries == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(q * entries));
        long cumulative = 0;
        for (int bin = 0; bin <= BINS; bin++) {
            cumulative += counts[bin];
            if (cumulative >= rank) {
                return bin == BINS ? max : Math.min(max, Math.max(min, (bin + 0.5) * BIN_WIDTH_GEV));
            }
        }
        return max;
    }
}
