package org.darkscope.stats;

/** Searches in scores sorted in increasing order. */
public final class SortedScores {
    private SortedScores() {
    }

    /** The index of the first of {@code sorted} at least {@code value} ({@code sorted.length} if none is): a binary search. */
    public static int firstAtLeast(float[] sorted, float value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
