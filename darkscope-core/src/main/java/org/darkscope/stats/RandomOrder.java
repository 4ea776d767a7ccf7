package org.darkscope.stats;

import java.util.SplittableRandom;
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

    /**
     * {@code count} events drawn with replacement, event i with probability w_i / sum w (by its
     * running sum, binary searched), into {@code into}: the weighted random sampler with which a
     * network learns from weighted events, each epoch a new draw.
     */
    public static void drawWeighted(double[] runningWeights, int[] into, RandomGenerator random) {
        int n = runningWeights.length - 1;
        double total = runningWeights[n];
        for (int k = 0; k < into.length; k++) {
            double u = random.nextDouble() * total;
            int low = 0; // the first event whose running sum, itself included, exceeds u
            int high = n - 1;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (runningWeights[middle + 1] > u) {
                    high = middle;
                } else {
                    low = middle + 1;
                }
            }
            into[k] = low;
        }
    }

    /** The running sums of {@code weights}: element i the sum of the first i, the last their total. */
    public static double[] runningSums(double[] weights) {
        double[] running = new double[weights.length + 1];
        for (int i = 0; i < weights.length; i++) {
            running[i + 1] = running[i] + weights[i];
        }
        return running;
    }

    /**
     * {@code count} distinct positions among 0, 1, ..., total-1, each set of them equally likely, in
     * ascending order: where {@code darkscope mix} puts its signal events. Drawn until distinct, which
     * for {@code count} up to {@code total} takes at most about total ln(total) draws.
     */
    public static long[] positions(long total, int count, SplittableRandom random) {
        if (count > total) {
            throw new IllegalArgumentException(count + " distinct positions among " + total);
        }
        return random.longs(0, total).distinct().limit(count).sorted().toArray();
    }
}
