package org.darkscope.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SortedScoresTest {
    /** Highest score first, equal scores (0 and -0 alike) by index: against a comparator sort of boxed indices. */
    @Test
    void descendingOrderIsTheOrderOfFloatCompareWithZerosAlike() {
        SplittableRandom random = new SplittableRandom(9);
        float[] special = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE,
            1f, -0f, 1f, 0f};
        float[] scores = new float[5000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i < special.length ? special[i] : random.nextInt(4) == 0 ? (float) random.nextInt(5) : (float) (random.nextGaussian() * 1e3);
        }
        Integer[] expected = new Integer[scores.length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = i;
        }
        // a stable sort: equal scores keep the order of their indices
        Arrays.sort(expected, (a, b) -> Float.compare(scores[b] == 0f ? 0f : scores[b], scores[a] == 0f ? 0f : scores[a]));
        assertArrayEquals(Arrays.stream(expected).mapToInt(Integer::intValue).toArray(), SortedScores.descendingOrder(scores));
    }

    @Test
    void firstAtLeastIsTheFirstIndexNotBelow() {
        float[] sorted = {1f, 2f, 2f, 3f};
        assertEquals(0, SortedScores.firstAtLeast(sorted, 0.5f));
        assertEquals(1, SortedScores.firstAtLeast(sorted, 2f));
        assertEquals(3, SortedScores.firstAtLeast(sorted, 2.5f));
        assertEquals(4, SortedScores.firstAtLeast(sorted, 4f));
    }
}
