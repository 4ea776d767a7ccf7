package org.darkscope.detect;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.darkscope.InputException;
import org.darkscope.feature.FeatureBatch;

/**
 * A detector whose model is a Deep Java Library {@link Block} on the PyTorch engine. Subclasses
 * say which network, which loss and which score; this class owns the native memory, the lean
 * training loop ({@link NeuralTraining}) and saving and loading of the weights. A detector whose
 * score comes from a plain stack of dense layers (see {@link #denseScoring}) scores in plain Java,
 * from a {@link DenseNetwork} read straight from the weights file: loading such a model for
 * scoring does not start the engine.
 */
public abstract class NeuralDetector implements Detector {
    /** Events per forward pass when scoring, unless a detector says otherwise ({@link #scoringBatch}). */
    static final int SCORING_BATCH = 4096;
    /**
     * The fewest events the engine is given at once when scoring. PyTorch's matrix products (MKL)
     * take another path for one to three rows and sum in another order: the score of an event
     * alone by {@code flow}, {@code maf} or {@code conv-vae} differed by up to 6 units in the last
     * place from its score among many (OneEventScoringTest, ConvolutionalVaeTest); passes of 4 to 9,
     * 16, 64, 100, 1,000, 1,024 and 2,000 events gave the same bits.
     */
    static final int SMALLEST_PASS = 8;

    private static volatile boolean engineStarted;

    protected final Hyperparameters hyperparameters;
    private NDManager manager;
    private Block block;
    private ParameterStore parameterStore;
    private int[] inputShape;
    private TrainingHistory history = new TrainingHistory();
    /** How this detector scores in plain Java, where it does (see {@link #denseScoring}). */
    private DenseScoring dense;
    /** The weights file of a model loaded for plain-Java scoring only (its block is not built). */
    private byte[] loadedParameters;
    /** The trainable parameters of that file (every linear layer's, the VAE's unused log-variance head too). */
    private long loadedParameterCount;

    protected NeuralDetector(Hyperparameters hyperparameters) {
        this.hyperparameters = hyperparameters;
    }

    /** Builds the untrained network for events of {@code inputShape} (without the batch axis). */
    protected abstract Block buildBlock(int[] inputShape);

    /**
     * Refuses events of {@code shape} that {@code detector}'s network cannot read, saying which
     * encodings it can: a flat vector, or also a set of objects (rows of features) where {@code sets}.
     */
    protected static void requireInput(String detector, int[] shape, boolean sets) {
        if (shape.length == 1 || sets && shape.length == 2) {
            return;
        }
        String flat = String.join(", ", org.darkscope.feature.Encodings.all().stream().filter(e -> e.shape().length == 1)
                .map(org.darkscope.feature.Encoding::name).toList());
        throw new IllegalArgumentException(detector + " reads a flat encoding (" + flat + ")" + (sets ? " or a set of objects (object-set)" : "")
                + ", got events of shape " + java.util.Arrays.toString(shape)
                + (shape.length == 2 ? ": on object-set, Deep Sets networks are deep-svdd's and the classifiers'" : ""));
    }

    /**
     * The mean loss over the batch (a scalar), from the network's output for {@code input}.
     *
     * @param epoch the current epoch (one-based), for schedules such as the VAE's KL warm-up
     */
    protected abstract NDArray loss(NDList output, NDArray input, int epoch);

    /**
     * The mean loss where the events come with targets ({@link NeuralTraining.Targets}: a
     * classifier's labels and weights, one row per event); {@code targets} is null for the
     * detectors that learn from the events alone, which this default serves.
     */
    protected NDArray loss(NDList output, NDArray input, NDArray targets, int epoch) {
        return loss(output, input, epoch);
    }

    /** One score per event of the batch. */
    protected abstract NDArray score(NDList output, NDArray input);

    /**
     * How to score in plain Java, from the network's {@code Linear} layers in the order its blocks
     * hold them: the dense network to run and the score from its output, which must give what
     * {@link #score(NDList, NDArray)} gives, to float rounding. Null (the default) where scoring
     * runs on the engine, and where the layers are not what this detector's settings make.
     */
    protected DenseScoring denseScoring(List<DenseNetwork.Layer> linearLayers) {
        return null;
    }

    /**
     * As {@link #denseScoring(List)}, for a network whose blocks also hold parameters of their own
     * ({@code own}, in the order the blocks hold them: Deep SVDD's target); by default there is
     * no plain-Java scoring where there are such parameters.
     */
    protected DenseScoring denseScoring(List<DenseNetwork.Layer> linearLayers, List<float[]> own) {
        return own.isEmpty() ? denseScoring(linearLayers) : null;
    }

