package org.darkscope.stats;

import java.util.random.RandomGenerator;

/** Random orders of events (Fisher-Yates), for every seeded split and shuffle in darkscope. */
public final class RandomOrder {
    private RandomOrder() {
    }

    /** Shuffles {@code order} in place. */
    public static void shuffle(int[] order, RandomGenerator random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** 0, 1, ..., n-1 in random order. */
    public static int[] permutation(int n, RandomGenerator random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        return order;
    }
}
