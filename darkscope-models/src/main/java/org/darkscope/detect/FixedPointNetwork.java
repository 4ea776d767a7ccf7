package org.darkscope.detect;

import java.util.List;

/**
 * A {@link DenseNetwork} evaluated as hls4ml's firmware would in one {@link FixedPoint} type:
 * the inputs, every weight and bias and every layer's result (after its bias, before its ReLU,
 * which is exact) quantised; a leaky ReLU multiplies by its slope coded in the type and codes the
 * product (hls4ml's {@code leaky_relu}); products and sums are exact (in a double: 2W bits and a few more for
 * the sum, within 53 for W up to {@value FixedPoint#MAX_BITS}).
 */
final class FixedPointNetwork {
    private final FixedPoint type;
    private final double[][] weights;
    private final double[][] biases;
    private final int[] inputs;
    private final DenseForm.Activation[] activations;
    /** The leaky ReLU's slope in the type (zero where the type has too few fraction bits for it). */
    private final double leakySlope;

    FixedPointNetwork(DenseNetwork network, FixedPoint type) {
        this.type = type;
        List<DenseNetwork.Layer> layers = network.layers();
        int n = layers.size();
        weights = new double[n][];
        biases = new double[n][];
        inputs = new int[n];
        activations = network.activations();
        leakySlope = type.quantize(Networks.LEAKY_SLOPE);
        for (int l = 0; l < n; l++) {
            DenseNetwork.Layer layer = layers.get(l);
            inputs[l] = layer.inputs();
            weights[l] = new double[layer.weights().length];
            for (int i = 0; i < weights[l].length; i++) {
                weights[l][i] = type.quantize(layer.weights()[i]);
            }
            biases[l] = new double[layer.outputs()];
            for (int o = 0; o < layer.outputs(); o++) {
                biases[l][o] = layer.bias() == null ? 0 : type.quantize(layer.bias()[o]);
            }
        }
    }

    /** The quantised input of one event. */
    double[] input(float[] values, int offset) {
        double[] x = new double[inputs[0]];
        for (int i = 0; i < x.length; i++) {
            x[i] = type.quantize(values[offset + i]);
        }
        return x;
    }

    /** The network's output for a quantised input. */
    double[] forward(double[] input) {
        double[] x = input;
        for (int l = 0; l < weights.length; l++) {
            double[] y = new double[biases[l].length];
            for (int o = 0; o < y.length; o++) {
                double sum = biases[l][o];
                int row = o * inputs[l];
                for (int i = 0; i < inputs[l]; i++) {
                    sum += weights[l][row + i] * x[i];
                }
                double v = type.quantize(sum);
                y[o] = switch (activations[l]) {
                    case RELU -> Math.max(v, 0);
                    case LEAKY_RELU -> v > 0 ? v : type.quantize(leakySlope * v); // the product exact, then coded
                    case LINEAR -> v;
                };
            }
            x = y;
        }
        return x;
    }
}