    /**
     * The score computed in fixed-point arithmetic, as an FPGA firmware made by hls4ml would:
     * the network in {@code type} ({@link FixedPointNetwork}), the score from its quantised input
     * and output as usual. Empty where this detector does not score with a plain dense network
     * (only the autoencoder and the dense VAE's reconstruction score do, loaded from a bundle).
     */
    public java.util.Optional<java.util.function.Function<FeatureBatch, float[]>> fixedPointScoring(FixedPoint type) {
        if (dense == null) {
            return java.util.Optional.empty();
        }
        FixedPointNetwork network = new FixedPointNetwork(dense.network(), type);
        DenseScore score = dense.score().quantised(type);
        return java.util.Optional.of(batch -> {
            int size = batch.rowSize();
            float[] scores = new float[batch.rows()];
            for (int from = 0; from < batch.rows(); from += DenseNetwork.BLOCK) {
                int rows = Math.min(DenseNetwork.BLOCK, batch.rows() - from);
                float[][] in = null;
                float[][] out = null;
                for (int e = 0; e < rows; e++) {
                    double[] x = network.input(batch.values(), (from + e) * size);
                    double[] y = network.forward(x);
                    if (in == null) {
                        in = new float[x.length][rows];
                        out = new float[y.length][rows];
                    }
                    for (int f = 0; f < x.length; f++) {
                        in[f][e] = (float) x[f]; // exact: at most 20 significant bits
                    }
                    for (int f = 0; f < y.length; f++) {
                        out[f][e] = (float) y[f];
                    }
                }
                score.score(in, out, rows, scores, from);
            }
            return scores;
        });
    }

    /**
     * The fixed-point scoring of {@link #fixedPointScoring} as a self-contained C++ header (see
     * {@link FixedPointHeader}); empty where there is none.
     *
     * @param namespace the C++ namespace of the header's constants and function
     * @param comment   lines for the header's opening comment (provenance)
     */
    public java.util.Optional<String> fixedPointHeader(FixedPoint type, String namespace, List<String> comment) {
        if (dense == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(FixedPointHeader.write(dense.network(), type, dense.score(), namespace, comment));
    }

    /**
     * This detector's score as a stack of dense layers and a score from their output (see
     * {@link DenseForm}); empty where it does not score with a plain dense network.
     */
    public java.util.Optional<DenseForm> denseForm() {
        if (dense == null) {
            return java.util.Optional.empty();
        }
        List<DenseNetwork.Layer> layers = dense.network().layers();
        DenseForm.Activation[] activations = dense.network().activations();
        List<DenseForm.Layer> form = new java.util.ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            DenseNetwork.Layer layer = layers.get(l);
            form.add(new DenseForm.Layer(layer.inputs(), layer.outputs(), layer.weights(), layer.bias(),
                    activations[l]));
        }
        DenseForm.Score score;
        if (dense.score() instanceof DenseScore.SquaredError error) {
            score = new DenseForm.ReconstructionError(error.divisor());
        } else if (dense.score() instanceof DenseScore.DistanceToCentre distance) {
            score = new DenseForm.DistanceToCentre(distance.centre());
        } else {
            score = new DenseForm.Output();
        }
        return java.util.Optional.of(new DenseForm(form, score));
    }

    /** A plain-Java scoring: the network, and the score from its output. */
    protected record DenseScoring(DenseNetwork network, DenseScore score) {
    }

    /** Called once the network is initialised, before the first epoch (e.g. to fix a target). */
    protected void beforeTraining(FeatureBatch train) {
    }

    /** The network's input during training; the flow adds its dequantisation noise here. */
    protected NDArray trainingInput(NDArray input) {
        return input;
    }

    @Override
    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    @Override
    public void fit(TrainingData background, TrainingConfig config) {
        train(background, null, config);
    }

    /**
     * Weighted events are drawn for every epoch by their weights ({@link NeuralTraining}), and
     * {@link #beforeTraining} is given them drawn so.
     */
    @Override
    public boolean fitsWeights() {
        return true;
    }

    /** Trains the network on {@code data}, with {@code targets} where the loss needs them (null otherwise). */
    void train(TrainingData data, NeuralTraining.Targets targets, TrainingConfig config) {
        initialise(data.train().shape(), config.seed());
        beforeTraining(data.weighted() ? NeuralTraining.drawnByWeight(data.train(), data.trainWeights(), new java.util.Random(config.seed()))
                : data.train());
        history = NeuralTraining.train(this, data, targets, config);
        // the fitted network scores as a loaded one will: its weights serialised and read back
        DjlParameters.Network network = network(blockParameters());
        dense = network == null ? null : denseScoring(network, inputShape);
    }

