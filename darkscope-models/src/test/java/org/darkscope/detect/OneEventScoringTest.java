package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.feature.FittedEncoder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A network gives one event alone (a trigger's way) the same bits as in a block: scored in plain
 * Java ({@code ae}, {@code vae}, {@code deep-svdd}) or by the engine ({@code flow}, {@code maf},
 * {@code conv-vae}, which pads a pass of fewer than {@link NeuralDetector#SMALLEST_PASS} events).
 */
class OneEventScoringTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"ae", "vae", "deep-svdd", "flow", "maf", "conv-vae"})
    void oneEventAloneScoresTheSameBitsAsInABlock(String name) throws Exception {
        FittedEncoder encoder = SampleEvents.encoder(Detectors.kind(name).encoding());
        FeatureBatch events = SampleEvents.encode(encoder, SampleEvents.SIGNAL.subList(0, 300));
        Path saved = Files.createDirectories(dir.resolve(name));
        try (Detector trained = Detectors.create(name, Hyperparameters.empty())) {
            trained.fit(SampleEvents.trainingData(encoder), TrainingConfig.defaults(3, 5));
            trained.save(saved);
            try (Detector loaded = Detectors.create(name, Hyperparameters.empty())) { // loaded: a dense one scores in plain Java
                loaded.load(saved, encoder.encoding().shape(), trained.history());
                float[] block = loaded.score(events);
                for (int e = 0; e < events.rows(); e++) {
                    float[] alone = loaded.score(events.slice(e, e + 1));
                    assertEquals(Float.floatToIntBits(block[e]), Float.floatToIntBits(alone[0]), name + ", event " + e);
                }
            }
        }
    }
}
