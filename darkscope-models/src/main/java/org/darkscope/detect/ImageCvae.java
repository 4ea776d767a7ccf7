package org.darkscope.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * {@code image-cvae}: the convolutional VAE of Herrero-Garcia, Patrick and Scaffidi, "Convolutional
 * Variational Autoencoders for Dark Matter Anomaly Detection" (2021, after Khosa, Mars, Richards
 * and Sanz, arXiv:1911.09210), layer for layer, on detector images (the {@code image} encoding,
 * channels first): a convolution of 128 filters, kernel 3x3, stride 3, LeakyReLU (slope 0.05);
 * flattened, the latent space's 256 means and 256 (log-)variances; the decoder its mirror, a dense
 * layer back to the 128 feature maps, LeakyReLU, and a transposed convolution (kernel 3x3, stride
 * 3) back to the image. On 75x75x3 images: 61,527,555 trainable parameters. Heights and widths
 * must be multiples of 3.
 *
 * <p>A transposed convolution whose stride equals its kernel maps each input pixel to its own
 * 3x3 block; it is computed as a 1x1 convolution to C x 9 channels (no bias), a rearrangement of
 * those channels into the blocks, and one bias per output channel: the same function and the same
 * parameters as PyTorch's {@code ConvTranspose2d} (the PyTorch engine of Deep Java Library has no
 * deconvolution operator). Training and score as {@code vae}: score = the reconstruction error
 * 0.5 sum (x - x')^2 with z at the posterior mean, or the negative ELBO ({@code score=elbo}).
 */
public final class ImageCvae extends VariationalAutoencoder {
    /** Filters of the convolution. */
    public static final int FILTERS = 128;
    /** Kernel size and stride. */
    public static final int STRIDE = 3;
    /** Latent dimensions. */
    public static final int LATENT = 256;
    /** The talk's LeakyReLU slope. */
    public static final float SLOPE = 0.05f;

    public ImageCvae(Hyperparameters hp) {
        super("image-cvae", hp, new Architecture() {
            @Override
            public Block encoder() {
                return new SequentialBlock()
                        .add(Conv2d.builder().setKernelShape(new Shape(STRIDE, STRIDE)).optStride(new Shape(STRIDE, STRIDE))
                                .setFilters(FILTERS).build())
                        .add(x -> Activation.leakyRelu(x, SLOPE))
                        .add(Blocks.batchFlattenBlock());
            }

            @Override
            public Block decoder(int[] inputShape) {
                requireShape(inputShape);
                int h = inputShape[1] / STRIDE;
                int w = inputShape[2] / STRIDE;
                int channels = inputShape[0];
                return new SequentialBlock()
                        .add(Linear.builder().setUnits((long) FILTERS * h * w).build())
                        .add(x -> Activation.leakyRelu(x, SLOPE))
                        .addSingleton(x -> x.reshape(-1, FILTERS, h, w))
                        .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(channels * STRIDE * STRIDE).optBias(false).build())
                        .addSingleton(x -> toBlocks(x, channels, h, w))
                        .add(new ChannelBias(channels));
            }

            @Override
            public int latent() {
                return LATENT;
            }
        });
    }

    /** Detector images carry no event weights to count. */
    @Override
    public boolean fitsWeights() {
        return false;
    }

    static void requireShape(int[] shape) {
        if (shape.length != 3 || shape[1] % STRIDE != 0 || shape[2] % STRIDE != 0) {
            throw new IllegalArgumentException("image-cvae reads images of channels x height x width with height and width multiples of "
                    + STRIDE + " (its stride), got " + java.util.Arrays.toString(shape) + ": give image samples (.npy, folders of PNG)");
        }
    }

    /** (n, C*9, h, w) to (n, C, 3h, 3w): channel c*9 + 3*ky + kx fills pixel (3i + ky, 3j + kx) of channel c. */
    static NDArray toBlocks(NDArray x, int channels, int h, int w) {
        return x.reshape(-1, channels, STRIDE, STRIDE, h, w).transpose(0, 1, 4, 2, 5, 3)
                .reshape(-1, channels, (long) h * STRIDE, (long) w * STRIDE);
    }

    /** The network's trainable parameters on images of {@code shape} (C, H, W), by the layers' formulas. */
    public static long parameters(int[] shape) {
        long c = shape[0];
        long flat = (long) FILTERS * (shape[1] / STRIDE) * (shape[2] / STRIDE);
        long conv = c * FILTERS * STRIDE * STRIDE + FILTERS;
        long heads = 2 * (flat * LATENT + LATENT);
        long dense = LATENT * flat + flat;
        long deconv = FILTERS * c * STRIDE * STRIDE + c;
        return conv + heads + dense + deconv;
    }

    /** One bias per channel of (n, C, H, W). */
    static final class ChannelBias extends AbstractBlock {
        private final int channels;
        private final Parameter bias;

        ChannelBias(int channels) {
            this.channels = channels;
            bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                    .optShape(new Shape(channels)).optInitializer(Initializer.ZEROS).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray b = store.getValue(bias, x.getDevice(), training).reshape(1, channels, 1, 1);
            b.attach(x.getManager()); // an array made from a parameter goes to this batch's manager (see MaskedLinear)
            return new NDList(x.add(b));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            // no child blocks; the bias's shape is known from the start
        }
    }
}
