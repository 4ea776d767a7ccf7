package org.darkscope.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A {@link Conv2d} whose kernel spans one row (1 x k, stride 1, padding p only along the row): the
 * same function, parameters and saved form, computed as one matrix product of the k shifted copies
 * of the input (y[n, f, w] = sum over c, j of weight[f, c, 0, j] x[n, c, 0, w + j - p] + bias[f],
 * x zero outside the row) instead of by the PyTorch engine's convolution.
 *
 * <p>Why: on this project's machine (AVX-512) the CPU convolution of PyTorch 2.5.1 (oneDNN 3.5.3,
 * a JIT kernel on channels blocked by 16) gives wrong sums for a batch when the input has 20, 24
 * or 36 channels (3 to 16 and 32 are right): all-ones inputs and weights, 20 channels, give 32, 48,
 * 68 for 40, 60, 80. Now and then it gives NaN: the same input and weights 20,000 times, 240 NaN.
 * That is {@code conv-vae}'s last layer (20 channels in): its batch scores were 20 % from its
 * one-event scores, and NaN losses cut its trainings short. The price: {@code conv-vae} trains at
 * 24,200-27,300 events/s instead of 31,500 (batch 256, one thread, {@code bench/run.sh}).
 */
final class RowConvolution extends Conv2d {
    RowConvolution(Conv2d.Builder builder) {
        super(builder);
        if (kernelShape.get(0) != 1 || stride.get(0) != 1 || stride.get(1) != 1 || padding.get(0) != 0
                || dilation.get(0) != 1 || dilation.get(1) != 1 || groups != 1) {
            throw new IllegalArgumentException("a row convolution has a 1 x k kernel, stride 1, no dilation, one group, "
                    + "padding along the row only");
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
        Shape in = x.getShape(); // N x C x 1 x W
        int k = (int) kernelShape.get(1);
        long pad = padding.get(1);
        long out = in.get(3) + 2 * pad - k + 1;
        // N x (W + 2 pad) x C: the columns first, so that each tap is a slice of whole rows
        NDArray columns = (pad > 0 ? x.pad(new Shape(pad, pad), 0) : x).squeeze(2).transpose(0, 2, 1);
        NDList taps = new NDList(k);
        for (int j = 0; j < k; j++) {
            taps.add(columns.get(":, " + j + ":" + (j + out) + ", :"));
        }
        // one row per event and output column, its C k numbers in the order of the weight's (C, 1, k):
        // one matrix product for the whole batch
        NDArray unfolded = NDArrays.stack(taps, 3).reshape(in.get(0) * out, in.get(1) * k);
        NDArray y = unfolded.matMul(w.reshape(w.getShape().get(0), -1).transpose());
        if (includeBias) {
            y = y.add(parameterStore.getValue(bias, x.getDevice(), training));
        }
        y = y.reshape(in.get(0), out, -1).transpose(0, 2, 1); // N x F x out
        return new NDList(y.expandDims(2));
    }
}
