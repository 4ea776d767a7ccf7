package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.feature.FittedEncoder;
import org.junit.jupiter.api.Test;

class CombinedDetectorTest {
    /**
     * With two baselines the combination can be worked out by hand from tail probabilities: cuts
     * validate nothing, so the calibration is every training event's score (out of fold, which for
     * what learns nothing is the score itself).
     */
    @Test
    void productOfTailProbabilitiesOfTwoMembers() {
        float[] values = new float[20];
        for (int i = 0; i < 20; i++) {
            values[i] = i;
        }
        FeatureBatch all = new FeatureBatch(values, 20, new int[] {1});
        TrainingData data = new TrainingData(all, all.slice(0, 0)); // calibration scores 0..19
        try (CombinedDetector combined = new CombinedDetector(Hyperparameters.empty().with("members", "ht,met").with("rule", "product"))) {
            assertFalse(combined.validates());
            combined.fit(data, TrainingConfig.defaults(1, 1));
            // score 15: 5 calibration scores >= 15 -> p = (5 + 1) / 21 per member; product p^2
            float[] s = combined.score(new FeatureBatch(new float[] {15f, 100f, 0f, 15.5f}, 4, new int[] {1}));
            assertEquals(-Math.log10(Math.pow(6.0 / 21, 2)), s[0], 1e-5);
            // beyond the largest (19, p = 2 / 21): exponential, scale the mean excess over the 90th percentile (17): 1.5
            assertEquals(-2 * (Math.log10(2.0 / 21) - 81 / 1.5 / Math.log(10)), s[1], 1e-4);
            assertEquals(-2 * Math.log10(21.0 / 21), s[2], 1e-6); // p = 1 at the smallest: not anomalous at all
            assertEquals(-Math.log10(Math.pow(5.5 / 21, 2)), s[3], 1e-5); // halfway between 15 (6 / 21) and 16 (5 / 21)
            assertTrue(s[1] > s[0]);
        }
        try (CombinedDetector or = new CombinedDetector(Hyperparameters.empty().with("members", "ht,met").with("rule", "or"))) {
            or.fit(data, TrainingConfig.defaults(1, 1));
            assertEquals(-Math.log10(6.0 / 21), or.score(new FeatureBatch(new float[] {15f}, 1, new int[] {1}))[0], 1e-5);
        }
    }

