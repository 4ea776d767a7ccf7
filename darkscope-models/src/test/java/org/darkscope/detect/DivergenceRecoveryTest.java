package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.darkscope.feature.FittedEncoder;
import org.junit.jupiter.api.Test;

class DivergenceRecoveryTest {
    /** A learning rate of 10 makes the VAE diverge; training recovers, says so, and scores stay finite. */
    @Test
    void learningRateOfTenIsCaughtRolledBackAndReported() {
        FittedEncoder encoder = SampleEvents.encoder("dense");
        List<String> heard = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onRecovery(String what) {
                heard.add(what);
            }
        };
        TrainingConfig config = TrainingConfig.defaults(12, 5).withLearningRate(10).withListener(listener);
        try (Detector vae = Detectors.create("vae", Hyperparameters.empty())) {
            vae.fit(SampleEvents.trainingData(encoder), config);
            assertTrue(vae.history().recovered(), "training should have recovered: " + vae.history().epochs());
            assertFalse(heard.isEmpty());
            assertTrue(heard.get(0).contains("rolled back"), heard.get(0));
            float[] scores = vae.score(SampleEvents.encode(encoder, SampleEvents.heldOutBackground()));
            for (float s : scores) {
                assertTrue(Float.isFinite(s), "score not finite after recovery");
            }
            assertTrue(vae.history().epochs().stream().anyMatch(e -> e.learningRate() < 10));
        }
    }
}
