package org.darkscope.stats;

import java.util.random.RandomGenerator;

/**
 * A uniformly random subset of exactly {@code n} of {@code N} items met one at a time, decided
 * as they pass in constant memory: Knuth's selection sampling (Algorithm S, <i>The Art of
 * Computer Programming</i> vol. 2, 3.4.2; Fan, Muller and Rezucha, JASA 57 (1962) 387). Item
 * {@code t} (from 0) is taken with probability {@code (n - taken) / (N - t)}, so every subset of
 * size {@code n} is equally likely and the last items are taken exactly when they must be.
 */
public final class SelectionSampling {
    private final long population;
    private final long size;
    private final RandomGenerator random;
    private long seen;
    private long taken;

    /** A sample of {@code size} of {@code population} items, drawn with {@code random}. */
    public SelectionSampling(long population, long size, RandomGenerator random) {
        if (population < 0 || size < 0 || size > population) {
            throw new IllegalArgumentException("a sample of " + size + " of " + population + " items");
        }
        this.population = population;
        this.size = size;
        this.random = random;
    }

    /** Whether the next item is in the sample. */
    public boolean next() {
        if (seen >= population) {
            throw new IllegalStateException("all " + population + " items were met");
        }
        long remaining = population - seen;
        long wanted = size - taken;
        // (N - t) u < n - taken, u uniform on [0, 1): probability (n - taken) / (N - t); no draw where
        // the answer is certain, so that rounding of (N - t) u can never leave the sample short
        boolean take = wanted >= remaining || wanted > 0 && remaining * random.nextDouble() < wanted;
        seen++;
        if (take) {
            taken++;
        }
        return take;
    }
}
