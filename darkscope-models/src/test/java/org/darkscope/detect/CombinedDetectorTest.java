package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.darkscope.feature.FeatureBatch;
import org.darkscope.feature.FittedEncoder;
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
            float[] s = combined.score(new FeatureBatch(new float[] {15f, 100f, 0f, 15.5f}, 4, new int[] {1}));
            assertEquals(-Math.log10(Math.pow(6.0 / 11, 2)), s[0], 1e-5);
            // beyond the largest (19, p = 2 / 11): exponential, scale the mean excess over the 90th percentile (18): 1
            assertEquals(-2 * (Math.log10(2.0 / 11) - 81 / Math.log(10)), s[1], 1e-4);
            assertEquals(0, s[2], 1e-6); // p = 1: not anomalous at all
            assertEquals(-Math.log10(Math.pow(5.5 / 11, 2)), s[3], 1e-5); // halfway between 15 (6 / 11) and 16 (5 / 11)
            assertTrue(s[1] > s[0]);
        }
        try (CombinedDetector or = new CombinedDetector(Hyperparameters.empty().with("members", "ht,met").with("rule", "or"))) {
            or.fit(data, TrainingConfig.defaults(1, 1));
            assertEquals(-Math.log10(6.0 / 11), or.score(new FeatureBatch(new float[] {15f}, 1, new int[] {1}))[0], 1e-5);
        }
    }

    /**
     * combined's default: the kernel density estimate and exceedance trained alone on the same
     * events, each score's tail probability among their own validation scores ({@link TailProbability},
     * tested on its own), the rarer kept.
     */
    @Test
    void theDefaultIsTheRarerOfTheKernelEstimateAndExceedance() {
        FittedEncoder encoder = SampleEvents.encoder("event-level-no-njet");
        TrainingData data = SampleEvents.trainingData(encoder).describedBy(encoder);
        FeatureBatch events = encoder.encode(SampleEvents.heldOutBackground().subList(0, 200));
        TrainingConfig config = TrainingConfig.defaults(2, 7);
        try (Detector combined = Detectors.create("combined", Hyperparameters.empty());
             Detector kde = Detectors.create("kde", Hyperparameters.empty());
             Detector exceedance = Detectors.create("exceedance", Hyperparameters.empty())) {
            assertEquals("kde,exceedance", combined.hyperparameters().asMap().get("members"));
            assertEquals("or", combined.hyperparameters().asMap().get("rule"));
            combined.fit(data, config);
            kde.fit(data, config);
            exceedance.fit(data, config);
            float[] scores = combined.score(events);
            float[][] member = {kde.score(events), exceedance.score(events)};
            TailProbability[] tails = {new TailProbability(kde.score(data.validation())),
                new TailProbability(exceedance.score(data.validation()))};
            for (int r = 0; r < events.rows(); r++) {
                double rarer = Math.min(tails[0].logOf(member[0][r]), tails[1].logOf(member[1][r]));
                assertEquals(-rarer / Math.log(10), scores[r], 1e-5 * Math.max(1, scores[r]), "event " + r);
            }
        }
    }

    @Test
    void rejectsUnknownRulesAndSelfReference() {
        assertThrows(IllegalArgumentException.class, () -> new CombinedDetector(Hyperparameters.empty().with("rule", "xor")));
        assertThrows(IllegalArgumentException.class, () -> new CombinedDetector(Hyperparameters.empty().with("members", "combined,ht")));
    }

    /** A member that cannot read combined's input is refused naming it and what it was given: the conv-vae, a cut. */
    @Test
    void aMemberThatCannotReadTheInputIsRefusedNamingIt() {
        TrainingData vectors = new TrainingData(new FeatureBatch(ramp(160), 20, new int[] {8}), new FeatureBatch(ramp(160), 20, new int[] {8}));
        try (CombinedDetector combined = new CombinedDetector(Hyperparameters.empty().with("members", "knn,conv-vae"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> combined.fit(vectors, TrainingConfig.defaults(1, 1)));
            assertTrue(e.getMessage().startsWith("combined, member conv-vae: ") && e.getMessage().contains("[8]"), e.getMessage());
        }
        try (CombinedDetector withACut = new CombinedDetector(Hyperparameters.empty().with("members", "knn,met"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withACut.fit(vectors, TrainingConfig.defaults(1, 1)));
            assertTrue(e.getMessage().startsWith("combined, member met: met scores the event's MET itself (encoding met), one number per event,"
                    + " and was given 8; to learn from many features, train a detector that learns"), e.getMessage());
        }
        try (Detector convVae = Detectors.create("conv-vae", Hyperparameters.empty())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> convVae.fit(vectors, TrainingConfig.defaults(1, 1)));
            assertTrue(e.getMessage().contains("conv-vae reads the event image of conv-14x4-sym or conv-14x4 (shape [4, 1, 14]), got the shape [8]"),
                    e.getMessage());
        }
    }

    private static float[] ramp(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        return values;
    }
}
