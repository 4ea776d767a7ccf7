package org.darkscope.stats;

import java.util.function.IntToDoubleFunction;

/**
 * How many of the first items of a sequence (the highest events, the lowest) hold the weight that
 * comes closest to a target: where a trigger's threshold and a search's regions are placed on a
 * weighted sample. Weights may be negative (an NLO generator's), so the running sum may fall and
 * rise again, and every prefix is tried.
 */
final class ClosestPrefix {
    private ClosestPrefix() {
    }

    /**
     * The number of the first of {@code n} items, item i weighing {@code weight.applyAsDouble(i)},
     * whose summed weight comes closest to {@code target}; of equally close, the fewest; 0 where no
     * prefix comes closer than none. Where no weight is negative the sum only grows, and this is the
     * prefix after which the next item brings it no closer.
     */
    static int of(int n, IntToDoubleFunction weight, double target) {
        double sum = 0;
        double closest = Math.abs(target);
        int best = 0;
        for (int k = 1; k <= n; k++) {
            sum += weight.applyAsDouble(k - 1);
            if (Math.abs(sum - target) < closest) {
                closest = Math.abs(sum - target);
                best = k;
            }
        }
        return best;
    }
}