    /**
     * combined's default: the kernel density estimate and exceedance, each fitted alone on every
     * training event, each score's tail probability ({@link TailProbability}, tested on its own)
     * among out-of-fold scores of the training events, worked out here fold by fold (event i in
     * fold i mod 5, scored by the member fitted on the four other folds), the rarer kept.
     */
    @Test
    void theDefaultIsTheRarerOfTheKernelEstimateAndExceedanceCalibratedOutOfFold() {
        FittedEncoder encoder = SampleEvents.encoder("event-level-no-njet");
        TrainingData split = SampleEvents.trainingData(encoder).describedBy(encoder);
        FeatureBatch train = FeatureBatch.concatenate(List.of(split.train(), split.validation()));
        TrainingData data = split.withEvents(train, train.slice(0, 0));
        FeatureBatch events = encoder.encode(SampleEvents.heldOutBackground().subList(0, 200));
        TrainingConfig config = TrainingConfig.defaults(2, 7);
        float[] scoresOfAll;
        try (Detector combined = Detectors.create("combined", Hyperparameters.empty())) {
            assertEquals("kde,exceedance", combined.hyperparameters().asMap().get("members"));
            assertEquals("or", combined.hyperparameters().asMap().get("rule"));
            assertFalse(combined.validates(), "neither member validates: every event trains and calibrates");
            combined.fit(data, config);
            scoresOfAll = combined.score(events);
            String[] members = {"kde", "exceedance"};
            double[][] logP = new double[members.length][];
            for (int m = 0; m < members.length; m++) {
                int n = train.rows();
                float[] outOfFold = new float[n];
                for (int fold = 0; fold < 5; fold++) {
                    int f = fold;
                    int[] held = java.util.stream.IntStream.range(0, n).filter(r -> r % 5 == f).toArray();
                    int[] rest = java.util.stream.IntStream.range(0, n).filter(r -> r % 5 != f).toArray();
                    try (Detector d = Detectors.create(members[m], Hyperparameters.empty())) {
                        d.fit(data.withEvents(train.select(rest), train.slice(0, 0)), config);
                        float[] s = d.score(train.select(held));
                        for (int j = 0; j < held.length; j++) {
                            outOfFold[held[j]] = s[j];
                        }
                    }
                }
                TailProbability tail = new TailProbability(outOfFold);
                try (Detector onAll = Detectors.create(members[m], Hyperparameters.empty())) {
                    onAll.fit(data, config);
                    float[] s = onAll.score(events);
                    logP[m] = new double[s.length];
                    for (int r = 0; r < s.length; r++) {
                        logP[m][r] = tail.logOf(s[r]);
                    }
                }
            }
            for (int r = 0; r < events.rows(); r++) {
                double rarer = Math.min(logP[0][r], logP[1][r]);
                assertEquals(-rarer / Math.log(10), scoresOfAll[r], 1e-5 * Math.max(1, scoresOfAll[r]), "event " + r);
            }
        }
        // given as a training and a validation part, the same events give the same scores: nothing validates, every event trains
        try (Detector split2 = Detectors.create("combined", Hyperparameters.empty())) {
            split2.fit(split, config);
            assertArrayEquals(scoresOfAll, split2.score(events));
        }
        // nine events fit kde's covariance of seven features, the seven of four folds do not: said so, not "got 7" alone
        TrainingData nine = data.withEvents(train.slice(0, 9), train.slice(0, 0));
        try (Detector fewEvents = Detectors.create("combined", Hyperparameters.empty())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fewEvents.fit(nine, config));
            assertTrue(e.getMessage().startsWith("combined, member kde: to calibrate out of fold it is also fitted on all but one of 5 "
                    + "folds, 7 of the 9 training events: "), e.getMessage());
        }
        try (Detector withAFlow = Detectors.create("combined", Hyperparameters.empty().with("members", "flow,kde"))) {
            assertTrue(withAFlow.validates(), "a member that validates: fitted on the training part, calibrated on the validation part");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withAFlow.fit(data, config));
            assertTrue(e.getMessage().contains("validation fraction above 0"), e.getMessage());
        }
    }

    /**
     * Trained on a lepton veto (every training event without a lepton, so the lepton count is
     * constant), the default detector trains, where its {@code kde} had no width in that count, and
     * finds the held-out background's events with a lepton rarer than those without: by pair
     * counting, nearly every pair.
     */
    @Test
    void theDefaultTrainsOnALeptonVetoAndFindsTheEventsWithALepton() {
        List<org.darkscope.event.Event> veto = SampleEvents.trainBackground().stream().filter(e -> e.leptons().isEmpty()).toList();
        FittedEncoder encoder = FittedEncoder.fit(org.darkscope.feature.Encodings.byName("event-level-no-njet"), veto);
        FeatureBatch train = encoder.encode(veto);
        TrainingData data = new TrainingData(train, train.slice(0, 0)).describedBy(encoder);
        List<org.darkscope.event.Event> heldOut = SampleEvents.heldOutBackground();
        float[] without;
        float[] with;
        try (Detector combined = Detectors.create(Detectors.DEFAULT, Hyperparameters.empty())) {
            combined.fit(data, TrainingConfig.defaults(1, 1));
            without = combined.score(encoder.encode(heldOut.stream().filter(e -> e.leptons().isEmpty()).toList()));
            with = combined.score(encoder.encode(heldOut.stream().filter(e -> !e.leptons().isEmpty()).toList()));
        }
        assertTrue(without.length > 500 && with.length > 500, without.length + " and " + with.length + " events");
        long above = 0;
        for (float w : with) {
            for (float o : without) {
                above += w > o ? 2 : w == o ? 1 : 0;
            }
        }
        double auc = above / (2.0 * with.length * without.length);
        assertTrue(auc > 0.95, "AUC " + auc);
    }

    @Test
    void rejectsUnknownRulesAndSelfReference() {
        assertThrows(IllegalArgumentException.class, () -> new CombinedDetector(Hyperparameters.empty().with("rule", "xor")));
        assertThrows(IllegalArgumentException.class, () -> new CombinedDetector(Hyperparameters.empty().with("members", "combined,ht")));
    }

    /** A member named twice, or {@code default} (a combination) as a member, is a mistyped intent: refused, saying what is allowed. */
    @Test
    void aMemberNamedTwiceOrDefaultAsAMemberIsRefused() {
        for (String members : List.of("kde,exceedance,kde", "kde, kde", "kde,default")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new CombinedDetector(Hyperparameters.empty().with("members", members)), members);
            assertTrue(e.getMessage().contains("each once, none a combination"), e.getMessage());
        }
        try (CombinedDetector three = new CombinedDetector(Hyperparameters.empty().with("members", "kde,exceedance,knn"))) {
            assertEquals("kde,exceedance,knn", three.hyperparameters().asMap().get("members"));
        }
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

    /** Cross-fitting says its steps, member by member and fold by fold: a large sample calibrates for minutes. */
    @Test
    void theCalibrationSaysEachFoldAsItEnds() {
        float[] values = new float[40];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 7;
        }
        FeatureBatch all = new FeatureBatch(values, 40, new int[] {1});
        List<String> heard = new java.util.ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStep(String what, int done, int steps) {
                heard.add(what + " " + done + "/" + steps);
            }
        };
        TrainingConfig config = new TrainingConfig(1, 16, 1e-3, 1, 10, 5.0, listener);
        try (CombinedDetector combined = new CombinedDetector(Hyperparameters.empty().with("members", "ht,met"))) {
            combined.fit(new TrainingData(all, all.slice(0, 0)), config);
        }
        List<String> expected = new java.util.ArrayList<>();
        for (String member : List.of("ht", "met")) {
            for (int k = 1; k <= CombinedDetector.CALIBRATION_FOLDS; k++) {
                expected.add("calibrating " + member + " out of fold " + k + "/" + CombinedDetector.CALIBRATION_FOLDS);
            }
        }
        assertEquals(expected, heard);
    }
}