    /** The network's weights as Deep Java Library writes them to a bundle. */
    private byte[] blockParameters() {
        ByteArrayOutputStream parameters = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(parameters)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parameters.toByteArray();
    }

    /** The linear layers of the trained network, in the order its blocks hold them; only once fitted or loaded. */
    List<DenseNetwork.Layer> linearLayers() {
        if (loadedParameters == null && block == null) {
            throw new IllegalStateException(name() + " is not fitted");
        }
        byte[] parameters = loadedParameters != null ? loadedParameters : blockParameters();
        try {
            return DjlParameters.read(parameters).layers();
        } catch (DjlParameters.Unreadable e) {
            throw new IllegalStateException(name() + "'s network is not a stack of linear layers: " + e.getMessage(), e);
        }
    }

    /** What a weights file holds, or null where the file is not one DjlParameters reads. */
    private static DjlParameters.Network network(byte[] parameters) {
        try {
            return DjlParameters.read(parameters);
        } catch (DjlParameters.Unreadable e) {
            return null;
        }
    }

    /** The plain-Java scoring of this network for events of {@code shape}, or null where there is none (the engine scores then). */
    private DenseScoring denseScoring(DjlParameters.Network network, int[] shape) {
        try {
            DenseScoring scoring = denseScoring(network.layers(), network.own());
            return scoring != null && scoring.network().inputs() == FeatureBatch.product(shape) ? scoring : null;
        } catch (IllegalArgumentException e) {
            return null; // layers that do not chain
        }
    }

    /** Whether this process has started the PyTorch engine (a loaded autoencoder does not). */
    public static boolean engineStarted() {
        return engineStarted;
    }

    private void initialise(int[] shape, long seed) {
        close();
        engineStarted = true;
        Engine.getInstance().setRandomSeed((int) seed);
        inputShape = shape.clone();
        manager = NDManager.newBaseManager();
        block = buildBlock(inputShape);
        block.initialize(manager, DataType.FLOAT32, batchShape(1));
        parameterStore = new ParameterStore(manager, false);
    }

    Shape batchShape(int rows) {
        long[] dims = new long[inputShape.length + 1];
        dims[0] = rows;
        for (int i = 0; i < inputShape.length; i++) {
            dims[i + 1] = inputShape[i];
        }
        return new Shape(dims);
    }

    NDManager manager() {
        return manager;
    }

    Block block() {
        return block;
    }

    ParameterStore parameterStore() {
        return parameterStore;
    }

    /** The learnable parameters (frozen ones, such as a fixed target, excluded). */
    List<Parameter> trainableParameters() {
        return block.getParameters().stream().map(Pair::getValue).filter(Parameter::requiresGradient).toList();
    }

    /** Forward pass without gradients on a batch, returning one score per event. */
    @Override
    public float[] score(FeatureBatch batch) {
        if (block == null && dense == null) {
            throw new IllegalStateException(name() + " is not fitted");
        }
        if (!java.util.Arrays.equals(batch.shape(), inputShape)) {
            throw new IllegalArgumentException(name() + " expects events of shape " + java.util.Arrays.toString(inputShape)
                    + ", got " + java.util.Arrays.toString(batch.shape()));
        }
        return dense != null ? scoreDense(batch) : scoreOnEngine(batch);
    }

    private float[] scoreDense(FeatureBatch batch) {
        DenseScore score = dense.score();
        if (batch.rows() == 1) { // one event (a trigger): row-major, the same bits
            return new float[] {score.one(batch.values(), dense.network().forwardOne(batch.values(), 0))};
        }
        float[] scores = new float[batch.rows()];
        DenseNetwork.Pass pass = dense.network().pass();
        for (int from = 0; from < batch.rows(); from += DenseNetwork.BLOCK) {
            int rows = Math.min(DenseNetwork.BLOCK, batch.rows() - from);
            float[][] input = pass.input(batch, from, rows);
            score.score(input, pass.forward(rows), rows, scores, from);
        }
        return scores;
    }

    /**
     * The scores as the engine computes them, with {@link #score(NDList, NDArray)}. Fewer than
     * {@value #SMALLEST_PASS} events go through the network padded with copies of the last, so that
     * an event scored alone gets the bits it gets among many (see {@link #SMALLEST_PASS}).
     */
    float[] scoreOnEngine(FeatureBatch batch) {
        if (batch.rows() > 0 && batch.rows() < SMALLEST_PASS) {
            int[] padded = new int[SMALLEST_PASS];
            for (int i = 0; i < padded.length; i++) {
                padded[i] = Math.min(i, batch.rows() - 1);
            }
            return java.util.Arrays.copyOf(scoreOnEngine(batch.select(padded)), batch.rows());
        }
        float[] scores = new float[batch.rows()];
        forward(batch, (from, x, out) -> {
            float[] part = score(out, x).toFloatArray();
            System.arraycopy(part, 0, scores, from, part.length);
        });
        return scores;
    }

