package org.darkscope.onnx;

import java.util.List;
import org.darkscope.detect.DenseForm;
import org.darkscope.detect.FlowForm;

/**
 * A normalizing flow's -log p(x) in ONNX operators, from the standardised features ({@link FlowForm}):
 * the actnorm, each layer's MADE network (Gemm, Relu), its transform (the rational-quadratic
 * spline: Softmax, CumSum, Softplus, Pad, a one-hot of the bin by GreaterOrEqual, and the
 * formulas of Durkan et al.; or MAF's affine map), the order reversed between layers (Gather),
 * and the Gaussian base density.
 */
final class FlowGraph {
    private final OnnxGraph g;
    private final FlowForm form;
    private final int d;
    private final String axis1;
    private final String axis2;
    /** The bins' axis as CumSum takes it, a scalar. */
    private final String cumSumAxis;
    private int constants;

    private FlowGraph(OnnxGraph g, FlowForm form) {
        this.g = g;
        this.form = form;
        this.d = form.dimension();
        this.axis1 = g.constant("axis_1", 1L);
        this.axis2 = g.constant("axis_2", 2L);
        this.cumSumAxis = g.scalar("bins_axis", 2L);
    }

    /** Appends the flow to {@code g} from the standardised features {@code x}; returns the name of -log p(x), [events]. */
    static String negativeLogDensity(OnnxGraph g, FlowForm form, String x) {
        return new FlowGraph(g, form).build(x);
    }

    /** A float scalar (a tensor of no dimensions, as Clip and Pad take). */
    private String scalar(float value) {
        return g.constant("c" + constants++, new float[] {value});
    }

    private String op(String type, String... inputs) {
        return g.node(type, List.of(inputs));
    }


    private String build(String x) {
        String h = x;
        String logDet = null; // the layers' log|det| per event
        double actnormLogDet = 0; // the actnorm's, the same for every event
        if (form.shift() != null) {
            h = op("Mul", op("Sub", h, g.constant("actnorm_shift", form.shift(), d)),
                    g.constant("actnorm_inverse_scale", exp(form.logScale(), -1), d));
            for (float a : form.logScale()) {
                actnormLogDet -= a;
            }
        }
        long[] reversed = new long[d];
        for (int i = 0; i < d; i++) {
            reversed[i] = d - 1 - i;
        }
        String reverse = g.constant("reverse", reversed);
        for (int k = 0; k < form.made().size(); k++) {
            String p = h;
            for (DenseForm.Layer layer : form.made().get(k)) {
                p = g.node("Gemm", List.of(p, g.constant("made" + k + "_W" + constants++, layer.weights(), layer.outputs(), layer.inputs()),
                        g.constant("made" + k + "_b" + constants++, layer.bias(), layer.outputs())), OnnxGraph.attribute("transB", 1L));
                if (layer.activation() == DenseForm.Activation.RELU) {
                    p = op("Relu", p);
                }
            }
            String[] result = form.transform() instanceof FlowForm.Spline spline ? spline(h, p, spline) : affine(h, p, (FlowForm.Affine) form.transform());
            logDet = logDet == null ? result[1] : op("Add", logDet, result[1]);
            h = k < form.made().size() - 1 ? g.node("Gather", List.of(result[0], reverse), OnnxGraph.attribute("axis", 1L)) : result[0];
        }
        // -log p = |u|^2 / 2 + D/2 log(2 pi) - log|det|
        String half = op("Mul", g.reduceSum(op("Mul", h, h), axis1), scalar(0.5f));
        return op("Sub", op("Add", half, scalar((float) (0.5 * d * Math.log(2 * Math.PI) - actnormLogDet))), logDet);
    }

