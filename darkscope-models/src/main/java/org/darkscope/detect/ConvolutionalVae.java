package org.darkscope.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import java.util.List;
import org.darkscope.feature.ConvEncoding;

/**
 * {@code conv-vae}: the convolutional VAE of the talk "Artificial Intelligence and Dark Matter",
 * layer for layer, on the 1x14x4 event image ({@link ConvEncoding}, here channels-first 4x1x14):
 * Conv2D 32 filters kernel (1,4) "same" padding, max-pool (1,2), Conv2D 32 (1,4), flatten (224),
 * dense 50, dense 16, z_mean 4 and z_log_var 4; decoder dense 56, reshape to 1x14x4, transposed
 * convolutions with 32, 20 and 4 filters, kernel (1,4). 20,602 trainable parameters, as in the
 * talk. Keras' "same" padding for an even kernel is asymmetric (one column before, two after);
 * it is reproduced by padding two on both sides and dropping the first output column.
 * Settings as for {@code vae} (beta, warmup, score).
 */
public final class ConvolutionalVae extends VariationalAutoencoder {
    private static final int LATENT = 4;
    private static final Shape KERNEL = new Shape(1, 4);
    private static final NDIndex DROP_FIRST_COLUMN = new NDIndex(":, :, :, 1:");

    public ConvolutionalVae(Hyperparameters hp) {
        super("conv-vae", hp, new Architecture() {
            @Override
            public Block encoder() {
                return new SequentialBlock()
                        .add(conv(32))
                        .add(Activation::relu)
                        .add(Pool.maxPool2dBlock(new Shape(1, 2), new Shape(1, 2)))
                        .add(conv(32))
                        .add(Activation::relu)
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(50).build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(16).build())
                        .add(Activation::relu);
            }

            @Override
            public Block decoder(int[] inputShape) {
                return new SequentialBlock()
                        .add(Linear.builder().setUnits(ConvEncoding.ROWS * ConvEncoding.COLUMNS).build())
                        .add(Activation::relu)
                        .addSingleton(x -> x.reshape(-1, ConvEncoding.COLUMNS, 1, ConvEncoding.ROWS))
                        .add(deconv(32))
                        .add(Activation::relu)
                        .add(deconv(20))
                        .add(Activation::relu)
                        .add(deconv(ConvEncoding.COLUMNS));
            }

            @Override
            public int latent() {
                return LATENT;
            }
        });
    }

    /**
     * Events per forward pass when scoring: 1,024, not 4,096, for its convolutions' unfolded inputs
     * (5 M events under -Xmx256m, bench/memory.sh: peak 542-574 MB and 54,600-67,400 events/s,
     * against 718-733 MB and 46,800-55,000).
     */
    static final int SCORING_BATCH = 1024;

    @Override
    protected int scoringBatch() {
        return SCORING_BATCH;
    }

    /** The network, for the event image of {@link ConvEncoding} alone: refused for any other input, saying which to give. */
    @Override
    protected Block buildBlock(int[] inputShape) {
        int[] image = new ConvEncoding(false, true).shape();
        if (!java.util.Arrays.equals(inputShape, image)) {
            throw new IllegalArgumentException("conv-vae reads the event image of " + ConvEncoding.SYMMETRIC_NAME + " or "
                    + ConvEncoding.NAME + " (shape " + java.util.Arrays.toString(image) + "), got the shape "
                    + java.util.Arrays.toString(inputShape) + ": train it with --encoding " + ConvEncoding.SYMMETRIC_NAME
                    + " (its default)");
        }
        return super.buildBlock(inputShape);
    }

    /** Conv2D with Keras "same" output width for kernel (1,4), computed as a {@link RowConvolution}. */
    private static Block conv(int filters) {
        return new SequentialBlock()
                .add(new RowConvolution(Conv2d.builder().setKernelShape(KERNEL).optPadding(new Shape(0, 2)).setFilters(filters)))
                .addSingleton(ConvolutionalVae::dropFirstColumn);
    }

    /**
     * Conv2DTranspose (stride 1, "same") of Keras. With stride 1 a transposed convolution is a
     * convolution with the kernel flipped and its channel axes swapped, the same functions with
     * the same number of parameters; it is computed as one because the PyTorch engine of Deep Java
     * Library has no deconvolution operator.
     */
    private static Block deconv(int filters) {
        return conv(filters);
    }

    /** This model written out (see {@link ConvVaeForm}); only once fitted or loaded. */
    public ConvVaeForm convVaeForm() {
        if (block() == null) {
            throw new IllegalStateException("conv-vae is not fitted");
        }
        List<float[]> p = new java.util.ArrayList<>();
        List<long[]> shapes = new java.util.ArrayList<>();
        for (var parameter : block().getParameters()) {
            p.add(parameter.getValue().getArray().toFloatArray());
            shapes.add(parameter.getValue().getArray().getShape().getShape());
        }
        if (p.size() != 20) {
            throw new IllegalStateException("conv-vae holds " + p.size() + " parameter arrays, its layout 20");
        }
        java.util.function.IntFunction<ConvVaeForm.Conv> conv = i -> new ConvVaeForm.Conv((int) shapes.get(i)[0], (int) shapes.get(i)[1],
                p.get(i), p.get(i + 1));
        java.util.function.BiFunction<Integer, DenseForm.Activation, DenseForm.Layer> dense = (i, a) -> new DenseForm.Layer(
                (int) shapes.get(i)[1], (int) shapes.get(i)[0], p.get(i), p.get(i + 1), a);
        // the order of the parameters: encoder convolutions, dense 50 and 16, the heads, decoder dense, convolutions
        return new ConvVaeForm(ConvEncoding.COLUMNS, ConvEncoding.ROWS, List.of(conv.apply(0), conv.apply(2)),
                List.of(dense.apply(4, DenseForm.Activation.RELU), dense.apply(6, DenseForm.Activation.RELU)),
                dense.apply(8, DenseForm.Activation.LINEAR), dense.apply(10, DenseForm.Activation.LINEAR),
                dense.apply(12, DenseForm.Activation.RELU), List.of(conv.apply(14), conv.apply(16), conv.apply(18)),
                LOG_VARIANCE_BOUND, elboScore());
    }

    static NDArray dropFirstColumn(NDArray x) {
        return x.get(DROP_FIRST_COLUMN);
    }
}
