package org.darkscope.detect;

import java.util.List;

/**
 * A detector's score written out as what it is computed from: a stack of dense layers applied
 * to the standardised features, then the score from the last layer's output. For tools that
 * rebuild the score elsewhere (an ONNX graph, firmware); the same numbers the plain-Java scoring
 * uses. Immutable copies.
 *
 * @param layers the layers in the order applied
 * @param score  how the score comes from the input and the last layer's output
 */
public record DenseForm(List<Layer> layers, Score score) {
    public DenseForm {
        layers = List.copyOf(layers);
    }

    /** What follows a layer. */
    public enum Activation {
        /** Nothing. */
        LINEAR,
        /** max(x, 0). */
        RELU,
        /** x above zero, {@link #LEAKY_SLOPE} times x below. */
        LEAKY_RELU
    }

    /** The leaky ReLU's slope below zero. */
    public static final float LEAKY_SLOPE = Networks.LEAKY_SLOPE;

    /**
     * One dense layer, {@code y = activation(W x + b)}.
     *
     * @param weights row by row, {@code [outputs][inputs]}
     * @param bias    null where the layer has none
     */
    public record Layer(int inputs, int outputs, float[] weights, float[] bias, Activation activation) {
        public Layer {
            weights = weights.clone();
            bias = bias == null ? null : bias.clone();
        }
    }

    /** How the score comes from the network's input x and output y. */
    public sealed interface Score permits ReconstructionError, DistanceToCentre, Output {
    }

    /** sum over features of (y - x)^2, divided by {@code divisor} (the mean over features, or half the sum). */
    public record ReconstructionError(float divisor) implements Score {
    }

    /** sum over outputs of (y - centre)^2 (Deep SVDD). */
    public record DistanceToCentre(float[] centre) implements Score {
        public DistanceToCentre {
            centre = centre.clone();
        }
    }

    /** y itself, the network's one output (a classifier's log-odds). */
    public record Output() implements Score {
    }
}
