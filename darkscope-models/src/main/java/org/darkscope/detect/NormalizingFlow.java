package org.darkscope.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.darkscope.feature.DensityUnits;
import org.darkscope.feature.FeatureBatch;

/**
 * A normalizing flow fitted by maximum likelihood: its network maps an event x to a point u of a
 * standard normal and the log-determinant of that map, so that
 * -log p(x) = |u|^2 / 2 + D/2 log(2 pi) - log|det du/dx|, the loss and the score. Discrete
 * features (object counts) have no density; training adds Gaussian noise of width {@code noise}
 * (standardised units) to the inputs (dequantisation), scoring reads the events as they are. The
 * network learns the density of the standardised features; the score is that density in the
 * units of setting {@code units} ({@link PhysicalDensity}: per GeV of every energy by default).
 */
public abstract class NormalizingFlow extends NeuralDetector {
    private static final double LOG_TWO_PI = Math.log(2 * Math.PI);

    private final float noise;
    private DensityUnits units = DensityUnits.NONE;

    /** The setting {@code noise} with its default width {@code defaultWidth} (each flow has its own). */
    static Setting noise(double defaultWidth) {
        return Setting.number("noise", defaultWidth, 0, false, 10,
                "width of the Gaussian noise added to the standardised inputs in training (dequantisation)");
    }

    /** A flow of the completed {@code hyperparameters}, whose dequantisation width is setting {@code noise}. */
    NormalizingFlow(Hyperparameters hyperparameters, Setting noise) {
        super(hyperparameters);
        this.noise = (float) noise.number(this.hyperparameters);
    }

    @Override
    public void fit(TrainingData background, TrainingConfig config) {
        units = PhysicalDensity.chosen(hyperparameters, background);
        super.fit(background, config);
    }

    /** The units its density is in: {@link DensityUnits#NONE} for the standardised features' own. */
    public DensityUnits densityUnits() {
        return units;
    }

    @Override
    public float[] score(FeatureBatch batch) {
        return units.apply(batch, super.score(batch));
    }

    @Override
    public List<Path> save(Path directory) throws IOException {
        List<Path> files = new java.util.ArrayList<>(super.save(directory));
        files.add(PhysicalDensity.save(directory, units));
        return files;
    }

    @Override
    public void load(Path directory, int[] shape, TrainingHistory history) throws IOException {
        super.load(directory, shape, history);
        units = PhysicalDensity.load(directory, name(), FeatureBatch.product(shape));
    }

    @Override
    protected NDArray trainingInput(NDArray input) {
        return noise > 0 ? input.add(input.getManager().randomNormal(input.getShape()).mul(noise)) : input;
    }

    /** Negative log-likelihood per event from the network's output (u, log|det|). */
    private static NDArray negativeLogLikelihood(NDList output) {
        NDArray u = output.get(0);
        long d = u.getShape().get(1);
        return Networks.times(u.square().sum(new int[] {1}), 0.5f).add((float) (0.5 * d * LOG_TWO_PI)).sub(output.get(1));
    }

    @Override
    protected NDArray loss(NDList output, NDArray input, int epoch) {
        return negativeLogLikelihood(output).mean();
    }

    @Override
    protected NDArray score(NDList output, NDArray input) {
        return negativeLogLikelihood(output);
    }

    /** This flow written out from its trained network ({@code block}). */
    protected abstract FlowForm flowForm(ai.djl.nn.Block block);

    /** This flow's score written out (see {@link FlowForm}), for tools that rebuild it; only once fitted or loaded. */
    public FlowForm flowForm() {
        if (block() == null) {
            throw new IllegalStateException(name() + " is not fitted");
        }
        return flowForm(block());
    }

    /** -log p(x) in nats for every event of {@code batch}, in {@link #densityUnits()}: the density estimate the score is. */
    public float[] negativeLogDensity(FeatureBatch batch) {
        return score(batch);
    }
}
