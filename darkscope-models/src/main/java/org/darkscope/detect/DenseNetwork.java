package org.darkscope.detect;

import java.util.List;
import org.darkscope.feature.FeatureBatch;

/**
 * A trained stack of dense layers, each followed by a ReLU or not, evaluated in plain Java so
 * that scoring needs no engine. The forward pass runs feature-major, one array per
 * feature holding a block of events, so every step is {@code y[event] += w * x[event]} over the
 * block: loops the JIT compiler turns into vector instructions (about 30 GFLOP/s on one core of
 * an Intel Xeon, 50 on an AMD EPYC, both AVX-512). The sums run in one fixed order: the same
 * scores on every machine and at every thread count. Immutable; safe to share between threads.
 */
final class DenseNetwork {
    /** Events per block of the forward pass: a layer's inputs and outputs stay in the L2 cache. */
    static final int BLOCK = 1024;

    /**
     * One dense layer, {@code y = W x + b}: {@code weights} row by row, {@code [outputs][inputs]}
     * (as Deep Java Library's {@code Linear} holds them); {@code bias} null where there is none.
     */
    record Layer(int inputs, int outputs, float[] weights, float[] bias) {
        Layer {
            if (weights.length != inputs * outputs || (bias != null && bias.length != outputs)) {
                throw new IllegalArgumentException("a " + inputs + " -> " + outputs + " layer needs " + inputs * outputs
                        + " weights and " + outputs + " biases");
            }
        }
    }

    private final List<Layer> layers;
    private final DenseForm.Activation[] activations;
    /** Each thread's working arrays, kept from one batch to the next (a megabyte for the autoencoder). */
    private final ThreadLocal<Pass> passes = ThreadLocal.withInitial(Pass::new);
    /** Each thread's arrays for one event's pass, one per layer's output: nothing allocated per event. */
    private final ThreadLocal<float[][]> oneEvent;

