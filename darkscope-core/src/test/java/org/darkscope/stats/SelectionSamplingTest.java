package org.darkscope.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;

class SelectionSamplingTest {
    /** The members of one sample of {@code n} of {@code population}, as a bit mask. */
    private static int draw(int population, int n, SplittableRandom random) {
        SelectionSampling sampling = new SelectionSampling(population, n, random);
        int mask = 0;
        for (int i = 0; i < population; i++) {
            if (sampling.next()) {
                mask |= 1 << i;
            }
        }
        return mask;
    }

    @Test
    void takesExactlyTheAskedNumberWhateverTheDraws() {
        SplittableRandom random = new SplittableRandom(7);
        for (int population = 0; population <= 12; population++) {
            for (int n = 0; n <= population; n++) {
                for (int repeat = 0; repeat < 20; repeat++) {
                    assertEquals(n, Integer.bitCount(draw(population, n, random)), n + " of " + population);
                }
            }
        }
        // all, or none: no choice is left to chance
        assertEquals(0b1111111, draw(7, 7, random));
        assertEquals(0, draw(7, 0, random));
    }

    /** Every one of the C(5, 2) = 10 subsets equally likely: a chi-square test of 100,000 samples. */
    @Test
    void everySubsetIsEquallyLikely() {
        SplittableRandom random = new SplittableRandom(11);
        int trials = 100_000;
        int[] counts = new int[1 << 5];
        for (int t = 0; t < trials; t++) {
            counts[draw(5, 2, random)]++;
        }
        double expected = trials / 10.0;
        double chi2 = 0;
        int subsets = 0;
        for (int mask = 0; mask < counts.length; mask++) {
            if (Integer.bitCount(mask) == 2) {
                subsets++;
                chi2 += (counts[mask] - expected) * (counts[mask] - expected) / expected;
            } else {
                assertEquals(0, counts[mask]);
            }
        }
        assertEquals(10, subsets);
        double p = ChiSquaredDistribution.of(subsets - 1).survivalProbability(chi2);
        assertTrue(p > 1e-6, "chi2 " + chi2 + " for 9 degrees of freedom, p " + p);
    }

    @Test
    void refusesImpossibleSamplesAndItemsPastTheEnd() {
        assertThrows(IllegalArgumentException.class, () -> new SelectionSampling(3, 4, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> new SelectionSampling(3, -1, new SplittableRandom(1)));
        SelectionSampling sampling = new SelectionSampling(2, 1, new SplittableRandom(1));
        sampling.next();
        sampling.next();
        assertThrows(IllegalStateException.class, sampling::next);
    }
}
