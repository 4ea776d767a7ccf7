package org.darkscope.detect;

import java.util.List;

/**
 * The convolutional VAE of the talk written out for tools that rebuild it elsewhere (an ONNX
 * graph), on its channels-first event image (channels x 1 x rows): encoder convolution, ReLU,
 * max-pool (1, 2), convolution, ReLU, flatten, the dense layers (ReLU after each); the heads,
 * mean mu and raw log-variance r (log var = tanh(r / bound) bound); decoder from z = mu: the dense
 * layer (ReLU), reshape to the image, the convolutions (ReLU between, linear last). Every
 * convolution has a 1 x 4 kernel, stride 1, two columns of zeros on both sides and its first
 * output column dropped (Keras' "same" for an even kernel). The score is 0.5 sum (x' - x)^2,
 * and for the negative ELBO minus 0.5 sum (1 + log var - mu^2 - exp(log var)).
 *
 * @param channels         the image's channels
 * @param rows             the image's width (its rows of objects)
 * @param encoderConvs     the encoder's two convolutions
 * @param encoderDense     the encoder's dense layers after the flattening
 * @param mean             the mean head
 * @param logVariance      the log-variance head, before its bound
 * @param decoderDense     the decoder's dense layer, before the reshape to the image
 * @param decoderConvs     the decoder's convolutions
 * @param logVarianceBound the bound of |log var|
 * @param elbo             whether the score is the negative ELBO (else the reconstruction error)
 */
public record ConvVaeForm(int channels, int rows, List<Conv> encoderConvs, List<DenseForm.Layer> encoderDense, DenseForm.Layer mean,
                          DenseForm.Layer logVariance, DenseForm.Layer decoderDense, List<Conv> decoderConvs, float logVarianceBound,
                          boolean elbo) {
    public ConvVaeForm {
        encoderConvs = List.copyOf(encoderConvs);
        encoderDense = List.copyOf(encoderDense);
        decoderConvs = List.copyOf(decoderConvs);
    }

    /** The width of every convolution's kernel (its height is 1). */
    public static final int KERNEL_WIDTH = 4;

    /**
     * One convolution: {@code weights} as {@code [filters][inputs][1][KERNEL_WIDTH]}, one bias per filter.
     */
    public record Conv(int filters, int inputs, float[] weights, float[] bias) {
        public Conv {
            weights = weights.clone();
            bias = bias.clone();
        }
    }
}