    /** The mean loss on {@code batch} without gradients (for validation), with the events' targets where there are (else null). */
    double meanLoss(FeatureBatch batch, float[] targets, int epoch) {
        double[] sum = {0};
        forward(batch, (from, x, out) -> {
            long rows = x.getShape().get(0);
            NDArray t = null;
            if (targets != null) {
                int width = targets.length / batch.rows();
                t = x.getManager().create(java.nio.FloatBuffer.wrap(targets, from * width, (int) rows * width), new Shape(rows, width));
            }
            sum[0] += loss(out, x, t, epoch).getFloat() * (double) rows;
        });
        return sum[0] / batch.rows();
    }

    /**
     * {@code length} values of {@code values} from {@code offset} as an array of {@code shape}, in
     * memory PyTorch allocated (aligned to 64 bytes). Deep Java Library would hand PyTorch a Java
     * buffer without copying it, at whatever address the JVM's allocator gave it; native kernels
     * may sum in an order that depends on the alignment. This keeps that out of training and
     * scoring; it did not, alone, end the demo's occasional partings (see the README on
     * reproducibility).
     */
    static NDArray events(NDManager manager, float[] values, int offset, int length, Shape shape) {
        try (NDArray wrapped = manager.create(java.nio.FloatBuffer.wrap(values, offset, length), shape)) {
            return wrapped.duplicate();
        }
    }

    /** What to do with the network's output for the events starting at {@code from}. */
    private interface BatchStep {
        void apply(int from, NDArray input, NDList output);
    }

    /**
     * Events per forward pass when scoring ({@value #SCORING_BATCH}): each event's score is its own,
     * so the batch changes the memory and the rate, never the scores.
     */
    protected int scoringBatch() {
        return SCORING_BATCH;
    }

    /**
     * Runs the network without gradients over {@code batch}, {@link #scoringBatch} events at a
     * time; the last pass takes the rest with it where that would be fewer than
     * {@value #SMALLEST_PASS} events.
     */
    private void forward(FeatureBatch batch, BatchStep step) {
        int size = batch.rowSize();
        int events = scoringBatch();
        for (int from = 0, to; from < batch.rows(); from = to) {
            to = batch.rows() - from < events + SMALLEST_PASS ? batch.rows() : from + events;
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = events(sub, batch.values(), from * size, (to - from) * size, batchShape(to - from));
                step.apply(from, x, block.forward(parameterStore, new NDList(x), false));
            }
        }
    }

    @Override
    public long parameterCount() {
        if (block == null && loadedParameters != null) {
            return loadedParameterCount;
        }
        return trainableParameters().stream().mapToLong(p -> p.getShape().size()).sum();
    }

    @Override
    public TrainingHistory history() {
        return history;
    }

    @Override
    public List<Path> save(Path directory) throws IOException {
        Path file = directory.resolve("parameters.bin");
        if (block == null && loadedParameters != null) {
            Files.write(file, loadedParameters);
            return List.of(file);
        }
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            block.saveParameters(out);
        }
        return List.of(file);
    }

    @Override
    public void load(Path directory, int[] shape, TrainingHistory trainedHistory) throws IOException {
        Path file = directory.resolve("parameters.bin");
        byte[] parameters = Files.readAllBytes(file);
        DjlParameters.Network network = network(parameters);
        DenseScoring scoring = network == null ? null : denseScoring(network, shape);
        if (scoring != null) {
            close();
            inputShape = shape.clone();
            dense = scoring;
            loadedParameters = parameters;
            loadedParameterCount = DenseNetwork.parameterCount(network.layers());
            history = trainedHistory;
            return;
        }
        // scored on the engine: it reads the parameters, or says what is wrong with them
        initialise(shape, 0);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters))) {
            block.loadParameters(manager, in);
        } catch (ai.djl.MalformedModelException | IOException e) {
            throw new InputException(file + ": network parameters do not fit a " + name() + " network: " + e.getMessage(), e);
        }
        history = trainedHistory;
    }

    /** Sums {@code x} over every axis but the batch axis. */
    static NDArray sumPerEvent(NDArray x) {
        int[] axes = new int[x.getShape().dimension() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return axes.length == 0 ? x : x.sum(axes);
    }

    @Override
    public void close() {
        dense = null;
        loadedParameters = null;
        if (manager != null) {
            manager.close();
            manager = null;
            block = null;
        }
    }
}
