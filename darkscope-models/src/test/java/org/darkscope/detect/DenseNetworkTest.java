package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.feature.FittedEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain-Java forward pass against a hand computation and against the engine, and the reader
 * of Deep Java Library's weights file against the weights the engine holds.
 */
class DenseNetworkTest {
    private static FittedEncoder encoder;
    private static Autoencoder trained;
    private static FeatureBatch events;

    @BeforeAll
    static void train() {
        encoder = SampleEvents.encoder("kinematic-56");
        trained = new Autoencoder(Hyperparameters.empty());
        trained.fit(SampleEvents.trainingData(encoder), TrainingConfig.defaults(3, 5));
        // more events than one block, and a last block that is not full
        List<org.darkscope.event.Event> mixed = new ArrayList<>(SampleEvents.heldOutBackground());
        mixed.addAll(SampleEvents.SIGNAL);
        events = SampleEvents.encode(encoder, mixed);
        assertTrue(events.rows() > DenseNetwork.BLOCK && events.rows() % DenseNetwork.BLOCK != 0, "rows " + events.rows());
    }

    @AfterAll
    static void close() {
        trained.close();
    }

    @Test
    void forwardPassMatchesAHandComputation() {
        // 5 inputs -> 2 (ReLU) -> 1 (linear, no bias); the five inputs exercise the four-at-a-time
        // pass and the one left over
        DenseNetwork network = new DenseNetwork(List.of(
                new DenseNetwork.Layer(5, 2, new float[] {1, 2, 0, 0, 1, -1, 0, 0, 0, -2}, new float[] {0.5f, 1}),
                new DenseNetwork.Layer(2, 1, new float[] {3, -1}, null)));
        float[] x = {1, 1, 7, 9, 2, /* event 2 */ 0, -1, 0, 0, 1};
        float[][] out = forward(network, new FeatureBatch(x, 2, new int[] {5}));
        // event 1: h = (1 + 2 + 2 + 0.5, -1 - 4 + 1) = (5.5, -4) -> ReLU (5.5, 0); y = 16.5
        // event 2: h = (-2 + 1 + 0.5, -2 + 1) = (-0.5, -1) -> (0, 0); y = 0
        assertArrayEquals(new float[] {16.5f, 0f}, Arrays.copyOf(out[0], 2));
        assertEquals(2 * 5 + 2 + 2, network.parameterCount());
    }

    @Test
    void readsTheWeightsTheEngineHolds(@TempDir Path dir) throws Exception {
        trained.save(dir);
        DenseNetwork network = DjlParameters.denseNetwork(Files.readAllBytes(dir.resolve("parameters.bin")));
        List<float[]> engine = new ArrayList<>();
        for (Pair<String, Parameter> p : trained.block().getParameters()) {
            engine.add(p.getValue().getArray().toFloatArray());
        }
        List<float[]> read = new ArrayList<>();
        for (int l = 0; l < 4; l++) {
            DenseNetwork.Layer layer = network.layers().get(l);
            read.add(layer.weights());
            read.add(layer.bias());
        }
        assertEquals(engine.size(), read.size());
        for (int i = 0; i < engine.size(); i++) {
            assertArrayEquals(engine.get(i), read.get(i), "parameter " + i);
        }
        assertEquals(trained.parameterCount(), network.parameterCount());
    }

    @Test
    void plainJavaScoresAgreeWithTheEngine() {
        float[] java = trained.score(events);
        float[] engine = trained.scoreOnEngine(events);
        assertEquals(engine.length, java.length);
        int differ = 0;
        for (int i = 0; i < java.length; i++) {
            assertEquals(engine[i], java[i], 1e-5 * Math.abs(engine[i]), "event " + i);
            differ += engine[i] != java[i] ? 1 : 0;
        }
        // the sums run in another order than the engine's, so some last bits differ: the Java
        // pass really ran (a copy of the engine's scores would agree everywhere)
        assertTrue(differ > 0);
    }

    @Test
    void aLoadedAutoencoderScoresWithoutTheEngine(@TempDir Path dir) throws IOException {
        trained.save(dir);
        try (Autoencoder loaded = new Autoencoder(Hyperparameters.empty())) {
            loaded.load(dir, new int[] {encoder.size()}, trained.history());
            assertNull(loaded.block(), "the engine's network was built");
            assertArrayEquals(trained.score(events), loaded.score(events));
            assertEquals(trained.parameterCount(), loaded.parameterCount());
            Path again = Files.createDirectory(dir.resolve("again"));
            loaded.save(again);
            assertArrayEquals(Files.readAllBytes(dir.resolve("parameters.bin")), Files.readAllBytes(again.resolve("parameters.bin")));
            assertThrows(IllegalArgumentException.class, () -> loaded.score(new FeatureBatch(new float[3], 1, new int[] {3})));
        }
    }

    @Test
    void refusesWhatItDoesNotKnow(@TempDir Path dir) throws IOException {
        trained.save(dir);
        byte[] good = Files.readAllBytes(dir.resolve("parameters.bin"));
        for (int cut : new int[] {1, 40, 100, good.length / 2, good.length - 1}) {
            assertThrows(DjlParameters.Unreadable.class, () -> DjlParameters.denseNetwork(Arrays.copyOf(good, cut)), "cut at " + cut);
        }
        byte[] otherVersion = good.clone();
        otherVersion[0] = 9;
        DjlParameters.Unreadable e = assertThrows(DjlParameters.Unreadable.class, () -> DjlParameters.denseNetwork(otherVersion));
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
        // Deep SVDD's network carries a target beside its layers: read on the engine, not here
        try (DeepSvdd svdd = new DeepSvdd(Hyperparameters.empty())) {
            svdd.fit(SampleEvents.trainingData(encoder), TrainingConfig.defaults(1, 5));
            Path svddDir = Files.createDirectory(dir.resolve("svdd"));
            svdd.save(svddDir);
            assertThrows(DjlParameters.Unreadable.class,
                    () -> DjlParameters.denseNetwork(Files.readAllBytes(svddDir.resolve("parameters.bin"))));
            try (DeepSvdd loaded = new DeepSvdd(Hyperparameters.empty())) {
                loaded.load(svddDir, new int[] {encoder.size()}, svdd.history());
                assertNotNull(loaded.block());
                assertArrayEquals(svdd.score(events), loaded.score(events));
            }
        }
    }

    private static float[][] forward(DenseNetwork network, FeatureBatch batch) {
        DenseNetwork.Pass pass = network.new Pass();
        pass.input(batch, 0, batch.rows());
        return pass.forward(batch.rows());
    }
}
