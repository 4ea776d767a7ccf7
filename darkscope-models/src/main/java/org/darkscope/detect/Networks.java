package org.darkscope.detect;

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
