package org.darkscope.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A variational autoencoder (Kingma and Welling, arXiv:1312.6114) with a configurable beta
 * (Higgins et al., ICLR 2017) and a linear KL warm-up. Loss per event:
 * 0.5 * sum (x - x')^2 + beta * KL(q(z|x) || N(0, 1)). The log-variance is bounded
 * smoothly to (-{@value #LOG_VARIANCE_BOUND}, {@value #LOG_VARIANCE_BOUND}) so exp(log var)
 * cannot overflow, the cause of the blow-ups seen in the talk's Keras VAE.
 *
 * <p>Score ({@code score} setting): {@code reconstruction} (default) is 0.5 * sum (x - x')^2 with
 * z at the posterior mean: deterministic, so the same event always gets the same score, and it
 * is what most challenge entries used. {@code elbo} adds the KL term (the negative evidence lower
 * bound up to a constant), which also flags events whose latent code is unusual.
 *
 * <p>The network itself ({@link Architecture}) is dense ({@code vae}) or the convolutional VAE
 * of the talk ({@code conv-vae}, see {@link ConvolutionalVae}).
 */
public class VariationalAutoencoder extends NeuralDetector {
    /** Bound on |log variance| of the latent posterior. */
    public static final float LOG_VARIANCE_BOUND = 8f;

    /** Encoder to a hidden representation, and decoder from the latent code back to an event. */
    interface Architecture {
        Block encoder();

        Block decoder(int[] inputShape);

        int latent();
    }

    private final String name;
    private final Architecture architecture;
    private final double beta;
    private final int warmupEpochs;
    private final boolean elboScore;
    /** The dense VAE's encoder widths; null for another architecture. */
    private final int[] denseHidden;

    /**
     * The dense {@code vae}: settings {@code hidden} (32,16), {@code latent} (2), {@code beta} (1),
     * {@code warmup} (5), {@code score}; the widths and latent dimension chosen by the signal-agnostic protocol.
     */
    public VariationalAutoencoder(Hyperparameters hp) {
        this("vae", hp, null);
    }

    public static final Setting BETA = Setting.number("beta", 1, 0, false, 1000, "weight of the KL term in the loss (beta-VAE)");
    public static final Setting WARMUP = Setting.integer("warmup", 5, 0, 10_000, "epochs over which the KL weight rises linearly from 0 to beta");
    public static final Setting SCORE = Setting.choice("score", "reconstruction", "the score: reconstruction error, or the negative ELBO",
            "reconstruction", "elbo");
    /** The settings of every VAE, dense or convolutional. */
    public static final List<Setting> COMMON = List.of(BETA, WARMUP, SCORE);
    public static final Setting HIDDEN = Setting.widths("hidden", "32,16", "the encoder's hidden layers; the decoder mirrors them");
    public static final Setting LATENT = Setting.integer("latent", 2, 1, Setting.MAX_WIDTH, "dimension of the latent space");
    public static final List<Setting> SETTINGS = List.of(HIDDEN, LATENT, BETA, WARMUP, SCORE);

    VariationalAutoencoder(String name, Hyperparameters hp, Architecture architecture) {
        super(Setting.complete(name, hp, architecture == null ? SETTINGS : COMMON));
        this.name = name;
        this.beta = BETA.number(hyperparameters);
        this.warmupEpochs = WARMUP.integer(hyperparameters);
        this.elboScore = SCORE.text(hyperparameters).equals("elbo");
        this.denseHidden = architecture != null ? null : HIDDEN.widths(hyperparameters);
        this.architecture = architecture != null ? architecture : denseArchitecture(denseHidden, LATENT.integer(hyperparameters));
    }

    private static Architecture denseArchitecture(int[] hidden, int latent) {
        return new Architecture() {
            @Override
            public Block encoder() {
                return Networks.dense(hidden, false, true, false);
            }

            @Override
            public Block decoder(int[] inputShape) {
                requireInput("vae", inputShape, false);
                return Networks.dense(Networks.append(Networks.reversed(hidden), inputShape[0]), true, true, false);
            }

            @Override
            public int latent() {
                return latent;
            }
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected Block buildBlock(int[] inputShape) {
        return new VaeBlock(architecture.encoder(), architecture.latent(), architecture.decoder(inputShape));
    }

    /** The KL weight at {@code epoch}: rises linearly from beta / warmup to beta. */
    double klWeight(int epoch) {
        return warmupEpochs <= 0 ? beta : beta * Math.min(1.0, epoch / (double) warmupEpochs);
    }

    private static NDArray reconstructionError(NDList output, NDArray input) {
        return Networks.times(sumPerEvent(output.get(0).sub(input).square()), 0.5f);
    }

    private static NDArray kl(NDList output) {
        NDArray mu = output.get(1);
        NDArray logVar = output.get(2);
        return Networks.times(logVar.add(1f).sub(mu.square()).sub(logVar.exp()).sum(new int[] {1}), -0.5f);
    }

    @Override
    protected NDArray loss(NDList output, NDArray input, int epoch) {
        return reconstructionError(output, input).add(Networks.times(kl(output), (float) klWeight(epoch))).mean();
    }

    /**
     * The dense VAE's reconstruction score in plain Java: the encoder (a ReLU after each layer),
     * the mean head (z at the posterior mean, as when scoring on the engine) and the decoder (ReLU
     * between its layers, a linear output); the log-variance head is not needed. The {@code elbo}
     * score and the convolutional VAE score on the engine.
     */
    @Override
    protected DenseScoring denseScoring(List<DenseNetwork.Layer> linearLayers) {
        // encoder, mean head, log-variance head, decoder (the encoder mirrored, then the input width)
        if (denseHidden == null || elboScore || linearLayers.size() != 2 * denseHidden.length + 3) {
            return null;
        }
        int encoder = denseHidden.length;
        List<DenseNetwork.Layer> path = new ArrayList<>(linearLayers.subList(0, encoder + 1));
        path.addAll(linearLayers.subList(encoder + 2, linearLayers.size()));
        DenseForm.Activation[] activations = new DenseForm.Activation[path.size()];
        java.util.Arrays.fill(activations, DenseForm.Activation.LINEAR);
        java.util.Arrays.fill(activations, 0, encoder, DenseForm.Activation.RELU); // the encoder's layers
        java.util.Arrays.fill(activations, encoder + 1, path.size() - 1, DenseForm.Activation.RELU); // the decoder's hidden layers
        return new DenseScoring(new DenseNetwork(path, activations), new DenseScore.SquaredError(2)); // 0.5 sum (x' - x)^2
    }

    /** Whether the score is the negative ELBO (the setting {@code score=elbo}). */
    public boolean elboScore() {
        return elboScore;
    }

    /**
     * The dense VAE written out with both heads (see {@link VaeForm}), for the {@code elbo}
     * score; empty for the convolutional VAE. Only once fitted or loaded.
     */
    public java.util.Optional<VaeForm> vaeForm() {
        if (denseHidden == null) {
            return java.util.Optional.empty();
        }
        List<DenseNetwork.Layer> layers = linearLayers();
        int encoder = denseHidden.length;
        java.util.function.BiFunction<DenseNetwork.Layer, DenseForm.Activation, DenseForm.Layer> form =
                (l, a) -> new DenseForm.Layer(l.inputs(), l.outputs(), l.weights(), l.bias(), a);
        List<DenseForm.Layer> encoderLayers = layers.subList(0, encoder).stream().map(l -> form.apply(l, DenseForm.Activation.RELU)).toList();
        List<DenseNetwork.Layer> decoder = layers.subList(encoder + 2, layers.size());
        List<DenseForm.Layer> decoderLayers = new ArrayList<>();
        for (int i = 0; i < decoder.size(); i++) {
            decoderLayers.add(form.apply(decoder.get(i), i + 1 < decoder.size() ? DenseForm.Activation.RELU : DenseForm.Activation.LINEAR));
        }
        return java.util.Optional.of(new VaeForm(encoderLayers, form.apply(layers.get(encoder), DenseForm.Activation.LINEAR),
                form.apply(layers.get(encoder + 1), DenseForm.Activation.LINEAR), decoderLayers, LOG_VARIANCE_BOUND));
    }

    @Override
    protected NDArray score(NDList output, NDArray input) {
        NDArray reconstruction = reconstructionError(output, input);
        return elboScore ? reconstruction.add(kl(output)) : reconstruction;
    }

    /**
     * Encoder, the two heads (mean and bounded log-variance), reparameterised sampling while
     * training (z = mean at inference) and decoder. Output: reconstruction, mean, log-variance.
     */
    static final class VaeBlock extends AbstractBlock {
        private final Block encoder;
        private final Block mean;
        private final Block logVariance;
        private final Block decoder;

        VaeBlock(Block encoder, int latent, Block decoder) {
            this.encoder = addChildBlock("encoder", encoder);
            this.mean = addChildBlock("z_mean", Linear.builder().setUnits(latent).build());
            this.logVariance = addChildBlock("z_log_var", Linear.builder().setUnits(latent).build());
            this.decoder = addChildBlock("decoder", decoder);
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray h = encoder.forward(store, inputs, training).singletonOrThrow();
            NDArray mu = mean.forward(store, new NDList(h), training).singletonOrThrow();
            NDArray rawLogVar = logVariance.forward(store, new NDList(h), training).singletonOrThrow();
            NDArray logVar = Networks.times(Networks.over(rawLogVar, LOG_VARIANCE_BOUND).tanh(), LOG_VARIANCE_BOUND);
            NDArray z = mu;
            if (training) {
                NDArray eps = mu.getManager().randomNormal(mu.getShape());
                z = mu.add(Networks.times(logVar, 0.5f).exp().mul(eps));
            }
            NDArray reconstruction = decoder.forward(store, new NDList(z), training).singletonOrThrow();
            return new NDList(reconstruction, mu, logVar);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape h = encoder.getOutputShapes(inputShapes)[0];
            Shape z = mean.getOutputShapes(new Shape[] {h})[0];
            return new Shape[] {inputShapes[0], z, z};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            encoder.initialize(manager, dataType, inputShapes);
            Shape h = encoder.getOutputShapes(inputShapes)[0];
            mean.initialize(manager, dataType, h);
            logVariance.initialize(manager, dataType, h);
            Shape z = mean.getOutputShapes(new Shape[] {h})[0];
            decoder.initialize(manager, dataType, z);
        }
    }
}
