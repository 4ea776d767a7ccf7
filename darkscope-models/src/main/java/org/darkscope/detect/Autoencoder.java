package org.darkscope.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.util.List;

/**
 * {@code ae}: a dense autoencoder trained to reproduce background events through a narrow
 * bottleneck; the score is the mean squared reconstruction error, large for events unlike the
 * background it learned. Settings: {@code hidden} (encoder widths down to the bottleneck,
 * default 128,2, chosen by the signal-agnostic protocol on the 7 numbers of its default encoding;
 * the decoder mirrors it). Scores in plain Java ({@link DenseNetwork}): a trained
 * autoencoder scores without starting the engine.
 */
public final class Autoencoder extends NeuralDetector {
    private final int[] hidden;

    public static final Setting HIDDEN = Setting.widths("hidden", "128,2", "the encoder's hidden layers, the last one the bottleneck; the decoder mirrors them");
    public static final List<Setting> SETTINGS = List.of(HIDDEN);

    public Autoencoder(Hyperparameters hp) {
        super(Setting.complete("ae", hp, SETTINGS));
        this.hidden = HIDDEN.widths(hyperparameters);
    }

    @Override
    public String name() {
        return "ae";
    }

    @Override
    protected Block buildBlock(int[] inputShape) {
        requireInput(name(), inputShape, false);
        int d = inputShape[0];
        int[] decoder = Networks.append(java.util.Arrays.copyOfRange(Networks.reversed(hidden), 1, hidden.length), d);
        SequentialBlock net = Networks.dense(hidden, false, true, false);
        net.add(Networks.dense(decoder, true, true, false));
        return net;
    }

    @Override
    protected NDArray loss(NDList output, NDArray input, int epoch) {
        return output.singletonOrThrow().sub(input).square().mean();
    }

    /** The network as built here, its score the mean squared reconstruction error. */
    @Override
    protected DenseScoring denseScoring(List<DenseNetwork.Layer> linearLayers) {
        if (linearLayers.size() != 2 * hidden.length) {
            return null;
        }
        // the mean over the input's features
        return new DenseScoring(DenseNetwork.reluBetween(linearLayers), new DenseScore.SquaredError(linearLayers.get(0).inputs()));
    }

    @Override
    protected NDArray score(NDList output, NDArray input) {
        return output.singletonOrThrow().sub(input).square().mean(new int[] {1});
    }
}
