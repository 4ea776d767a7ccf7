package org.darkscope.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RandomOrderTest {
    @Test
    void aPermutationHoldsEveryIndexOnceAndEveryOrderEquallyOften() {
        SplittableRandom random = new SplittableRandom(5);
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        int draws = 60_000;
        for (int i = 0; i < draws; i++) {
            int[] p = RandomOrder.permutation(3, random);
            assertArrayEquals(new int[] {0, 1, 2}, Arrays.stream(p).sorted().toArray());
            seen.merge(Arrays.toString(p), 1, Integer::sum);
        }
        assertEquals(6, seen.size());
        // each of the 3! orders 10,000 times on average, with a standard deviation of 91
        seen.values().forEach(n -> assertEquals(draws / 6.0, n, 5 * Math.sqrt(draws / 6.0 * 5 / 6)));
    }

    /** Each event drawn in proportion to its weight (within five binomial deviations), one of weight 0 never, first and last included. */
    @Test
    void weightedDrawsFollowTheWeights() {
        double[] weights = {0, 2.5, 0, 0.5, 1, 6, 0};
        double total = Arrays.stream(weights).sum();
        int[] drawn = new int[200_000];
        RandomOrder.drawWeighted(RandomOrder.runningSums(weights), drawn, new SplittableRandom(3));
        long[] hits = new long[weights.length];
        for (int i : drawn) {
            hits[i]++;
        }
        for (int i = 0; i < weights.length; i++) {
            double p = weights[i] / total;
            assertEquals(drawn.length * p, hits[i], 5 * Math.sqrt(drawn.length * p * (1 - p)) + (p == 0 ? 0 : 1), "event " + i);
        }
        int[] one = new int[50];
        RandomOrder.drawWeighted(RandomOrder.runningSums(new double[] {4}), one, new SplittableRandom(1));
        assertTrue(Arrays.stream(one).allMatch(i -> i == 0));
    }

    @Test
    void positionsAreDistinctAscendingAndEachEquallyLikely() {
        SplittableRandom random = new SplittableRandom(7);
        int total = 20;
        int count = 5;
        int draws = 40_000;
        long[] hits = new long[total];
        for (int i = 0; i < draws; i++) {
            long[] p = RandomOrder.positions(total, count, random);
            assertEquals(count, p.length);
            for (int j = 0; j < count; j++) {
                assertTrue(p[j] >= 0 && p[j] < total);
                assertTrue(j == 0 || p[j] > p[j - 1], Arrays.toString(p));
                hits[(int) p[j]]++;
            }
        }
        // each position is among the chosen with probability 5/20: 10,000 times, s.d. 87
        double expected = draws * (double) count / total;
        for (long h : hits) {
            assertEquals(expected, h, 5 * Math.sqrt(expected * (1 - (double) count / total)));
        }
        assertArrayEquals(LongStream.range(0, 9).toArray(), RandomOrder.positions(9, 9, random));
        assertEquals(0, RandomOrder.positions(9, 0, random).length);
        assertThrows(IllegalArgumentException.class, () -> RandomOrder.positions(3, 4, random));
    }
}
