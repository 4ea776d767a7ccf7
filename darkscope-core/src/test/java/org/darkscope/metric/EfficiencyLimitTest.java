package org.darkscope.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Where no signal event passes a threshold, or every one does, the error (zero, or the threshold's
 * fluctuation alone) says nothing of how few fix that, and a one-sided 95 % limit takes its place:
 * 1 - 0.05^(1/n) and 0.05^(1/n) (Clopper-Pearson with none or all of n), the values below worked out by hand.
 */
class EfficiencyLimitTest {
    /** Background scores 0 to 999: the threshold at eps_B = 1e-2 lies near 990, at 1e-3 near 999. */
    private static float[] background() {
        float[] b = new float[1000];
        for (int i = 0; i < b.length; i++) {
            b[i] = i;
        }
        return b;
    }

    private static float[] scores(int n, float first) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = first + i;
        }
        return s;
    }

    @Test
    void noSignalEventPassingGivesTheUpperLimit() {
        Evaluation.Signal s = Evaluation.signal("soft", background(), null, scores(20, 0.5f), null);
        assertEquals(0.0, s.figures().signalEfficiency().get("1e-2"));
        assertEquals(0.0, s.signalEfficiencyError("1e-2"));
        assertEquals(0.13910834066826516, s.signalEfficiencyLimit("1e-2"), 1e-12); // 1 - 0.05^(1/20)
        assertTrue(Double.isNaN(s.signalEfficiencyLimit("1e-4")), "1e-4 is not resolved by 1,000 events");
        assertTrue(s.hasEfficiencyLimit());
    }

    /** Just below the threshold, the resampled thresholds sometimes fall under the signal: an error, but still none passes. */
    @Test
    void theLimitStandsWhereTheThresholdsFluctuationGivesAnError() {
        float[] justBelow = new float[20];
        java.util.Arrays.fill(justBelow, 989.6f);
        Evaluation.Signal s = Evaluation.signal("edge", background(), null, justBelow, null);
        assertEquals(0.0, s.figures().signalEfficiency().get("1e-2"));
        assertTrue(s.signalEfficiencyError("1e-2") > 0, "the threshold's fluctuation: " + s.signalEfficiencyError("1e-2"));
        assertEquals(0.13910834066826516, s.signalEfficiencyLimit("1e-2"), 1e-12);
    }

    @Test
    void everySignalEventPassingGivesTheLowerLimit() {
        Evaluation.Signal s = Evaluation.signal("hard", background(), null, scores(50, 2000), null);
        assertEquals(1.0, s.figures().signalEfficiency().get("1e-2"));
        assertEquals(0.9418449208830277, s.signalEfficiencyLimit("1e-2"), 1e-12); // 0.05^(1/50)
    }

    @Test
    void weightedEventsCountByTheirEffectiveNumber() {
        double[] weights = {1, 2, 3, 4}; // Kish: 100 / 30 = 3.33 events
        Evaluation.Signal s = Evaluation.signal("soft", background(), null, scores(4, 0.5f), weights);
        assertEquals(0.5929094684630956, s.signalEfficiencyLimit("1e-2"), 1e-12);
    }

    @Test
    void anEfficiencyBetweenOrWithoutErrorsHasNoLimit() {
        float[] half = new float[40];
        for (int i = 0; i < half.length; i++) {
            half[i] = i % 2 == 0 ? 5 : 2000;
        }
        Evaluation.Signal between = Evaluation.signal("half", background(), null, half, null);
        assertEquals(0.5, between.figures().signalEfficiency().get("1e-2"), 1e-12);
        assertTrue(Double.isNaN(between.signalEfficiencyLimit("1e-2")));
        assertFalse(between.hasEfficiencyLimit());
        Evaluation.Signal unasked = Evaluation.signal("soft", background(), null, scores(20, 0.5f), null, false);
        assertTrue(Double.isNaN(unasked.signalEfficiencyLimit("1e-2")), "no errors drawn: nothing said in their place");
    }
}
