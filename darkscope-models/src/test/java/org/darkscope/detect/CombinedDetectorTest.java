package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.darkscope.feature.FeatureBatch;
import org.junit.jupiter.api.Test;

class CombinedDetectorTest {
    /** With two baselines the combination can be worked out by hand from tail probabilities. */
    @Test
    void productOfTailProbabilitiesOfTwoMembers() {
        // members ht and met both read the single feature; calibration = validation rows 0..9
        float[] values = new float[20];
        for (int i = 0; i < 20; i++) {
            values[i] = i;
        }
        FeatureBatch all = new FeatureBatch(values, 20, new int[] {1});
        TrainingData data = new TrainingData(all.slice(0, 10), all.slice(10, 20)); // calibration scores 10..19
        try (CombinedDetector combined = new CombinedDetector(Hyperparameters.empty().with("members", "ht,met").with("rule", "product"))) {
            combined.fit(data, TrainingConfig.defaults(1, 1));
            // score 15: 5 calibration scores >= 15 -> p = (5 + 1) / 11 per member; product p^2
            float[] s = combined.score(new FeatureBatch(new float[] {15f, 100f, 0f}, 3, new int[] {1}));
            assertEquals(-Math.log10(Math.pow(6.0 / 11, 2)), s[0], 1e-5);
            assertEquals(-Math.log10(Math.pow(1.0 / 11, 2)), s[1], 1e-5);
            assertEquals(0, s[2], 1e-6); // p = 1: not anomalous at all
            assertTrue(s[1] > s[0]);
        }
        try (CombinedDetector or = new CombinedDetector(Hyperparameters.empty().with("members", "ht,met").with("rule", "or"))) {
            or.fit(data, TrainingConfig.defaults(1, 1));
            assertEquals(-Math.log10(6.0 / 11), or.score(new FeatureBatch(new float[] {15f}, 1, new int[] {1}))[0], 1e-5);
        }
    }

    @Test
    void rejectsUnknownRulesAndSelfReference() {
        assertThrows(IllegalArgumentException.class, () -> new CombinedDetector(Hyperparameters.empty().with("rule", "xor")));
        assertThrows(IllegalArgumentException.class, () -> new CombinedDetector(Hyperparameters.empty().with("members", "combined,ht")));
    }
}
