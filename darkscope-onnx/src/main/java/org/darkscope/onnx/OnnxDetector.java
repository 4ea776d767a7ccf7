package org.darkscope.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.darkscope.InputException;
import org.darkscope.detect.ExternalModel;
import org.darkscope.detect.Hyperparameters;
import org.darkscope.detect.Setting;
import org.darkscope.detect.TrainingConfig;
import org.darkscope.detect.TrainingData;
import org.darkscope.detect.TrainingHistory;
import org.darkscope.feature.Encoding;
import org.darkscope.feature.Encodings;
import org.darkscope.feature.FeatureBatch;

/**
 * {@code onnx}: a model trained anywhere (PyTorch, Keras, darkscope's own export), judged under
 * darkscope's protocol. The ONNX file's first input takes the named encoding's raw features, not
 * standardised, flattened (float32, [events, F]; an image encoding's channels, rows and columns
 * in that order); its first output is the score ({@code output=score},
 * [events] or [events, 1]) or a reconstruction of the input ({@code output=reconstruction},
 * [events, F], scored by the mean squared error over the F features). Run by ONNX Runtime's Java
 * API on the CPU, one thread per scoring call. Training reads nothing from the background: it
 * checks the model against the encoding and copies the file into the bundle, whose manifest
 * records its SHA-256.
 *
 * <p>Settings: {@code model} (the ONNX file), {@code encoding} (the one named by the description
 * {@code darkscope export} wrote beside the file, {@code FILE.json}, where it describes this very
 * file; else event-level), {@code output} (score).
 */
public final class OnnxDetector implements ExternalModel {
    /** The ONNX file's name in a bundle. */
    static final String FILE = "model.onnx";
    /** Events per call of ONNX Runtime. */
    private static final int BATCH = 8192;

    public static final Setting MODEL = Setting.of("model", "file", "an ONNX file", "", "the ONNX model (input: the encoding's raw "
            + "features, float32 [events, F]; first output: the score, or a reconstruction of the input)", v -> true);
    public static final Setting ENCODING = Setting.choice("encoding", "event-level", "the encoding whose raw features the model reads "
            + "(flattened: [events, F], F the encoding's size)", Encodings.all().stream().map(Encoding::name).toArray(String[]::new));
    public static final Setting OUTPUT = Setting.choice("output", "score", "what the first output is: the score, or a reconstruction "
            + "of the input (score = its mean squared error)", "score", "reconstruction");
    public static final List<Setting> SETTINGS = List.of(MODEL, ENCODING, OUTPUT);

    private final Hyperparameters hyperparameters;
    private final Encoding encoding;
    private final boolean reconstruction;
    private byte[] model;
    private OrtSession session;
    private String inputName;

    public OnnxDetector(Hyperparameters hp) {
        String described = hp.asMap().containsKey(ENCODING.name()) ? null : describedEncoding(hp.asMap().get(MODEL.name()));
        this.hyperparameters = Setting.complete("onnx", described == null ? hp : hp.with(ENCODING.name(), described), SETTINGS);
        this.encoding = Encodings.byName(ENCODING.text(hyperparameters));
        this.reconstruction = OUTPUT.text(hyperparameters).equals("reconstruction");
    }

