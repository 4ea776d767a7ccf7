package org.darkscope.cli;

/**
 * Per-event latencies in bounded memory: a histogram with 0.1 us bins up to 1 ms and
 * exponential bins (1 % wide) above, so percentiles are exact to 0.1 us where triggers care and
 * to 1 % beyond, whatever the number of events.
 */
final class Latencies {
    private static final int FINE_BINS = 10_000; // 0.1 us each, up to 1 ms
    private static final int COARSE_BINS = 1_400; // 1 % each, 1 ms to about 1e6 s
    private final long[] fine = new long[FINE_BINS];
    private final long[] coarse = new long[COARSE_BINS];
    private long count;

    void add(long nanos) {
        count++;
        long tenths = nanos / 100;
        if (tenths < FINE_BINS) {
            fine[(int) Math.max(0, tenths)]++;
        } else {
            int bin = (int) Math.min(COARSE_BINS - 1, Math.floor(Math.log(nanos / 1e6) / Math.log(1.01)));
            coarse[bin]++;
        }
    }

    long count() {
        return count;
    }

    /** The latency in microseconds below which a fraction {@code q} of the events lie (the bin's upper edge). */
    double percentileMicros(double q) {
        if (count == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * count);
        long seen = 0;
        for (int i = 0; i < FINE_BINS; i++) {
            seen += fine[i];
            if (seen >= rank) {
                return (i + 1) / 10.0;
            }
        }
        for (int i = 0; i < COARSE_BINS; i++) {
            seen += coarse[i];
            if (seen >= rank) {
                return 1000 * Math.pow(1.01, i + 1);
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
