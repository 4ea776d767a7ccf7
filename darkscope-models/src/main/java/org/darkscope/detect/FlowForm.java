package org.darkscope.detect;

import java.util.List;

/**
 * A normalizing flow's score written out for tools that rebuild it elsewhere (an ONNX graph):
 * the standardised features go through an optional per-feature shift and scale (the spline
 * flow's actnorm), then through each layer, whose MADE network (dense layers with the masks
 * applied, ReLU between, a linear output) gives every feature's parameters from the features
 * before it, and whose transform maps the features with them; the feature order is reversed
 * between layers. The score is -log p(x) = |u|^2 / 2 + D/2 log(2 pi) - log|det du/dx|.
 *
 * @param dimension the number of features
 * @param shift     the actnorm's shift per feature; null where there is none ({@code maf})
 * @param logScale  the actnorm's log-scale per feature (h = (x - shift) exp(-logScale)); null with shift
 * @param made      per layer, its MADE network's layers
 * @param transform what each layer does with its network's output
 */
public record FlowForm(int dimension, float[] shift, float[] logScale, List<List<DenseForm.Layer>> made, Transform transform) {
    public FlowForm {
        made = made.stream().map(List::copyOf).toList();
    }

    /** What a layer does with its network's output. */
    public sealed interface Transform permits Spline, Affine {
    }

    /**
     * The rational-quadratic spline of {@link NeuralSplineFlow}: output {@code p * D + i} is
     * feature i's p-th parameter, the first {@code bins} the unnormalised widths, the next
     * {@code bins} the heights, the last {@code bins - 1} the interior derivatives. Widths and
     * heights are softmax(.) (1 - minBin bins) + minBin, times 2 tailBound; derivatives
     * softplus(. + derivativeOffset) + minDerivative, 1 at both ends; the identity outside
     * [-tailBound, tailBound].
     */
    public record Spline(int bins, float tailBound, float minBin, float minDerivative, float derivativeOffset) implements Transform {
    }

    /**
     * The affine layer of {@link MaskedAutoregressiveFlow}: outputs 0..D-1 are the shifts mu,
     * D..2D-1 the raw log-scales r; alpha = tanh(r / scaleBound) scaleBound, u = (h - mu) exp(-alpha).
     */
    public record Affine(float scaleBound) implements Transform {
    }
}
