package org.darkscope.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.List;

/**
 * {@code flow}: a rational-quadratic neural spline flow (C. Durkan, A. Bekasov, I. Murray,
 * G. Papamakarios, "Neural Spline Flows", NeurIPS 2019, arXiv:1906.04032), autoregressive
 * (RQ-NSF(AR)), fitted by maximum likelihood on background. The score is -log p(x) in nats, a
 * real density: the flow's log-density is tested against Gaussians and a two-moons mixture whose
 * densities are known.
 *
 * <p>A per-feature shift and scale (Glow's "actnorm", D. P. Kingma, P. Dhariwal, NeurIPS 2018)
 * comes first, so that features wider than the splines' interval are brought into it. Then each
 * layer maps every feature through a monotonic rational-quadratic spline of {@code bins}
 * bins on [-{@value #TAIL_BOUND}, {@value #TAIL_BOUND}] (standardised units; the identity outside,
 * where the base density is a standard normal), whose knot widths, heights and derivatives a MADE
 * network (Germain et al., ICML 2015) computes from the features before it; the feature order is
 * reversed between layers. The network's output layer starts at zero and the derivatives are
 * offset so that an untrained layer is exactly the identity. Where MAF's affine layers can only
 * shift and scale, a spline bends: a few layers model multi-modal and bounded densities.
 *
 * <p>Settings: {@code layers} (2), {@code hidden} (32,32), {@code bins} (8), {@code noise} (0.2, see {@link NormalizingFlow}),
 * {@code units} (physical, {@link PhysicalDensity}): the smallest of the settings tried that the
 * signal-agnostic protocol could not tell from the best (README, "How the defaults were chosen").
 */
public final class NeuralSplineFlow extends NormalizingFlow {
    /** The splines act on [-B, B]; outside, every layer is the identity. */
    public static final float TAIL_BOUND = 5f;
    /** Smallest bin width and height, as a fraction of the interval. */
    private static final float MIN_BIN = 1e-3f;
    /** Smallest knot derivative. */
    private static final float MIN_DERIVATIVE = 1e-3f;

    public static final Setting LAYERS = Setting.integer("layers", 2, 1, 32, "number of autoregressive spline layers");
    public static final Setting HIDDEN = Setting.widths("hidden", "32,32", "hidden layers of each layer's MADE network");
    public static final Setting BINS = Setting.integer("bins", 8, 2, 128, "spline bins on [-" + (int) TAIL_BOUND + ", " + (int) TAIL_BOUND + "]");
    public static final Setting NOISE = noise(0.2);
    public static final List<Setting> SETTINGS = List.of(LAYERS, HIDDEN, BINS, NOISE, PhysicalDensity.UNITS);

    private final int layers;
    private final int[] hidden;
    private final int bins;

    public NeuralSplineFlow(Hyperparameters hp) {
        super(Setting.complete("flow", hp, SETTINGS), NOISE);
        this.layers = LAYERS.integer(hyperparameters);
        this.hidden = HIDDEN.widths(hyperparameters);
        this.bins = BINS.integer(hyperparameters);
    }

    @Override
    public String name() {
        return "flow";
    }

    @Override
    protected Block buildBlock(int[] inputShape) {
        requireInput(name(), inputShape, false);
        return new SplineBlock(inputShape[0], layers, hidden, bins);
    }

    @Override
    protected FlowForm flowForm(Block block) {
        SplineBlock flow = (SplineBlock) block;
        return new FlowForm(flow.dimension, flow.shift.getArray().toFloatArray(), flow.logScale.getArray().toFloatArray(),
                flow.madeLayers(), new FlowForm.Spline(bins, TAIL_BOUND, MIN_BIN, MIN_DERIVATIVE, SplineBlock.DERIVATIVE_OFFSET));
    }

    /** The stack of spline layers; output: the base-space point u and the summed log|det|. */
    static final class SplineBlock extends MadeStack {
        private final int bins;
        /** softplus(DERIVATIVE_OFFSET) + MIN_DERIVATIVE = 1: a zero network output gives derivative 1. */
        private static final float DERIVATIVE_OFFSET = (float) Math.log(Math.expm1(1 - MIN_DERIVATIVE));

        /** Per-feature shift and log-scale applied first (Glow's "actnorm", Kingma and Dhariwal 2018), starting at the identity. */
        private final Parameter shift;
        private final Parameter logScale;

