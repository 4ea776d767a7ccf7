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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.feature.FittedEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plain-Java forward pass against a hand computation and against the engine, and the reader
 * of Deep Java Library's weights file against the weights the engine holds, for the detectors
 * that score in plain Java (the autoencoder, the dense VAE's reconstruction score, Deep SVDD).
 */
class DenseNetworkTest {
    private static FittedEncoder encoder;
    private static Autoencoder ae;
    private static VariationalAutoencoder vae;
    private static DeepSvdd svdd;
    private static FeatureBatch events;

    @BeforeAll
    static void train() {
        encoder = SampleEvents.encoder("kinematic-56");
        ae = new Autoencoder(Hyperparameters.empty());
        ae.fit(SampleEvents.trainingData(encoder), TrainingConfig.defaults(3, 5));
        vae = new VariationalAutoencoder(Hyperparameters.empty());
        vae.fit(SampleEvents.trainingData(encoder), TrainingConfig.defaults(3, 5));
        svdd = new DeepSvdd(Hyperparameters.empty());
        svdd.fit(SampleEvents.trainingData(encoder), TrainingConfig.defaults(3, 5));
        // more events than one block, and a last block that is not full
        List<org.darkscope.event.Event> mixed = new ArrayList<>(SampleEvents.heldOutBackground());
        mixed.addAll(SampleEvents.SIGNAL);
        events = SampleEvents.encode(encoder, mixed);
        assertTrue(events.rows() > DenseNetwork.BLOCK && events.rows() % DenseNetwork.BLOCK != 0, "rows " + events.rows());
    }

    @AfterAll
    static void close() {
        ae.close();
        vae.close();
        svdd.close();
    }

    static Stream<NeuralDetector> javaScored() {
        return Stream.of(ae, vae, svdd);
    }

    @Test
    void forwardPassMatchesAHandComputation() {
        // 5 inputs -> 2 -> 1 (no bias); the five inputs exercise the four-at-a-time pass and the one left over
        List<DenseNetwork.Layer> layers = List.of(
                new DenseNetwork.Layer(5, 2, new float[] {1, 2, 0, 0, 1, -1, 0, 0, 0, -2}, new float[] {0.5f, 1}),
                new DenseNetwork.Layer(2, 1, new float[] {3, -1}, null));
        FeatureBatch x = new FeatureBatch(new float[] {1, 1, 7, 9, 2, /* event 2 */ 0, -1, 0, 0, 1}, 2, new int[] {5});
        // event 1: h = (1 + 2 + 2 + 0.5, -1 - 4 + 1) = (5.5, -4); event 2: h = (-2 + 1 + 0.5, -2 + 1) = (-0.5, -1)
        // with a ReLU after the first layer: h -> (5.5, 0) and (0, 0), y = 16.5 and 0
        assertArrayEquals(new float[] {16.5f, 0f}, Arrays.copyOf(forward(DenseNetwork.reluBetween(layers), x)[0], 2));
        // without: y = 3 * 5.5 + 4 = 20.5 and -1.5 + 1 = -0.5
        DenseForm.Activation[] linear = {DenseForm.Activation.LINEAR, DenseForm.Activation.LINEAR};
        assertArrayEquals(new float[] {20.5f, -0.5f}, Arrays.copyOf(forward(new DenseNetwork(layers, linear), x)[0], 2));
        // a leaky ReLU (slope 0.01) after the first layer: h -> (5.5, -0.04) and (-0.005, -0.01)
        float[] leaky = {3 * 5.5f + -1 * (-4 * 0.01f), 3 * (-0.5f * 0.01f) + -1 * (-1 * 0.01f)};
        DenseNetwork leakyNetwork = DenseNetwork.between(layers, DenseForm.Activation.LEAKY_RELU);
        assertArrayEquals(leaky, Arrays.copyOf(forward(leakyNetwork, x)[0], 2));
        assertArrayEquals(new float[] {leaky[1]}, leakyNetwork.forwardOne(x.values(), 5), "one event, row-major: the same bits");
        assertEquals(2 * 5 + 2 + 2, DenseNetwork.parameterCount(layers));
        assertThrows(IllegalArgumentException.class, () -> new DenseNetwork(List.of(layers.get(1), layers.get(0)), linear));
    }

    @ParameterizedTest(autoCloseArguments = false) // the detectors are shared, closed after all
    @MethodSource("javaScored")
    void readsTheWeightsTheEngineHolds(NeuralDetector detector, @TempDir Path dir) throws Exception {
        detector.save(dir);
        DjlParameters.Network network = DjlParameters.read(Files.readAllBytes(dir.resolve("parameters.bin")));
        List<DenseNetwork.Layer> layers = network.layers();
        List<float[]> engine = new ArrayList<>();
        for (Pair<String, Parameter> p : detector.block().getParameters()) {
            engine.add(p.getValue().getArray().toFloatArray());
        }
        List<float[]> read = new ArrayList<>(network.own()); // Deep SVDD's target, held by its block before its layers
        for (DenseNetwork.Layer layer : layers) {
            read.add(layer.weights());
            if (layer.bias() != null) {
                read.add(layer.bias());
            }
        }
        assertEquals(engine.size(), read.size());
        for (int i = 0; i < engine.size(); i++) {
            assertArrayEquals(engine.get(i), read.get(i), "parameter " + i);
        }
        assertEquals(detector.parameterCount(), DenseNetwork.parameterCount(layers));
    }

    @ParameterizedTest(autoCloseArguments = false) // the detectors are shared, closed after all
    @MethodSource("javaScored")
    void plainJavaScoresAgreeWithTheEngine(NeuralDetector detector) {
        float[] java = detector.score(events);
        float[] engine = detector.scoreOnEngine(events);
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

    @ParameterizedTest(autoCloseArguments = false) // the detectors are shared, closed after all
    @MethodSource("javaScored")
    void eachThreadsWorkingArraysServeBatchAfterBatch(NeuralDetector detector) throws Exception {
        float[] all = detector.score(events);
        int part = events.rows() / 3; // another size: the last block is cut elsewhere
        float[] first = detector.score(new FeatureBatch(Arrays.copyOf(events.values(), part * events.rowSize()), part,
                events.shape()));
        assertArrayEquals(Arrays.copyOf(all, part), first);
        assertArrayEquals(all, detector.score(events));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                results.add(pool.submit(() -> detector.score(events)));
            }
            for (Future<float[]> result : results) {
                assertArrayEquals(all, result.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @ParameterizedTest(autoCloseArguments = false) // the detectors are shared, closed after all
    @MethodSource("javaScored")
    void aLoadedModelScoresWithoutTheEngine(NeuralDetector detector, @TempDir Path dir) throws IOException {
        detector.save(dir);
        try (NeuralDetector loaded = (NeuralDetector) Detectors.create(detector.name(), Hyperparameters.empty())) {
            loaded.load(dir, new int[] {encoder.size()}, detector.history());
            assertNull(loaded.block(), "the engine's network was built");
            assertArrayEquals(detector.score(events), loaded.score(events));
            assertEquals(detector.parameterCount(), loaded.parameterCount());
            Path again = Files.createDirectory(dir.resolve("again"));
            loaded.save(again);
            assertArrayEquals(Files.readAllBytes(dir.resolve("parameters.bin")), Files.readAllBytes(again.resolve("parameters.bin")));
            assertThrows(IllegalArgumentException.class, () -> loaded.score(new FeatureBatch(new float[3], 1, new int[] {3})));
        }
    }

    @Test
    void layersOfOddAndEvenSizesMatchAPlainLoopInDoublePrecision() {
        // 9 -> 3 -> 5 -> 2: inputs in fours with one, three or none left over, a layer without bias
        int[] sizes = {9, 3, 5, 2};
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        List<DenseNetwork.Layer> layers = new ArrayList<>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            float[] w = new float[sizes[l] * sizes[l + 1]];
            float[] b = new float[sizes[l + 1]];
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) random.nextGaussian();
            }
            for (int k = 0; k < b.length; k++) {
                b[k] = (float) random.nextGaussian();
            }
            layers.add(new DenseNetwork.Layer(sizes[l], sizes[l + 1], w, l == 1 ? null : b));
        }
        int rows = 37;
        float[] values = new float[rows * sizes[0]];
        for (int k = 0; k < values.length; k++) {
            values[k] = (float) random.nextGaussian();
        }
        float[][] y = forward(DenseNetwork.reluBetween(layers), new FeatureBatch(values, rows, new int[] {sizes[0]}));
        for (int e = 0; e < rows; e++) {
            double[] x = new double[sizes[0]];
            for (int f = 0; f < x.length; f++) {
                x[f] = values[e * sizes[0] + f];
            }
            for (int l = 0; l < layers.size(); l++) {
                DenseNetwork.Layer layer = layers.get(l);
                double[] next = new double[layer.outputs()];
                for (int o = 0; o < next.length; o++) {
                    next[o] = layer.bias() == null ? 0 : layer.bias()[o];
                    for (int i = 0; i < x.length; i++) {
                        next[o] += (double) layer.weights()[o * x.length + i] * x[i];
                    }
                    if (l + 1 < layers.size()) {
                        next[o] = Math.max(next[o], 0);
                    }
                }
                x = next;
            }
            for (int o = 0; o < x.length; o++) {
                assertEquals(x[o], y[o][e], 1e-4 * (1 + Math.abs(x[o])), "event " + e + ", output " + o);
            }
        }
    }

    @Test
    void refusesWhatItDoesNotKnow(@TempDir Path dir) throws IOException {
        ae.save(dir);
        byte[] good = Files.readAllBytes(dir.resolve("parameters.bin"));
        for (int cut : new int[] {1, 40, 100, good.length / 2, good.length - 1}) {
            assertThrows(DjlParameters.Unreadable.class, () -> DjlParameters.linearLayers(Arrays.copyOf(good, cut)), "cut at " + cut);
        }
        byte[] otherVersion = good.clone();
        otherVersion[0] = 9;
        DjlParameters.Unreadable e = assertThrows(DjlParameters.Unreadable.class, () -> DjlParameters.linearLayers(otherVersion));
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
        byte[] badName = good.clone(); // the first parameter's name, no longer modified UTF-8
        badName[indexOf(badName, "weight".getBytes(java.nio.charset.StandardCharsets.US_ASCII))] = (byte) 0xFF;
        assertThrows(DjlParameters.Unreadable.class, () -> DjlParameters.linearLayers(badName));
        // the VAE's ELBO score needs the log-variance head: on the engine
        try (VariationalAutoencoder elbo = new VariationalAutoencoder(Hyperparameters.parse(List.of("score=elbo")))) {
            elbo.fit(SampleEvents.trainingData(encoder), TrainingConfig.defaults(1, 5));
            Path elboDir = Files.createDirectory(dir.resolve("elbo"));
            elbo.save(elboDir);
            assertScoredOnTheEngine(elbo, elboDir);
        }
    }

    private static void assertScoredOnTheEngine(NeuralDetector fitted, Path dir) throws IOException {
        try (NeuralDetector loaded = (NeuralDetector) Detectors.create(fitted.name(), fitted.hyperparameters())) {
            loaded.load(dir, new int[] {encoder.size()}, fitted.history());
            assertNotNull(loaded.block());
            assertArrayEquals(fitted.scoreOnEngine(events), loaded.score(events));
            assertArrayEquals(fitted.score(events), loaded.score(events));
        }
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    private static float[][] forward(DenseNetwork network, FeatureBatch batch) {
        DenseNetwork.Pass pass = network.new Pass();
        pass.input(batch, 0, batch.rows());
        return pass.forward(batch.rows());
    }
}
