package org.darkscope.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/** Building blocks shared by the neural detectors. */
final class Networks {
    /** The leaky ReLU's slope below zero (Deep SVDD's layers), as {@link DenseNetwork} computes it too. */
    static final float LEAKY_SLOPE = 0.01f;

    private Networks() {
    }

    /**
     * Dense layers of the given widths, each followed by an activation except (when
     * {@code linearOutput}) the last; {@code bias = false} gives Deep SVDD's bias-free network.
     */
    static SequentialBlock dense(int[] widths, boolean linearOutput, boolean bias, boolean leaky) {
        SequentialBlock block = new SequentialBlock();
        for (int i = 0; i < widths.length; i++) {
            block.add(Linear.builder().setUnits(widths[i]).optBias(bias).build());
            if (!(linearOutput && i == widths.length - 1)) {
                block.add(leaky ? x -> Activation.leakyRelu(x, LEAKY_SLOPE) : Activation::relu);
            }
        }
        return block;
    }

    /**
     * {@code like} times {@code factor}, the factor held in the engine's own memory. Never
     * {@code NDArray.mul(Number)} inside a network: Deep Java Library wraps the number in a tensor
     * over a Java buffer (PyTorch's {@code from_blob}) and frees the buffer as soon as the product
     * is made, while autograd keeps that tensor for the backward pass, which then reads freed
     * memory whenever the garbage collector ran in between: gradients of garbage, now and then NaN
     * (measured: a flow's gradient for one batch differed in 292 of 300 repetitions with a
     * collection forced between forward and backward; in plain training about every other
     * process parted from the others). {@code add(Number)} and {@code sub(Number)} keep no tensor.
     */
    static NDArray times(NDArray like, float factor) {
        return like.mul(like.getManager().full(new Shape(), factor));
    }

    /** {@code like} divided by {@code divisor}, held as {@link #times} holds its factor. */
    static NDArray over(NDArray like, float divisor) {
        return like.div(like.getManager().full(new Shape(), divisor));
    }

    /** Reversed copy of a width list (the decoder mirrors the encoder). */
    static int[] reversed(int[] widths) {
        int[] r = new int[widths.length];
        for (int i = 0; i < widths.length; i++) {
            r[i] = widths[widths.length - 1 - i];
        }
        return r;
    }

    /** {@code widths} followed by {@code last}. */
    static int[] append(int[] widths, int last) {
        int[] r = java.util.Arrays.copyOf(widths, widths.length + 1);
        r[widths.length] = last;
        return r;
    }

    static String join(int[] widths) {
        return String.join(",", java.util.Arrays.stream(widths).mapToObj(Integer::toString).toList());
    }
}
