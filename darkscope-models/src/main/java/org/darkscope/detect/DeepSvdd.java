package org.darkscope.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.darkscope.feature.FeatureBatch;

/**
 * {@code deep-svdd}: Deep Support Vector Data Description (L. Ruff et al., "Deep One-Class
 * Classification", ICML 2018). A network without bias terms maps background events close to a
 * fixed target c; the score is the squared distance ||phi(x) - c||^2. Without biases and with a
 * fixed c the network cannot collapse every event onto c trivially.
 *
 * <p>Settings: {@code hidden} (64,32,8, chosen by the signal-agnostic protocol: the last width is
 * the output dimension),
 * {@code target}: {@code ones} (default; the constant vector c = 1, as the challenge's best
 * Deep SVDD variants used, which generalised best to its secret data set) or {@code mean} (c is
 * the mean output of the initialised network on the training events, Ruff et al.'s choice).
 *
 * <p>On a set encoding ({@code object-set}: one row per object) the network is a bias-free Deep
 * Sets network ({@link DeepSetsBlock}): {@code phi} (64,64) on every object, the objects summed,
 * then the {@code hidden} layers; the score then does not depend on the order of the objects.
 */
public final class DeepSvdd extends NeuralDetector {
    private final int[] hidden;
    private final int[] phi;
    private final String target;

    public static final Setting HIDDEN = Setting.widths("hidden", "64,32,8", "the network's layers, the last one the output space");
    public static final Setting PHI = Setting.widths("phi", "64,64", "the per-object layers of the Deep Sets network (object-set only)");
    public static final Setting TARGET = Setting.choice("target", "ones", "the centre: the all-ones vector, or the mean output at start",
            "ones", "mean");
    public static final List<Setting> SETTINGS = List.of(HIDDEN, PHI, TARGET);

    public DeepSvdd(Hyperparameters hp) {
        super(Setting.complete("deep-svdd", hp, SETTINGS));
        this.hidden = HIDDEN.widths(hyperparameters);
        this.phi = PHI.widths(hyperparameters);
        this.target = TARGET.text(hyperparameters);
    }

    @Override
    public String name() {
        return "deep-svdd";
    }

    @Override
    protected Block buildBlock(int[] inputShape) {
        requireInput(name(), inputShape, true);
        int outputs = hidden[hidden.length - 1];
        if (inputShape.length == 2) { // a set of rows: a bias-free Deep Sets network
            return new SvddBlock(new DeepSetsBlock(Networks.dense(phi, false, false, true), phi[phi.length - 1],
                    Networks.dense(hidden, true, false, true)), outputs);
        }
        return new SvddBlock(Networks.dense(hidden, true, false, true), outputs);
    }

    @Override
    protected void beforeTraining(FeatureBatch train) {
        Parameter centre = ((SvddBlock) block()).centre;
        if (target.equals("ones")) {
            NeuralTraining.assign(centre.getArray(), ones(hidden[hidden.length - 1]));
            return;
        }
        float[] scores = new float[hidden[hidden.length - 1]];
        try (NDManager sub = manager().newSubManager()) {
            NDArray x = events(sub, train.values(), 0, train.rows() * train.rowSize(), batchShape(train.rows()));
            NDArray phi = ((SvddBlock) block()).network.forward(parameterStore(), new NDList(x), false).singletonOrThrow();
            NDArray mean = phi.mean(new int[] {0});
            // Ruff et al.: keep coordinates of c away from zero, where a bias-free ReLU net can reach them trivially.
            float[] c = mean.toFloatArray();
            for (int i = 0; i < c.length; i++) {
                scores[i] = Math.abs(c[i]) < 0.1f ? (c[i] < 0 ? -0.1f : 0.1f) : c[i];
            }
        }
        NeuralTraining.assign(centre.getArray(), scores);
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }

    @Override
    protected NDArray loss(NDList output, NDArray input, int epoch) {
        return output.singletonOrThrow().mean();
    }

    @Override
    protected NDArray score(NDList output, NDArray input) {
        return output.singletonOrThrow();
    }

    /**
     * The bias-free network with leaky ReLUs between its layers, and the score its squared
     * distance to the target, the one parameter of the block's own: scored in plain Java (on
     * {@code object-set}, where the network is a Deep Sets one, on the engine).
     */
    @Override
    protected DenseScoring denseScoring(List<DenseNetwork.Layer> linearLayers, List<float[]> own) {
        int outputs = hidden[hidden.length - 1];
        if (own.size() != 1 || own.get(0).length != outputs || linearLayers.size() != hidden.length
                || linearLayers.stream().anyMatch(l -> l.bias() != null)) {
            return null;
        }
        return new DenseScoring(DenseNetwork.between(linearLayers, DenseForm.Activation.LEAKY_RELU),
                new DenseScore.DistanceToCentre(own.get(0).clone()));
    }

    /** The bias-free network and the fixed target c (a parameter that is saved but never trained). */
    static final class SvddBlock extends AbstractBlock {
        final Block network;
        final Parameter centre;

        SvddBlock(Block network, int outputs) {
            this.network = addChildBlock("network", network);
            this.centre = addParameter(Parameter.builder().setName("centre").setType(Parameter.Type.OTHER)
                    .optShape(new Shape(outputs)).optRequiresGrad(false)
                    .optInitializer((manager, shape, dataType) -> manager.ones(shape, dataType)).build());
        }

        /** Output: squared distance of each event's image to the target. */
        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray phi = network.forward(store, inputs, training).singletonOrThrow();
            NDArray c = store.getValue(centre, phi.getDevice(), training);
            return new NDList(phi.sub(c).square().sum(new int[] {1}));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0))};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            network.initialize(manager, dataType, inputShapes);
        }
    }
}
