package org.darkscope.stats;

import java.util.Arrays;
import java.util.Map;

/**
 * How many data events score at least, or below, a threshold: all a search needs of the data.
 * In memory from the scores, or from counts made elsewhere (a distributed job counts the data at
 * the thresholds {@link RegionSearch#thresholds} names, in one pass).
 */
public interface DataCounts {
    /** Number of data events. */
    long total();

    /** Events with score >= {@code threshold}. */
    long atLeast(float threshold);

    /** Events with score below {@code threshold}. */
    default long below(float threshold) {
        return total() - atLeast(threshold);
    }

    /** Counts over scores held in memory. */
    static DataCounts of(float[] scores) {
        float[] sorted = scores.clone();
        Arrays.sort(sorted);
        return new DataCounts() {
            @Override
            public long total() {
                return sorted.length;
            }

            @Override
            public long atLeast(float threshold) {
                return sorted.length - SortedScores.firstAtLeast(sorted, threshold);
            }
        };
    }

    /** Counts made elsewhere: events at or above each threshold that will be asked for. */
    static DataCounts of(long total, Map<Float, Long> atLeast) {
        return new DataCounts() {
            @Override
            public long total() {
                return total;
            }

            @Override
            public long atLeast(float threshold) {
                Long n = atLeast.get(threshold);
                if (n == null) {
                    throw new IllegalArgumentException("no count at threshold " + threshold);
                }
                return n;
            }
        };
    }
}
