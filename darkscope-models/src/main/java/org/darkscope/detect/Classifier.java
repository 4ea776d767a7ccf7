package org.darkscope.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import org.darkscope.feature.FeatureBatch;

/**
 * {@code classifier} and {@code hyperclass}: supervised detectors, for comparison with the
 * unsupervised ones. A dense network (ReLU between layers, one linear output) learns to tell
 * background from simulated signal by the binary cross-entropy; the two classes weigh the same
 * in the loss, and so, within the signal class, does every signal sample whatever its number of
 * events. The score is the network's output, the log-odds log(p_signal / p_background), which
 * with balanced classes estimates the log of the likelihood ratio, the most powerful test for
 * the signal it was trained on (Neyman and Pearson).
 *
 * <p>{@code classifier} learns from one signal; {@code hyperclass} from a mixture of at least two
 * signal models, each weighted equally, so that it looks for what they share rather than for the
 * largest sample (the "hyperclass" of the Dark Machines discussions, arXiv:2105.14027 Sect. 6;
 * "one-vs-mixture" training in the spirit of Kasieczka et al., arXiv:2101.08320). Validation split
 * and early stopping as for every neural detector. Scores in plain Java ({@link DenseNetwork}).
 *
 * <p>On a set encoding ({@code object-set}) the network is a Deep Sets network (Zaheer et al.
 * 2017; {@link DeepSetsBlock}): {@code phi} on every object, summed, then the {@code hidden}
 * layers; the score does not depend on the objects' order.
 *
 * <p>Settings: {@code hidden} (64,32, not tuned on any signal),
 * {@code phi} (64,64, object-set only).
 */
public final class Classifier extends NeuralDetector implements SampleClassifier {
    public static final Setting HIDDEN = Setting.widths("hidden", "64,32", "the network's hidden layers; one output, the log-odds");
    public static final Setting PHI = Setting.widths("phi", "64,64", "the per-object layers of the Deep Sets network (object-set only)");
    public static final List<Setting> SETTINGS = List.of(HIDDEN, PHI);

    private final String name;
    private final int minimumSamples;
    private final int[] hidden;
    private final int[] phi;

    private Classifier(String name, int minimumSamples, Hyperparameters hp) {
        super(Setting.complete(name, hp, SETTINGS));
        this.name = name;
        this.minimumSamples = minimumSamples;
        this.hidden = HIDDEN.widths(hyperparameters);
        this.phi = PHI.widths(hyperparameters);
    }

    /** {@code classifier}: background against one signal. */
    public static Classifier supervised(Hyperparameters hp) {
        return new Classifier("classifier", 1, hp);
    }

    /** {@code hyperclass}: background against a mixture of at least two signal models, weighted equally. */
    public static Classifier hyperclass(Hyperparameters hp) {
        return new Classifier("hyperclass", 2, hp);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Role role() {
        return Role.SIGNAL;
    }

    @Override
    public int minimumSamples() {
        return minimumSamples;
    }

    @Override
    public int maximumSamples() {
        return minimumSamples == 1 ? 1 : Integer.MAX_VALUE;
    }

    /** Refused: a classifier learns from signal as well as background. */
    /** It learns background against other samples, each event counted once. */
    @Override
    public boolean fitsWeights() {
        return false;
    }

    @Override
    public void fit(TrainingData background, TrainingConfig config) {
        SampleClassifier.super.fit(background, config);
    }

    @Override
    public void fit(TrainingData background, List<TrainingData> others, TrainingConfig config) {
        requireSamples(others.size());
        fitLabelled(background, others, config);
    }

    /** Trains background (label 0) against {@code others} (label 1), classes and samples weighted equally. */
    void fitLabelled(TrainingData background, List<TrainingData> others, TrainingConfig config) {
        List<FeatureBatch> train = new ArrayList<>(List.of(background.train()));
        List<FeatureBatch> validation = new ArrayList<>(List.of(background.validation()));
        for (TrainingData other : others) {
            train.add(other.train());
            validation.add(other.validation());
        }
        for (int i = 0; i < train.size(); i++) {
            if (train.get(i).rows() == 0) {
                throw new IllegalArgumentException(name + ": the " + (i == 0 ? "background" : "sample " + i) + " has no training events");
            }
        }
        TrainingData data = new TrainingData(FeatureBatch.concatenate(train), FeatureBatch.concatenate(validation));
        train(data, new NeuralTraining.Targets(labelsAndWeights(train), labelsAndWeights(validation), 2), config);
    }

    /**
     * Per event its label (0 for the first sample, the background; 1 for the others) and weight:
     * N / (2 N_background) for background, N / (2 M N_m) for an event of sample m of M, so that
     * each class sums to N / 2 and the mean weight is one.
     */
    static float[] labelsAndWeights(List<FeatureBatch> samples) {
        long total = samples.stream().mapToLong(FeatureBatch::rows).sum();
        long others = samples.stream().skip(1).filter(s -> s.rows() > 0).count();
        float[] targets = new float[2 * (int) total];
        int row = 0;
        for (int s = 0; s < samples.size(); s++) {
            int rows = samples.get(s).rows();
            double weight = s == 0 ? total / (2.0 * rows) : total / (2.0 * others * rows);
            for (int r = 0; r < rows; r++, row++) {
                targets[2 * row] = s == 0 ? 0f : 1f;
                targets[2 * row + 1] = (float) weight;
            }
        }
        return targets;
    }

    @Override
    protected Block buildBlock(int[] inputShape) {
        requireInput(name(), inputShape, true);
        Block head = Networks.dense(Networks.append(hidden, 1), true, true, false);
        if (inputShape.length == 2) { // a set of objects: a Deep Sets network, phi on every object, summed, then the head
            return new DeepSetsBlock(Networks.dense(phi, false, true, false), phi[phi.length - 1], head);
        }
        return head;
    }

    /** The weighted binary cross-entropy of the log-odds z: max(z, 0) - z y + log(1 + exp(-|z|)), stable for any z. */
    @Override
    protected NDArray loss(NDList output, NDArray input, NDArray targets, int epoch) {
        NDArray z = output.singletonOrThrow().reshape(-1);
        NDArray y = targets.get(":, 0");
        NDArray w = targets.get(":, 1");
        NDArray crossEntropy = Activation.relu(z).sub(z.mul(y)).add(z.abs().neg().exp().add(1f).log());
        return crossEntropy.mul(w).mean();
    }

    @Override
    protected NDArray loss(NDList output, NDArray input, int epoch) {
        throw new IllegalStateException(name + " learns from labelled events: its loss needs their labels");
    }

    @Override
    protected NDArray score(NDList output, NDArray input) {
        return output.singletonOrThrow().reshape(-1);
    }

    /** The network as built here; its one output is the score. */
    @Override
    protected DenseScoring denseScoring(List<DenseNetwork.Layer> linearLayers) {
        if (linearLayers.size() != hidden.length + 1 || linearLayers.get(linearLayers.size() - 1).outputs() != 1) {
            return null;
        }
        return new DenseScoring(DenseNetwork.reluBetween(linearLayers), new DenseScore.Output());
    }
}
