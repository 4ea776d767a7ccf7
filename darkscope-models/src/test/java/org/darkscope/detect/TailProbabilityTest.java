package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TailProbabilityTest {
    /** (calibration scores >= x + 1) / (N + 1), counted. */
    private static double counted(float[] c, double x) {
        int atLeast = 0;
        for (float v : c) {
            atLeast += v >= x ? 1 : 0;
        }
        return (atLeast + 1.0) / (c.length + 1.0);
    }

    @Test
    void theEmpiricalTailAtEveryCalibrationScoreAndAStraightLineBetween() {
        float[] c = {1f, 2f, 2f, 4f, 7f};
        TailProbability tail = new TailProbability(c);
        for (float v : c) {
            assertEquals(Math.log(counted(c, v)), tail.logOf(v), 1e-12, "at " + v);
        }
        assertEquals(0, tail.logOf(0.5f), 0, "below the smallest: 1");
        // halfway between 2 (four of five at least as high: 5/6) and 4 (two: 3/6); between 4 and 7 (one: 2/6)
        assertEquals(Math.log(4.0 / 6), tail.logOf(3f), 1e-12);
        assertEquals(Math.log(2.5 / 6), tail.logOf(5.5f), 1e-12);
    }

    @Test
    void anExponentialTailAboveTheLargestFromTheMeanExcess() {
        SplittableRandom random = new SplittableRandom(5);
        float[] c = new float[1000];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) (-2 * Math.log(random.nextDouble())); // exponential, scale 2
        }
        Arrays.sort(c);
        double threshold = c[(int) Math.floor(0.9 * 999)];
        double excess = 0;
        int n = 0;
        for (float v : c) {
            if (v > threshold) {
                excess += v - threshold;
                n++;
            }
        }
        double scale = excess / n;
        assertEquals(2, scale, 0.4, "the mean excess of an exponential sample estimates its scale");
        TailProbability tail = new TailProbability(c);
        float max = c[c.length - 1];
        for (float beyond : new float[] {0.5f, 3f, 40f}) {
            assertEquals(Math.log(2.0 / 1001) - beyond / scale, tail.logOf(max + beyond), 1e-6 * (1 + beyond / scale));
        }
        assertTrue(Double.isFinite(tail.logOf(1e30f)), "finite however far out");
    }

    @Test
    void decreasingEverywhereSoDifferentScoresNeverTie() {
        SplittableRandom random = new SplittableRandom(11);
        float[] c = new float[200];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) random.nextGaussian();
        }
        Arrays.sort(c);
        TailProbability tail = new TailProbability(c);
        double previous = tail.logOf(c[0]);
        for (float s = c[0] + 0.001f; s < c[c.length - 1] + 3; s += 0.001f) {
            double now = tail.logOf(s);
            assertTrue(now < previous, "at " + s);
            previous = now;
        }
    }

    @Test
    void equalScoresAtTheTopKeepTheLastStep() {
        TailProbability tail = new TailProbability(new float[] {1f, 1f, 1f, 1f});
        assertEquals(Math.log(1.0 / 5), tail.logOf(2f), 1e-12);
    }
}
