package org.darkscope.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.List;

/**
 * {@code maf}: a masked autoregressive flow (G. Papamakarios, T. Pavlakou, I. Murray, "Masked
 * Autoregressive Flow for Density Estimation", NeurIPS 2017) fitted by maximum likelihood on
 * background; the score is the negative log-likelihood -log p(x), high for events the background
 * density makes rare. Each layer is a MADE network (Germain et al., ICML 2015) giving a shift mu
 * and log-scale alpha for every feature conditioned on the features before it:
 * u = (x - mu) exp(-alpha), log|det| = -sum alpha; the feature order is reversed between layers
 * and the base density is a standard normal. alpha is bounded smoothly to (-{@value #SCALE_BOUND},
 * {@value #SCALE_BOUND}) for stable training.
 *
 * <p>Settings: {@code layers} (5), {@code hidden} (128,128), {@code noise} (0.05, see
 * {@link NormalizingFlow}), {@code units} (physical, {@link PhysicalDensity}). The challenge's best flow read the compact {@code efficient} encoding,
 * available with {@code train --encoding efficient}.
 */
public final class MaskedAutoregressiveFlow extends NormalizingFlow {
    /** Bound on |alpha|, the per-layer log-scale. */
    public static final float SCALE_BOUND = 5f;
    public static final Setting LAYERS = Setting.integer("layers", 5, 1, 32, "number of autoregressive layers");
    public static final Setting HIDDEN = Setting.widths("hidden", "128,128", "hidden layers of each layer's MADE network");
    public static final Setting NOISE = noise(0.05);
    public static final List<Setting> SETTINGS = List.of(LAYERS, HIDDEN, NOISE, PhysicalDensity.UNITS);

    private final int layers;
    private final int[] hidden;

    public MaskedAutoregressiveFlow(Hyperparameters hp) {
        super(Setting.complete("maf", hp, SETTINGS), NOISE);
        this.layers = LAYERS.integer(hyperparameters);
        this.hidden = HIDDEN.widths(hyperparameters);
    }

    @Override
    public String name() {
        return "maf";
    }

    @Override
    protected Block buildBlock(int[] inputShape) {
        requireInput(name(), inputShape, false);
        return new FlowBlock(inputShape[0], layers, hidden);
    }

    @Override
    protected FlowForm flowForm(Block block) {
        FlowBlock flow = (FlowBlock) block;
        return new FlowForm(flow.dimension, null, null, flow.madeLayers(), new FlowForm.Affine(SCALE_BOUND));
    }

    /** The stack of MADE layers; output: the base-space point u and the summed log|det|. */
    static final class FlowBlock extends MadeStack {
        FlowBlock(int dimension, int layers, int[] hidden) {
            super(dimension, layers, hidden, 2); // shift and log-scale per feature
        }

        /**
         * MADE: masked dense layers whose output units for feature i see only features before i;
         * {@code perFeature} outputs per feature, output {@code p * d + i} being feature i's p-th.
         */
        static Block madeNetwork(int d, int[] hidden, int perFeature) {
            int[] inputDegrees = new int[d];
            for (int i = 0; i < d; i++) {
                inputDegrees[i] = i + 1;
            }
            SequentialBlock net = new SequentialBlock();
            int[] previous = inputDegrees;
            for (int width : hidden) {
                int[] degrees = new int[width];
                for (int k = 0; k < width; k++) {
                    degrees[k] = d > 1 ? k % (d - 1) + 1 : 1;
                }
                net.add(new MaskedLinear(previous, degrees, false));
                net.add(Activation::relu);
                previous = degrees;
            }
            int[] outputDegrees = new int[perFeature * d];
            for (int o = 0; o < outputDegrees.length; o++) {
                outputDegrees[o] = o % d + 1;
            }
            net.add(new MaskedLinear(previous, outputDegrees, true));
            return net;
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray h = inputs.singletonOrThrow();
            NDArray logDet = null;
            for (int k = 0; k < made.size(); k++) {
                NDList muAlpha = made.get(k).forward(store, new NDList(h), training).singletonOrThrow().split(2, 1);
                NDArray alpha = Networks.times(Networks.over(muAlpha.get(1), SCALE_BOUND).tanh(), SCALE_BOUND);
                NDArray u = h.sub(muAlpha.get(0)).mul(alpha.neg().exp());
                NDArray layerLogDet = alpha.sum(new int[] {1}).neg();
                logDet = logDet == null ? layerLogDet : logDet.add(layerLogDet);
                h = k < made.size() - 1 ? u.flip(1) : u;
            }
            return new NDList(h, logDet);
        }
    }

    /**
     * A dense layer whose weight is multiplied by a fixed binary mask: unit k sees input j only if
     * degree(k) >= degree(j) (hidden layers) or degree(k) > degree(j) (the output layer). The
     * output layer's weights start at zero, so that every flow layer starts as the identity:
     * with random ones, events far in the tails were scaled by up to e^(5 x SCALE_BOUND) through
     * the layers, and early training losses reached 1e18.
     */
    static final class MaskedLinear extends AbstractBlock {
        private final float[] mask;
        private final int inputs;
        private final int outputs;
        private final Parameter weight;
        private final Parameter bias;
        /** The mask as a tensor, made once when the layer is initialised. */
        private NDArray maskArray;

        MaskedLinear(int[] inputDegrees, int[] outputDegrees, boolean output) {
            this.inputs = inputDegrees.length;
            this.outputs = outputDegrees.length;
            this.mask = new float[outputs * inputs];
            for (int k = 0; k < outputs; k++) {
                for (int j = 0; j < inputs; j++) {
                    boolean connected = output ? outputDegrees[k] > inputDegrees[j] : outputDegrees[k] >= inputDegrees[j];
                    mask[k * inputs + j] = connected ? 1f : 0f;
                }
            }
            Parameter.Builder weightBuilder = Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(outputs, inputs));
            if (output) {
                weightBuilder.optInitializer(Initializer.ZEROS);
            }
            this.weight = addParameter(weightBuilder.build());
            this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                    .optShape(new Shape(outputs)).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList in, boolean training, PairList<String, Object> params) {
            NDArray x = in.singletonOrThrow();
            NDArray w = store.getValue(weight, x.getDevice(), training);
            NDArray b = store.getValue(bias, x.getDevice(), training);
            // the masked weight belongs to this batch's manager, not to the weight's: made from the
            // weight, it would otherwise live as long as the model, one copy per batch (scoring
            // 5 million events with maf grew the process by 600 MB)
            NDArray masked = w.mul(maskArray);
            masked.attach(x.getManager());
            return new NDList(x.matMul(masked.transpose()).add(b));
        }

        @Override
        public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
            super.initialize(manager, dataType, inputShapes);
            maskArray = manager.create(mask, new Shape(outputs, inputs));
        }

        /** This layer as a plain dense one: its trained weight with the mask applied, its bias. */
        DenseForm.Layer form(DenseForm.Activation activation) {
            float[] w = weight.getArray().toFloatArray();
            for (int i = 0; i < w.length; i++) {
                w[i] *= mask[i];
            }
            return new DenseForm.Layer(inputs, outputs, w, bias.getArray().toFloatArray(), activation);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), outputs)};
        }
    }
}