    /**
     * The encoding named by the description {@code darkscope export} wrote beside {@code model}
     * ({@code model.json}: {@code input.encoding}), where its {@code onnx_sha256} is this file's;
     * null where there is none, it describes another file, or it cannot be read (the encoding's
     * default then applies, and a model of another width is refused saying which encodings fit).
     */
    static String describedEncoding(String model) {
        if (model == null || model.isBlank()) {
            return null;
        }
        Path file = Path.of(model);
        try {
            com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(OnnxExport.descriptionOf(file).toFile());
            String encoding = json.path("input").path("encoding").asText(null);
            boolean same = org.darkscope.bundle.ModelBundle.sha256(file).equals(json.path("onnx_sha256").asText(null));
            return same && encoding != null && Encodings.all().stream().anyMatch(e -> e.name().equals(encoding)) ? encoding : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    @Override
    public String encoding() {
        return encoding.name();
    }

    /** Reads the file of the setting {@code model} and checks it against the encoding; nothing is learned. */
    @Override
    public void fit(TrainingData background, TrainingConfig config) {
        String file = MODEL.text(hyperparameters);
        if (file.isBlank()) {
            throw new IllegalArgumentException("onnx needs the model: --set model=FILE.onnx");
        }
        try {
            open(Files.readAllBytes(Path.of(file)), file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such ONNX file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Opens {@code bytes} (read from {@code source}) in ONNX Runtime and checks its input and first output. */
    private void open(byte[] bytes, String source) {
        close();
        OrtEnvironment environment = NativeLibraries.environment(); // first: it loads the native libraries
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = environment.createSession(bytes, options);
            Map<String, NodeInfo> inputs = session.getInputInfo();
            if (inputs.size() != 1) {
                throw new InputException(source + ": the model takes " + inputs.size() + " inputs; darkscope gives one, the "
                        + encoding.name() + " features");
            }
            inputName = inputs.keySet().iterator().next();
            long[] in = floatShape(inputs.get(inputName), source, "input " + inputName);
            if (in.length != 2 || (in[1] >= 0 && in[1] != encoding.size())) {
                List<String> fitting = in.length != 2 ? List.of() : Encodings.all().stream().filter(e -> e.size() == in[1])
                        .map(Encoding::name).toList();
                throw new InputException(source + ": input " + inputName + " has the shape " + Arrays.toString(in) + "; "
                        + encoding.name() + " gives [events, " + encoding.size() + "]" + (fitting.isEmpty() ? ""
                        : ": give --set encoding=" + String.join(" or ", fitting) + " (a model darkscope exported names its encoding in"
                        + " its .onnx.json)"));
            }
            NodeInfo first = session.getOutputInfo().values().iterator().next();
            long[] out = floatShape(first, source, "output " + first.getName());
            boolean fits = reconstruction ? out.length == 2 && (out[1] < 0 || out[1] == encoding.size())
                    : out.length == 1 || out.length == 2 && (out[1] < 0 || out[1] == 1);
            if (!fits) {
                throw new InputException(source + ": output " + first.getName() + " has the shape " + Arrays.toString(out) + "; output="
                        + (reconstruction ? "reconstruction needs [events, " + encoding.size() + "]" : "score needs [events] or [events, 1]"));
            }
        } catch (OrtException e) {
            close();
            throw new InputException(source + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        model = bytes;
    }

    private static long[] floatShape(NodeInfo info, String source, String what) {
        if (!(info.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
            throw new InputException(source + ": " + what + " is " + info.getInfo() + ", not a float32 tensor");
        }
        return tensor.getShape();
    }

    @Override
    public float[] score(FeatureBatch batch) {
        if (session == null) {
            throw new IllegalStateException("onnx has no model: train it (it copies the file) or load its bundle");
        }
        if (batch.rowSize() != encoding.size()) {
            throw new IllegalArgumentException("onnx reads " + encoding.size() + " features of " + encoding.name() + ", got " + batch.rowSize());
        }
        float[] scores = new float[batch.rows()];
        int size = batch.rowSize();
        OrtEnvironment env = NativeLibraries.environment();
        for (int from = 0; from < batch.rows(); from += BATCH) {
            int rows = Math.min(BATCH, batch.rows() - from);
            try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch.values(), from * size, rows * size),
                    new long[] {rows, size});
                 OrtSession.Result result = session.run(Map.of(inputName, input))) {
                FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
                if (reconstruction) {
                    for (int e = 0; e < rows; e++) {
                        float sum = 0f;
                        for (int f = 0; f < size; f++) {
                            float d = out.get(e * size + f) - batch.values()[(from + e) * size + f];
                            sum += d * d;
                        }
                        scores[from + e] = sum / size;
                    }
                } else {
                    out.get(scores, from, rows);
                }
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed to score: " + e.getMessage(), e);
            }
        }
        return scores;
    }

    @Override
    public List<Path> save(Path directory) throws IOException {
        if (model == null) {
            throw new IllegalStateException("onnx has no model to save");
        }
        return List.of(Files.write(directory.resolve(FILE), model));
    }

    @Override
    public void load(Path directory, int[] inputShape, TrainingHistory history) throws IOException {
        Path file = directory.resolve(FILE);
        open(Files.readAllBytes(file), file.toString());
    }

    @Override
    public void close() {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                // closing releases native memory; nothing to do if it fails
            }
            session = null;
        }
    }
}