        SplineBlock(int dimension, int layers, int[] hidden, int bins) {
            super(dimension, layers, hidden, 3 * bins - 1); // K widths, K heights, K - 1 derivatives
            this.bins = bins;
            shift = addParameter(Parameter.builder().setName("shift").setType(Parameter.Type.BIAS)
                    .optShape(new Shape(dimension)).optInitializer(Initializer.ZEROS).build());
            logScale = addParameter(Parameter.builder().setName("log_scale").setType(Parameter.Type.BIAS)
                    .optShape(new Shape(dimension)).optInitializer(Initializer.ZEROS).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray a = store.getValue(logScale, x.getDevice(), training);
            // arrays made from a parameter go to this batch's manager (see MaskedLinear)
            NDArray negA = a.neg();
            negA.attach(x.getManager());
            NDArray sumA = a.sum();
            sumA.attach(x.getManager());
            NDArray h = x.sub(store.getValue(shift, x.getDevice(), training)).mul(negA.exp());
            NDArray logDet = sumA.neg().broadcast(new Shape(x.getShape().get(0)));
            for (int k = 0; k < made.size(); k++) {
                NDArray p = made.get(k).forward(store, new NDList(h), training).singletonOrThrow();
                long n = h.getShape().get(0);
                // output p * d + i is feature i's p-th parameter: (n, P, d) -> (n, d, P)
                p = p.reshape(n, 3L * bins - 1, dimension).transpose(0, 2, 1);
                NDList transformed = spline(h, p.get(":, :, 0:" + bins), p.get(":, :, " + bins + ":" + 2 * bins),
                        p.get(":, :, " + 2 * bins + ":"));
                logDet = logDet.add(transformed.get(1));
                h = k < made.size() - 1 ? transformed.get(0).flip(1) : transformed.get(0);
            }
            return new NDList(h, logDet);
        }

        /**
         * The rational-quadratic spline of Durkan et al. (their eqs. 4 and 5, Gregory and Delbourgo
         * 1982) applied to every feature of x (n, d): knots from unnormalised widths and heights
         * (n, d, K) and interior derivatives (n, d, K-1); returns y and the per-event log|dy/dx|.
         */
        NDList spline(NDArray x, NDArray rawWidths, NDArray rawHeights, NDArray rawDerivatives) {
            NDManager m = x.getManager();
            long n = x.getShape().get(0);
            float span = 2 * TAIL_BOUND;
            NDArray widths = Networks.times(Networks.times(rawWidths.softmax(2), 1 - MIN_BIN * bins).add(MIN_BIN), span);
            NDArray heights = Networks.times(Networks.times(rawHeights.softmax(2), 1 - MIN_BIN * bins).add(MIN_BIN), span);
            NDArray zero = m.zeros(new Shape(n, dimension, 1));
            NDArray one = m.ones(new Shape(n, dimension, 1));
            NDArray xKnots = zero.concat(widths.cumSum(2), 2).sub(TAIL_BOUND); // (n, d, K+1)
            NDArray yKnots = zero.concat(heights.cumSum(2), 2).sub(TAIL_BOUND);
            NDArray interior = Activation.softPlus(rawDerivatives.add(DERIVATIVE_OFFSET)).add(MIN_DERIVATIVE);
            NDArray derivatives = one.concat(interior, 2).concat(one, 2); // (n, d, K+1), 1 at both ends
            NDArray inside = x.abs().lt(TAIL_BOUND).toType(DataType.FLOAT32, false);
            NDArray xc = x.clip(-TAIL_BOUND, TAIL_BOUND);
            // which bin: the last left knot at or below x, as a one-hot over the K bins
            String left = ":, :, 0:" + bins;
            String right = ":, :, 1:" + (bins + 1);
            NDArray atOrAbove = xc.expandDims(2).gte(xKnots.get(left)).toType(DataType.FLOAT32, false);
            NDArray oneHot = atOrAbove.sub(atOrAbove.get(":, :, 1:").concat(zero, 2));
            NDArray x0 = pick(oneHot, xKnots.get(left));
            NDArray y0 = pick(oneHot, yKnots.get(left));
            NDArray w = pick(oneHot, widths);
            NDArray hgt = pick(oneHot, heights);
            NDArray d0 = pick(oneHot, derivatives.get(left));
            NDArray d1 = pick(oneHot, derivatives.get(right));
            NDArray s = hgt.div(w);
            NDArray xi = xc.sub(x0).div(w).clip(0f, 1f);
            NDArray t = xi.mul(xi.neg().add(1f)); // xi (1 - xi)
            NDArray denominator = s.add(d1.add(d0).sub(Networks.times(s, 2f)).mul(t));
            NDArray y = y0.add(hgt.mul(s.mul(xi.square()).add(d0.mul(t))).div(denominator));
            NDArray oneMinusXi = xi.neg().add(1f);
            NDArray derivative = s.square().mul(d1.mul(xi.square()).add(Networks.times(s.mul(t), 2f)).add(d0.mul(oneMinusXi.square())))
                    .div(denominator.square());
            NDArray outside = inside.neg().add(1f);
            NDArray out = y.mul(inside).add(x.mul(outside));
            // outside the interval the derivative is 1: set before the log, so that no infinite
            // gradient of a masked element turns into NaN (0 x inf)
            NDArray logDet = derivative.mul(inside).add(outside).log().sum(new int[] {1});
            return new NDList(out, logDet);
        }

        /** The entry the one-hot selects along the last axis. */
        private static NDArray pick(NDArray oneHot, NDArray values) {
            return oneHot.mul(values).sum(new int[] {2});
        }
    }
}