    private static float[] exp(float[] values, float sign) {
        float[] e = new float[values.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) Math.exp(sign * values[i]);
        }
        return e;
    }

    /** MAF's layer: u = (h - mu) exp(-alpha), alpha = tanh(r / B) B; log|det| = -sum alpha. */
    private String[] affine(String h, String p, FlowForm.Affine affine) {
        String mu = slice(p, 0, d, axis1);
        String raw = slice(p, d, 2L * d, axis1);
        String bound = scalar(affine.scaleBound());
        String alpha = op("Mul", op("Tanh", op("Div", raw, bound)), bound);
        String u = op("Mul", op("Sub", h, mu), op("Exp", op("Neg", alpha)));
        return new String[] {u, op("Neg", g.reduceSum(alpha, axis1))};
    }

    private String slice(String value, long from, long to, String axes) {
        return op("Slice", value, g.constant("from" + constants++, from), g.constant("to" + constants++, to), axes);
    }

    /** The rational-quadratic spline of {@code NeuralSplineFlow}, feature by feature: y and the per-event log|det|. */
    private String[] spline(String x, String p, FlowForm.Spline s) {
        int bins = s.bins();
        long parameters = 3L * bins - 1;
        // output p * d + i is feature i's p-th parameter: (n, P, d) -> (n, d, P)
        String params = g.node("Transpose", List.of(op("Reshape", p, g.constant("shape" + constants++, -1L, parameters, d))),
                OnnxGraph.ints("perm", 0, 2, 1));
        float span = 2 * s.tailBound();
        String widths = normalised(slice(params, 0, bins, axis2), s, bins, span);
        String heights = normalised(slice(params, bins, 2L * bins, axis2), s, bins, span);
        String bound = scalar(s.tailBound());
        String xLeft = op("Sub", exclusiveSum(widths), bound); // the K left knots
        String yLeft = op("Sub", exclusiveSum(heights), bound);
        String interior = op("Add", op("Softplus", op("Add", slice(params, 2L * bins, parameters, axis2), scalar(s.derivativeOffset()))),
                scalar(s.minDerivative()));
        String d0 = pad(interior, 1, 0, 1f); // the derivative at each bin's left knot: 1, interior...
        String d1 = pad(interior, 0, 1, 1f); // at its right knot: ..., interior, 1
        String inside = g.node("Cast", List.of(g.node("Less", List.of(op("Abs", x), bound))), OnnxGraph.attribute("to", 1L));
        String xc = op("Clip", x, op("Neg", bound), bound);
        // which bin: the last left knot at or below x, as a one-hot over the K bins
        String atOrAbove = g.node("Cast", List.of(op("GreaterOrEqual", g.node("Unsqueeze", List.of(xc, axis2)), xLeft)),
                OnnxGraph.attribute("to", 1L));
        String oneHot = op("Sub", atOrAbove, pad(slice(atOrAbove, 1, bins, axis2), 0, 1, 0f));
        String x0 = pick(oneHot, xLeft);
        String y0 = pick(oneHot, yLeft);
        String w = pick(oneHot, widths);
        String hgt = pick(oneHot, heights);
        String dl = pick(oneHot, d0);
        String dr = pick(oneHot, d1);
        String slope = op("Div", hgt, w);
        String one = scalar(1f);
        String xi = op("Clip", op("Div", op("Sub", xc, x0), w), scalar(0f), one);
        String t = op("Mul", xi, op("Sub", one, xi));
        String two = scalar(2f);
        String denominator = op("Add", slope, op("Mul", op("Sub", op("Add", dr, dl), op("Mul", slope, two)), t));
        String y = op("Add", y0, op("Div", op("Mul", hgt, op("Add", op("Mul", slope, op("Mul", xi, xi)), op("Mul", dl, t))), denominator));
        String oneMinusXi = op("Sub", one, xi);
        String derivative = op("Div", op("Mul", op("Mul", slope, slope), op("Add", op("Add", op("Mul", dr, op("Mul", xi, xi)),
                op("Mul", op("Mul", slope, t), two)), op("Mul", dl, op("Mul", oneMinusXi, oneMinusXi)))), op("Mul", denominator, denominator));
        String outside = op("Sub", one, inside);
        String out = op("Add", op("Mul", y, inside), op("Mul", x, outside));
        String logDet = g.reduceSum(op("Log", op("Add", op("Mul", derivative, inside), outside)), axis1);
        return new String[] {out, logDet};
    }

    /** softmax over the bins, (1 - minBin K) of it plus minBin, times the span. */
    private String normalised(String raw, FlowForm.Spline s, int bins, float span) {
        String softmax = g.node("Softmax", List.of(raw), OnnxGraph.attribute("axis", 2L));
        return op("Mul", op("Add", op("Mul", softmax, scalar(1 - s.minBin() * bins)), scalar(s.minBin())), scalar(span));
    }

    /** The sums of the entries before each along the bins: 0, w1, w1 + w2, ... */
    private String exclusiveSum(String values) {
        return g.node("CumSum", List.of(values, cumSumAxis), OnnxGraph.attribute("exclusive", 1L));
    }

    /** {@code values} padded along the bins with {@code before} and {@code after} entries of {@code value}. */
    private String pad(String values, long before, long after, float value) {
        return op("Pad", values, g.constant("pads" + constants++, 0L, 0L, before, 0L, 0L, after), scalar(value));
    }

    /** The entry the one-hot selects along the bins. */
    private String pick(String oneHot, String values) {
        return g.reduceSum(op("Mul", oneHot, values), axis2);
    }

}
