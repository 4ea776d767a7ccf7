package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.feature.FittedEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A network's gradient does not depend on the garbage collector: computed for the same batch and
 * weights with and without a collection (and fresh native buffers filled with NaN) between the
 * forward and the backward pass, it is the same bits. A tensor that autograd keeps for the
 * backward pass over memory Java frees (Deep Java Library's {@code mul(Number)}) fails this:
 * the flow's gradient then differed in 292 of 300 repetitions.
 */
class GradientMemoryTest {
    private static final int ROWS = 128;

    /** Every registered network that learns from background alone (the image CVAE, 61 million parameters, shares the VAE's code). */
    static Stream<String> networks() {
        return Detectors.kinds().stream().filter(kind -> !kind.encoding().startsWith("image")).map(Detectors.Kind::name)
                .filter(GradientMemoryTest::learnsFromBackgroundOnPyTorch);
    }

    private static boolean learnsFromBackgroundOnPyTorch(String name) {
        try (Detector d = Detectors.create(name, Hyperparameters.empty())) {
            return d instanceof NeuralDetector && !(d instanceof SampleClassifier);
        }
    }

    @Test
    void theNetworksAreAllHere() {
        List<String> networks = networks().toList();
        assertTrue(networks.containsAll(List.of("flow", "maf", "vae", "conv-vae", "ae", "deep-svdd")), networks.toString());
    }

    @ParameterizedTest
    @MethodSource("networks")
    void gradientsAreTheSameWhateverTheCollectorDoes(String name) {
        FittedEncoder encoder = SampleEvents.encoder(Detectors.kind(name).encoding());
        TrainingData data = SampleEvents.trainingData(encoder);
        try (NeuralDetector detector = (NeuralDetector) Detectors.create(name, Hyperparameters.empty())) {
            detector.fit(data, TrainingConfig.defaults(1, 3).withBatchSize(ROWS));
            float[] quiet = gradient(detector, data.train(), false);
            assertTrue(quiet.length > 0);
            for (int repetition = 0; repetition < 5; repetition++) {
                assertArrayEquals(quiet, gradient(detector, data.train(), true), name + ", repetition " + repetition);
            }
        }
    }

    /** The classifiers' loss (weighted cross-entropy of the log-odds), differentiated alone: the same, collection or not. */
    @Test
    void theClassifiersLossGradientIsTheSameWhateverTheCollectorDoes() {
        float[] logOdds = new float[ROWS];
        float[] targets = new float[2 * ROWS];
        for (int i = 0; i < ROWS; i++) {
            logOdds[i] = (i % 7 - 3) * 0.7f;
            targets[2 * i] = i % 2; // label
            targets[2 * i + 1] = 1 + (i % 3); // weight
        }
        try (NeuralDetector classifier = (NeuralDetector) Detectors.create("classifier", Hyperparameters.empty());
             NDManager manager = NDManager.newBaseManager()) {
            float[] quiet = logOddsGradient(classifier, manager, logOdds, targets, false);
            for (int repetition = 0; repetition < 5; repetition++) {
                assertArrayEquals(quiet, logOddsGradient(classifier, manager, logOdds, targets, true), "repetition " + repetition);
            }
        }
    }

    private static float[] logOddsGradient(NeuralDetector classifier, NDManager manager, float[] logOdds, float[] targets,
                                           boolean collect) {
        try (NDManager step = manager.newSubManager()) {
            NDArray z = step.create(logOdds, new ai.djl.ndarray.types.Shape(ROWS, 1)).duplicate();
            z.setRequiresGradient(true);
            NDArray t = step.create(targets, new ai.djl.ndarray.types.Shape(ROWS, 2)).duplicate();
            try (GradientCollector collector = step.getEngine().newGradientCollector()) {
                NDArray loss = classifier.loss(new NDList(z), z, t, 1);
                if (collect) {
                    collectAndReuseNativeMemory();
                }
                collector.backward(loss);
            }
            return z.getGradient().toFloatArray();
        }
    }

    /** The gradient of the training loss on the first rows of {@code batch}, all parameters in one array. */
    private static float[] gradient(NeuralDetector detector, FeatureBatch batch, boolean collect) {
        List<Parameter> parameters = detector.trainableParameters();
        try (NDManager step = detector.manager().newSubManager()) {
            NDArray x = NeuralDetector.events(step, batch.values(), 0, ROWS * batch.rowSize(), detector.batchShape(ROWS));
            Engine.getInstance().setRandomSeed(11); // the VAE draws its latent noise in the forward pass
            try (GradientCollector collector = step.getEngine().newGradientCollector()) {
                NDList out = detector.block().forward(detector.parameterStore(), new NDList(x), true);
                NDArray loss = detector.loss(out, x, null, 1);
                if (collect) {
                    collectAndReuseNativeMemory();
                }
                collector.backward(loss);
            }
            int size = 0;
            float[][] parts = new float[parameters.size()][];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = parameters.get(i).getArray().getGradient().toFloatArray();
                JniUtils.zeroGrad((PtNDArray) parameters.get(i).getArray());
                size += parts[i].length;
            }
            float[] all = new float[size];
            int at = 0;
            for (float[] part : parts) {
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
            return all;
        }
    }

    private static void collectAndReuseNativeMemory() {
        System.gc();
        for (int i = 0; i < 64; i++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
            while (buffer.remaining() >= Float.BYTES) {
                buffer.putFloat(Float.NaN);
            }
        }
    }
}
