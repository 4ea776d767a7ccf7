package org.darkscope.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import java.util.Random;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.stats.RandomOrder;

/**
 * The training loop of every neural detector, written lean (one sub-manager per step so native
 * memory is freed at once, batch buffers allocated once, {@link Optimizer#update} called
 * directly) and guarded: Adam with global gradient-norm clipping, early stopping on the
 * validation loss, and a divergence guard. When a loss turns non-finite or explodes (the Keras
 * VAE of the talk went from 30 to 5e15 in one epoch), the guard rolls the weights back to the
 * best epoch, divides the learning rate by ten, restarts Adam's moments and carries on, and
 * reports what it did. Training ends with the weights of the best validation loss. Events that
 * count by their weights ({@link TrainingData#weighted}) are drawn for each epoch with replacement,
 * each with probability proportional to its weight (a weighted random sampler, as PyTorch's
 * {@code WeightedRandomSampler}), so that every step's gradient is on average the weighted loss's;
 * the validation loss is watched on the validation events drawn so once, before the first epoch.
 */
final class NeuralTraining {
    /** A validation loss this far above the best, relative to (|best| + 1), counts as exploding. */
    static final double EXPLOSION_FACTOR = 100;
    /** Learning-rate divisor on each recovery. */
    static final double RECOVERY_LR_DIVISOR = 10;
    /** Recoveries after which training gives up and keeps the best weights. */
    static final int MAX_RECOVERIES = 8;

    private NeuralTraining() {
    }

    /** A learning rate that the guard can lower during training. */
    private static final class LearningRate implements Tracker {
        double value;

        LearningRate(double value) {
            this.value = value;
        }

        @Override
        public float getNewValue(int numUpdate) {
            return (float) value;
        }
    }

    /**
     * What each event is to be told apart as, for the detectors that learn from labelled samples:
     * {@code width} numbers per event (a classifier's label and weight), for the training and the
     * validation events in their order in {@link TrainingData}.
     */
    record Targets(float[] train, float[] validation, int width) {
    }

    static TrainingHistory train(NeuralDetector detector, TrainingData data, TrainingConfig config) {
        return train(detector, data, null, config);
    }

