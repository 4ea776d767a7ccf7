package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.darkscope.feature.FittedEncoder;
import org.darkscope.metric.RocCurve;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every detector, trained on background only, separates the gluino signal better than chance. */
class DetectorsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ae, 0.53", "vae, 0.53", "conv-vae, 0.53", "deep-svdd, 0.52", "flow, 0.53", "iforest, 0.53", "ht, 0.55", "met, 0.55"})
    void separatesGluinoSignalFromHeldOutBackground(String name, double minimumAuc) {
        FittedEncoder encoder = SampleEvents.encoder(Detectors.kind(name).encoding());
        TrainingConfig config = TrainingConfig.defaults(40, 7).withBatchSize(128);
        try (Detector detector = Detectors.create(name, Hyperparameters.empty())) {
            detector.fit(SampleEvents.trainingData(encoder), config);
            float[] background = detector.score(SampleEvents.encode(encoder, SampleEvents.heldOutBackground()));
            float[] signal = detector.score(SampleEvents.encode(encoder, SampleEvents.SIGNAL));
            for (float s : background) {
                assertTrue(Float.isFinite(s), name + " gave a non-finite score");
            }
            double auc = RocCurve.of(background, signal).auc();
            assertTrue(auc > minimumAuc, name + ": AUC " + auc + " not above " + minimumAuc);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ae", "vae", "deep-svdd", "iforest"})
    void sameSeedSameDataGivesTheSameScores(String name) {
        FittedEncoder encoder = SampleEvents.encoder(Detectors.kind(name).encoding());
        float[][] scores = new float[2][];
        String[] histories = new String[2];
        for (int run = 0; run < 2; run++) {
            try (Detector detector = Detectors.create(name, Hyperparameters.empty())) {
                detector.fit(SampleEvents.trainingData(encoder), TrainingConfig.defaults(3, 11));
                scores[run] = detector.score(SampleEvents.encode(encoder, SampleEvents.SIGNAL.subList(0, 200)));
                histories[run] = detector.history().epochs() + " " + detector.history().recoveries();
            }
        }
        // where the two trainings parted, should they ever (see the README on reproducibility)
        assertArrayEquals(scores[0], scores[1], () -> "training histories: " + histories[0] + " and " + histories[1]);
    }

    @org.junit.jupiter.api.Test
    void htBaselineScoreIsTheEventHt() {
        FittedEncoder encoder = SampleEvents.encoder("ht");
        try (Detector detector = Detectors.create("ht", Hyperparameters.empty())) {
            detector.fit(SampleEvents.trainingData(encoder), TrainingConfig.defaults(1, 1));
            float[] scores = detector.score(SampleEvents.encode(encoder, SampleEvents.SIGNAL.subList(0, 50)));
            for (int i = 0; i < 50; i++) {
                assertEquals(SampleEvents.SIGNAL.get(i).htGev(), scores[i], 1e-3);
            }
        }
    }
}