    /**
     * The layers in the order applied, {@code activations[i]} what follows layer {@code i}.
     *
     * @throws IllegalArgumentException where a layer does not take what the one before gives
     */
    DenseNetwork(List<Layer> layers, DenseForm.Activation[] activations) {
        if (layers.isEmpty() || activations.length != layers.size()) {
            throw new IllegalArgumentException(layers.size() + " layers, " + activations.length + " activations");
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).inputs() != layers.get(i - 1).outputs()) {
                throw new IllegalArgumentException("layer " + (i + 1) + " takes " + layers.get(i).inputs()
                        + " inputs, layer " + i + " gives " + layers.get(i - 1).outputs());
            }
        }
        this.layers = List.copyOf(layers);
        this.activations = activations.clone();
        this.oneEvent = ThreadLocal.withInitial(() -> this.layers.stream().map(l -> new float[l.outputs()]).toArray(float[][]::new));
    }

    /** ReLU after every layer but the last, which is linear ({@link Networks#dense} with a linear output). */
    static DenseNetwork reluBetween(List<Layer> layers) {
        return between(layers, DenseForm.Activation.RELU);
    }

    /** {@code activation} after every layer but the last, which is linear. */
    static DenseNetwork between(List<Layer> layers, DenseForm.Activation activation) {
        DenseForm.Activation[] activations = new DenseForm.Activation[layers.size()];
        java.util.Arrays.fill(activations, activation);
        activations[activations.length - 1] = DenseForm.Activation.LINEAR;
        return new DenseNetwork(layers, activations);
    }

    /** The layers in the order applied. */
    List<Layer> layers() {
        return layers;
    }

    /** What follows each layer. */
    DenseForm.Activation[] activations() {
        return activations.clone();
    }

    /** Features per event the network takes. */
    int inputs() {
        return layers.get(0).inputs();
    }

    /** Weights and biases of {@code layers}, as the engine counts trainable parameters. */
    static long parameterCount(List<Layer> layers) {
        return layers.stream().mapToLong(l -> (long) l.inputs() * l.outputs() + (l.bias() == null ? 0 : l.outputs())).sum();
    }

    /** The calling thread's forward pass, made on its first call. */
    Pass pass() {
        return passes.get();
    }

    /**
     * A forward pass's working arrays, one per feature of every layer, each for a block of
     * {@link #BLOCK} events, reused block after block. One per thread: {@link #pass}.
     */
    final class Pass {
        private final float[][][] outputs = new float[layers.size() + 1][][];

        Pass() {
            outputs[0] = new float[inputs()][BLOCK];
            for (int l = 0; l < layers.size(); l++) {
                outputs[l + 1] = new float[layers.get(l).outputs()][BLOCK];
            }
        }

        /**
         * Copies the events {@code [from, from + rows)} of {@code batch} ({@code rows} at most
         * {@link #BLOCK}) into the input, feature-major ({@code [feature][event]}), and returns it.
         */
        float[][] input(FeatureBatch batch, int from, int rows) {
            float[][] features = outputs[0];
            int size = batch.rowSize();
            float[] values = batch.values();
            for (int event = 0; event < rows; event++) {
                int offset = (from + event) * size;
                for (int f = 0; f < size; f++) {
                    features[f][event] = values[offset + f];
                }
            }
            return features;
        }

        /** The network's output for the first {@code rows} events of the input, feature-major. */
        float[][] forward(int rows) {
            for (int l = 0; l < layers.size(); l++) {
                apply(layers.get(l), outputs[l], outputs[l + 1], rows, activations[l]);
            }
            return outputs[layers.size()];
        }
    }

    private static void apply(Layer layer, float[][] x, float[][] y, int rows, DenseForm.Activation activation) {
        int inputs = layer.inputs();
        float[] w = layer.weights();
        for (int o = 0; o < layer.outputs(); o++) {
            float[] out = y[o];
            java.util.Arrays.fill(out, 0, rows, layer.bias() == null ? 0f : layer.bias()[o]);
            int row = o * inputs;
            int i = 0;
            // four inputs per pass: a quarter of the loads and stores of out[]. (Two outputs per pass,
            // each input loaded once for both, ran at 90 GFLOP/s where C2 vectorised it, but C2 did
            // so only compiling the loop inside this method, and not in every JVM: in 3 to 5 of 8
            // runs it stayed scalar, at 12; this one is vectorised every time.)
            for (; i + 4 <= inputs; i += 4) {
                addWeighted(out, x[i], x[i + 1], x[i + 2], x[i + 3], w[row + i], w[row + i + 1], w[row + i + 2], w[row + i + 3], rows);
            }
            for (; i < inputs; i++) {
                addWeighted(out, x[i], w[row + i], rows);
            }
            if (activation == DenseForm.Activation.RELU) {
                for (int e = 0; e < rows; e++) {
                    out[e] = Math.max(out[e], 0f);
                }
            } else if (activation == DenseForm.Activation.LEAKY_RELU) {
                for (int e = 0; e < rows; e++) {
                    out[e] = leaky(out[e]);
                }
            }
        }
    }

    /**
     * One event's output, row-major: for a trigger deciding event by event, where the block pass's
     * set-up for a block of one costs more than the arithmetic. Every output is computed with the
     * same operations in the same order as {@link Pass#forward} (bias, then four inputs at a time,
     * then the rest, then the ReLU): the same bits. The array returned is the calling thread's,
     * overwritten by its next call.
     */
    float[] forwardOne(float[] input, int offset) {
        float[][] outputs = oneEvent.get();
        float[] x = input;
        int from = offset;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            float[] w = layer.weights();
            int inputs = layer.inputs();
            float[] y = outputs[l];
            for (int o = 0; o < y.length; o++) {
                float out = layer.bias() == null ? 0f : layer.bias()[o];
                int row = o * inputs;
                int i = 0;
                for (; i + 4 <= inputs; i += 4) {
                    out += w[row + i] * x[from + i] + w[row + i + 1] * x[from + i + 1] + w[row + i + 2] * x[from + i + 2]
                            + w[row + i + 3] * x[from + i + 3];
                }
                for (; i < inputs; i++) {
                    out += w[row + i] * x[from + i];
                }
                y[o] = switch (activations[l]) {
                    case RELU -> Math.max(out, 0f);
                    case LEAKY_RELU -> leaky(out);
                    case LINEAR -> out;
                };
            }
            x = y;
            from = 0;
        }
        return x;
    }

    /** The leaky ReLU as PyTorch computes it in float: x where x &gt; 0, else x times the slope. */
    static float leaky(float x) {
        return x > 0f ? x : x * Networks.LEAKY_SLOPE;
    }

    /** {@code out += w * x} over {@code rows} events. */
    private static void addWeighted(float[] out, float[] x, float w, int rows) {
        for (int e = 0; e < rows; e++) {
            out[e] += w * x[e];
        }
    }

    /** {@code out += w0 x0 + w1 x1 + w2 x2 + w3 x3} over {@code rows} events. */
    private static void addWeighted(float[] out, float[] x0, float[] x1, float[] x2, float[] x3,
                                    float w0, float w1, float w2, float w3, int rows) {
        for (int e = 0; e < rows; e++) {
            out[e] += w0 * x0[e] + w1 * x1[e] + w2 * x2[e] + w3 * x3[e];
        }
    }
}
