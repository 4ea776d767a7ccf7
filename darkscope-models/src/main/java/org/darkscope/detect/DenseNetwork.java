package org.darkscope.detect;

import java.util.List;
import org.darkscope.feature.FeatureBatch;

/**
 * A trained stack of dense layers, each followed by a ReLU or not, evaluated in plain Java so
 * that scoring needs no engine. The forward pass runs feature-major, one array per
 * feature holding a block of events, so every step is {@code y[event] += w * x[event]} over the
 * block: loops the JIT compiler turns into vector instructions (the autoencoder's layers at about
 * 90 GFLOP/s alone on one core of the benchmark machine, AMD EPYC with AVX-512, and 65-80 beside
 * the reader in a score). The sums run in one fixed order: the same scores on every machine and at
 * every thread count. Immutable; safe to share between threads.
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
    private final boolean[] relu;
    /** Each thread's working arrays, kept from one batch to the next (a megabyte for the autoencoder). */
    private final ThreadLocal<Pass> passes = ThreadLocal.withInitial(Pass::new);

    /**
     * The layers in the order applied, {@code relu[i]} whether a ReLU follows layer {@code i}.
     *
     * @throws IllegalArgumentException where a layer does not take what the one before gives
     */
    DenseNetwork(List<Layer> layers, boolean[] relu) {
        if (layers.isEmpty() || relu.length != layers.size()) {
            throw new IllegalArgumentException(layers.size() + " layers, " + relu.length + " activation flags");
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).inputs() != layers.get(i - 1).outputs()) {
                throw new IllegalArgumentException("layer " + (i + 1) + " takes " + layers.get(i).inputs()
                        + " inputs, layer " + i + " gives " + layers.get(i - 1).outputs());
            }
        }
        this.layers = List.copyOf(layers);
        this.relu = relu.clone();
    }

    /** ReLU after every layer but the last, which is linear ({@link Networks#dense} with a linear output). */
    static DenseNetwork reluBetween(List<Layer> layers) {
        boolean[] relu = new boolean[layers.size()];
        java.util.Arrays.fill(relu, true);
        relu[relu.length - 1] = false;
        return new DenseNetwork(layers, relu);
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
        private final float[][][] activations = new float[layers.size() + 1][][];

        Pass() {
            activations[0] = new float[inputs()][BLOCK];
            for (int l = 0; l < layers.size(); l++) {
                activations[l + 1] = new float[layers.get(l).outputs()][BLOCK];
            }
        }

        /**
         * Copies the events {@code [from, from + rows)} of {@code batch} ({@code rows} at most
         * {@link #BLOCK}) into the input, feature-major ({@code [feature][event]}), and returns it.
         */
        float[][] input(FeatureBatch batch, int from, int rows) {
            float[][] features = activations[0];
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
                apply(layers.get(l), activations[l], activations[l + 1], rows, relu[l]);
            }
            return activations[layers.size()];
        }
    }

    private static void apply(Layer layer, float[][] x, float[][] y, int rows, boolean relu) {
        // the layer's inputs as the number of input arrays (the pass made one per input): C2 then
        // knows every x[i] below is in range, and only then does it vectorise the loop over events
        int inputs = x.length;
        int outputs = layer.outputs();
        float[] w = layer.weights();
        for (int o = 0; o < outputs; o++) {
            java.util.Arrays.fill(y[o], 0, rows, layer.bias() == null ? 0f : layer.bias()[o]);
        }
        // Two outputs and four inputs per pass: each input is loaded once for both outputs, which
        // halves the loads per multiply-add; every output still adds its inputs in fours, in input
        // order (the same sums as one output at a time). The loop stands here, not in a method of
        // its own: C2 vectorises it where it is compiled as part of this method (three or more
        // outputs per pass, or the same loop compiled alone, it leaves scalar: five times slower).
        int o = 0;
        for (; o + 2 <= outputs; o += 2) {
            float[] out0 = y[o];
            float[] out1 = y[o + 1];
            int row0 = o * inputs;
            int row1 = row0 + inputs;
            int i = 0;
            for (; i + 4 <= inputs; i += 4) {
                float[] x0 = x[i];
                float[] x1 = x[i + 1];
                float[] x2 = x[i + 2];
                float[] x3 = x[i + 3];
                float a0 = w[row0 + i];
                float a1 = w[row0 + i + 1];
                float a2 = w[row0 + i + 2];
                float a3 = w[row0 + i + 3];
                float b0 = w[row1 + i];
                float b1 = w[row1 + i + 1];
                float b2 = w[row1 + i + 2];
                float b3 = w[row1 + i + 3];
                for (int e = 0; e < rows; e++) {
                    float v0 = x0[e];
                    float v1 = x1[e];
                    float v2 = x2[e];
                    float v3 = x3[e];
                    out0[e] += a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3;
                    out1[e] += b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3;
                }
            }
            for (; i < inputs; i++) {
                addWeighted(out0, x[i], w[row0 + i], rows);
                addWeighted(out1, x[i], w[row1 + i], rows);
            }
        }
        if (o < outputs) { // the last of an odd number of outputs
            float[] out = y[o];
            int row = o * inputs;
            int i = 0;
            for (; i + 4 <= inputs; i += 4) {
                addWeighted(out, x[i], x[i + 1], x[i + 2], x[i + 3], w[row + i], w[row + i + 1], w[row + i + 2], w[row + i + 3], rows);
            }
            for (; i < inputs; i++) {
                addWeighted(out, x[i], w[row + i], rows);
            }
        }
        if (relu) {
            for (int k = 0; k < outputs; k++) {
                float[] out = y[k];
                for (int e = 0; e < rows; e++) {
                    out[e] = Math.max(out[e], 0f);
                }
            }
        }
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
