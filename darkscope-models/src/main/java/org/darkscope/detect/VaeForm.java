package org.darkscope.detect;

import java.util.List;

/**
 * The dense VAE's negative-ELBO score written out for tools that rebuild it elsewhere (an ONNX
 * graph): the encoder's layers (a ReLU after each), the two heads, mean mu and raw log-variance
 * r (log var = tanh(r / bound) bound), the decoder from z = mu (ReLU between, linear last); the
 * score is 0.5 sum (x' - x)^2 - 0.5 sum (1 + log var - mu^2 - exp(log var)).
 *
 * @param encoder          the encoder's layers
 * @param mean             the mean head
 * @param logVariance      the log-variance head, before its bound
 * @param decoder          the decoder's layers
 * @param logVarianceBound the bound of |log var|
 */
public record VaeForm(List<DenseForm.Layer> encoder, DenseForm.Layer mean, DenseForm.Layer logVariance,
                      List<DenseForm.Layer> decoder, float logVarianceBound) {
    public VaeForm {
        encoder = List.copyOf(encoder);
        decoder = List.copyOf(decoder);
    }
}