    /** Trains {@code detector}; {@code targets} null where the loss needs only the events. */
    static TrainingHistory train(NeuralDetector detector, TrainingData data, Targets targets, TrainingConfig config) {
        FeatureBatch train = data.train();
        boolean validationPart = data.validation().rows() > 0;
        FeatureBatch validation = validationPart ? data.validation() : train;
        Random random = new Random(config.seed());
        double[] running = data.weighted() ? RandomOrder.runningSums(data.trainWeights()) : null;
        if (data.weighted()) { // the weighted validation loss estimated on events drawn by their weights, once
            validation = drawnByWeight(validation, validationPart ? data.validationWeights() : data.trainWeights(), random);
        }
        float[] validationTargets = targets == null ? null : validationPart ? targets.validation() : targets.train();
        if (train.rows() == 0) {
            throw new IllegalArgumentException("no training events");
        }
        TrainingHistory history = new TrainingHistory();
        List<Parameter> parameters = detector.trainableParameters();
        LearningRate learningRate = new LearningRate(config.learningRate());
        Optimizer optimizer = adam(learningRate);
        int rowSize = train.rowSize();
        int batchSize = Math.min(config.batchSize(), train.rows());
        int batches = (train.rows() + batchSize - 1) / batchSize;
        float[][] batchBuffers = new float[batches][];
        float[][] targetBuffers = new float[batches][];
        for (int b = 0; b < batches; b++) {
            int rows = Math.min(batchSize, train.rows() - b * batchSize);
            batchBuffers[b] = new float[rows * rowSize];
            targetBuffers[b] = targets == null ? null : new float[rows * targets.width()];
        }
        int[] order = running == null ? RandomOrder.permutation(train.rows(), random) : new int[train.rows()];

        float[][] best = snapshot(parameters);
        double bestLoss = detector.meanLoss(validation, validationTargets, 1);
        int bestEpoch = 0;
        int sinceBest = 0;
        int recoveries = 0;
        String stop = "completed " + config.epochs() + " epochs";
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            if (running == null) {
                RandomOrder.shuffle(order, random);
            } else {
                RandomOrder.drawWeighted(running, order, random);
            }
            fill(batchBuffers, train.values(), rowSize, order, batchSize);
            if (targets != null) {
                fill(targetBuffers, targets.train(), targets.width(), order, batchSize);
            }
            long start = System.nanoTime();
            double lossSum = 0;
            boolean diverged = false;
            for (int b = 0; b < batches; b++) {
                float[] buffer = batchBuffers[b];
                int rows = buffer.length / rowSize;
                try (NDManager step = detector.manager().newSubManager()) {
                    NDArray x = NeuralDetector.events(step, buffer, 0, buffer.length, detector.batchShape(rows));
                    float loss;
                    try (GradientCollector collector = step.getEngine().newGradientCollector()) {
                        NDList out = detector.block().forward(detector.parameterStore(),
                                new NDList(detector.trainingInput(x)), true);
                        NDArray t = targets == null ? null
                                : step.create(targetBuffers[b], new ai.djl.ndarray.types.Shape(rows, targets.width()));
                        NDArray lossArray = detector.loss(out, x, t, epoch);
                        collector.backward(lossArray);
                        loss = lossArray.getFloat();
                    }
                    if (!Float.isFinite(loss)) {
                        zeroGradients(parameters);
                        diverged = true;
                        break;
                    }
                    lossSum += loss * (double) rows;
                    update(parameters, optimizer, step, config.maxGradNorm());
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double trainLoss = diverged ? Double.NaN : lossSum / train.rows();
            double validationLoss = diverged ? Double.NaN : detector.meanLoss(validation, validationTargets, epoch);
            TrainingHistory.Epoch record = new TrainingHistory.Epoch(epoch, trainLoss, validationLoss,
                    learningRate.value, diverged ? 0 : train.rows() / seconds);
            history.add(record);
            config.listener().onEpoch(record, config.epochs());

            boolean exploded = Double.isFinite(bestLoss)
                    && validationLoss > bestLoss + EXPLOSION_FACTOR * (Math.abs(bestLoss) + 1);
            if (diverged || !Double.isFinite(validationLoss) || exploded) {
                if (++recoveries > MAX_RECOVERIES) {
                    stop = "gave up after " + MAX_RECOVERIES + " recoveries from divergence";
                    break;
                }
                double oldRate = learningRate.value;
                learningRate.value = oldRate / RECOVERY_LR_DIVISOR;
                restore(parameters, best);
                optimizer = adam(learningRate);
                String what = String.format("epoch %d: %s; rolled back to the weights of epoch %d, learning rate %.3g -> %.3g",
                        epoch, diverged || !Double.isFinite(validationLoss) ? "loss not finite"
                                : String.format("validation loss exploded to %.4g (best %.4g)", validationLoss, bestLoss),
                        bestEpoch, oldRate, learningRate.value);
                history.recovered(what);
                config.listener().onRecovery(what);
                continue;
            }
            if (validationLoss < bestLoss || !Double.isFinite(bestLoss)) {
                bestLoss = validationLoss;
                bestEpoch = epoch;
                best = snapshot(parameters);
                sinceBest = 0;
            } else if (++sinceBest >= config.patience()) {
                stop = "early stopping: no better validation loss for " + config.patience() + " epochs";
                break;
            }
        }
        restore(parameters, best);
        history.bestEpoch(bestEpoch);
        history.stopReason(stop);
        return history;
    }

    /** As many of {@code events} as there are, drawn with replacement, each with probability proportional to its weight. */
    static FeatureBatch drawnByWeight(FeatureBatch events, double[] weights, Random random) {
        int[] drawn = new int[events.rows()];
        RandomOrder.drawWeighted(RandomOrder.runningSums(weights), drawn, random);
        return events.select(drawn);
    }

    private static Optimizer adam(LearningRate rate) {
        return Adam.builder().optLearningRateTracker(rate).build();
    }

    /** Clips the global gradient norm, takes one Adam step per parameter, zeroes the gradients. */
    private static void update(List<Parameter> parameters, Optimizer optimizer, NDManager step, double maxNorm) {
        NDArray[] gradients = new NDArray[parameters.size()];
        NDArray squaredNorm = null;
        for (int i = 0; i < gradients.length; i++) {
            gradients[i] = parameters.get(i).getArray().getGradient();
            gradients[i].attach(step);
            NDArray s = gradients[i].norm().square(); // the norm, not square().sum(): no temporary as large as the gradient
            squaredNorm = squaredNorm == null ? s : squaredNorm.add(s);
        }
        double norm = Math.sqrt(squaredNorm.getFloat());
        if (!Double.isFinite(norm)) {
            // a gradient too large for float (or not a number): rescaling it would make the
            // weights NaN; the step is skipped, and the loss guard sees any lasting trouble
            zeroGradients(parameters);
            return;
        }
        if (norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-12));
            for (NDArray g : gradients) {
                g.muli(scale);
            }
        }
        for (int i = 0; i < gradients.length; i++) {
            Parameter p = parameters.get(i);
            optimizer.update(p.getId(), p.getArray(), gradients[i]);
            JniUtils.zeroGrad((PtNDArray) p.getArray());
        }
    }

    private static void zeroGradients(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            JniUtils.zeroGrad((PtNDArray) p.getArray());
        }
    }

    private static float[][] snapshot(List<Parameter> parameters) {
        float[][] copy = new float[parameters.size()][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = parameters.get(i).getArray().toFloatArray();
        }
        return copy;
    }

    private static void restore(List<Parameter> parameters, float[][] values) {
        for (int i = 0; i < values.length; i++) {
            assign(parameters.get(i).getArray(), values[i]);
        }
    }

    /**
     * Writes {@code values} into {@code array}, by assignment to the whole array:
     * {@code NDArray.set(Buffer)} does the same but makes PyTorch print a deprecation warning
     * ("AutoNonVariableTypeMode is deprecated") in every process that trains.
     */
    static void assign(NDArray array, float[] values) {
        try (NDArray copy = array.getManager().create(values, array.getShape())) {
            array.set(WHOLE, copy);
        }
    }

    /** The index of a whole array. */
    private static final NDIndex WHOLE = new NDIndex("...");

    /** Copies rows of {@code size} numbers of {@code values}, in the shuffled {@code order}, into the batch buffers. */
    private static void fill(float[][] buffers, float[] values, int size, int[] order, int batchSize) {
        for (int b = 0; b < buffers.length; b++) {
            float[] buffer = buffers[b];
            int rows = buffer.length / size;
            for (int r = 0; r < rows; r++) {
                System.arraycopy(values, order[b * batchSize + r] * size, buffer, r * size, size);
            }
        }
    }
}
