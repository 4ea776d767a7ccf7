package org.darkscope.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.darkscope.DarkscopeVersion;
import org.darkscope.bundle.Manifest;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.detect.DenseForm;
import org.darkscope.detect.FlowForm;
import org.darkscope.detect.NormalizingFlow;
import org.darkscope.detect.NeuralDetector;
import org.darkscope.feature.Encoding;
import org.darkscope.feature.Standardizer;
import org.darkscope.io.AtomicFile;
import org.darkscope.onnx.ir.OnnxIr;
import org.darkscope.onnx.ir.OnnxIr.ModelProto;

/**
 * A trained detector's whole scoring function as one ONNX graph, for the experiments' software
 * (CMSSW and Athena run ONNX Runtime in C++): from the encoding's raw feature vector (float32,
 * [events, F]) through the standardisation fitted on background ((x - mean) / width), the
 * network, to the score (float32, [events]): a flow's -log p(x) ({@link FlowGraph}), the
 * reconstruction error, Deep SVDD's squared distance to its target, or a classifier's log-odds.
 * Standard operators of opset {@value OnnxGraph#OPSET} only.
 *
 * <p>Beside the graph, {@code NAME.onnx.json} says what the input is (each raw feature with its
 * definition and unit, in order), the opset, darkscope's version and the bundle's provenance.
 * Detectors whose score is not a stack of dense layers are refused, saying why.
 */
public final class OnnxExport {
    /** The graph's input: the encoding's raw features. */
    public static final String INPUT = "features";
    /** The graph's output: one score per event. */
    public static final String OUTPUT = "score";
    /** The detectors exported (those that score with a stack of dense layers). */
    public static final String EXPORTED = "flow, maf, ae, vae (score=reconstruction), deep-svdd (dense encodings), classifier, hyperclass";

    private OnnxExport() {
    }

    /** The graph of {@code model}'s score; refused (IllegalArgumentException, saying why) where it cannot be written as one. */
    public static ModelProto graph(TrainedModel model) {
        String detector = model.manifest().detector();
        Encoding encoding = model.encoder().encoding();
        if (detector.equals("iforest") || detector.equals("combined") || detector.equals("data-vs-reference")) {
            throw new IllegalArgumentException(detector + " cannot be one ONNX graph: " + switch (detector) {
                case "iforest" -> "its score walks a hundred trees";
                case "combined" -> "its score ranks each member's score among stored calibration scores";
                default -> "each event is scored by the classifier of its part, chosen by a hash of the event";
            } + " (exported: " + EXPORTED + ")");
        }
        if (model.detector() instanceof NormalizingFlow flow) {
            return flowGraph(model, flow.flowForm());
        }
        DenseForm form = model.detector() instanceof NeuralDetector neural ? neural.denseForm().orElse(null) : null;
        if (form == null || encoding.shape().length != 1) {
            throw new IllegalArgumentException(detector + " has no ONNX export: its score is not computed by a stack of dense "
                    + "layers on a dense encoding (exported: " + EXPORTED + ")");
        }
        OnnxGraph g = new OnnxGraph("darkscope_" + detector);
        String x = standardised(g, model);
        String h = x;
        for (int l = 0; l < form.layers().size(); l++) {
            DenseForm.Layer layer = form.layers().get(l);
            List<String> inputs = new ArrayList<>(List.of(h, g.constant("W" + l, layer.weights(), layer.outputs(), layer.inputs())));
            if (layer.bias() != null) {
                inputs.add(g.constant("b" + l, layer.bias(), layer.outputs()));
            }
            h = g.node("Gemm", inputs, OnnxGraph.attribute("transB", 1L));
            h = switch (layer.activation()) {
                case RELU -> g.node("Relu", List.of(h));
                case LEAKY_RELU -> g.node("LeakyRelu", List.of(h), OnnxGraph.attribute("alpha", DenseForm.LEAKY_SLOPE));
                case LINEAR -> h;
            };
        }
        String axes = g.constant("feature_axis", 1L);
        if (form.score() instanceof DenseForm.Output) {
            g.node("Squeeze", OUTPUT, List.of(h, axes));
        } else {
            String target = form.score() instanceof DenseForm.DistanceToCentre distance
                    ? g.constant("centre", distance.centre(), distance.centre().length) : x;
            String d = g.node("Sub", List.of(h, target));
            String sum = g.node("ReduceSum", List.of(g.node("Mul", List.of(d, d)), axes), OnnxGraph.attribute("keepdims", 0L));
            float divisor = form.score() instanceof DenseForm.ReconstructionError error ? error.divisor() : 1f;
            g.node("Div", OUTPUT, List.of(sum, g.constant("divisor", new float[] {divisor})));
        }
        return finish(g, model, meaning(form.score()));
    }

    /** The graph's input and its standardisation; returns the name of the standardised features. */
    private static String standardised(OnnxGraph g, TrainedModel model) {
        int features = model.encoder().size();
        g.input(INPUT, features);
        Standardizer s = model.encoder().standardizer();
        // in double, then rounded to float, as darkscope standardises: the same standardised features to the bit
        // (a flow's density is steep in the discrete features: a last-bit difference there moved scores by 1e-5)
        String raw = g.node("Cast", List.of(INPUT), OnnxGraph.attribute("to", (long) OnnxIr.TensorProto.DataType.DOUBLE_VALUE));
        String standardised = g.node("Div", List.of(g.node("Sub", List.of(raw, g.constant("mean", s.mean(), features))),
                g.constant("width", s.scale(), features)));
        return g.node("Cast", List.of(standardised), OnnxGraph.attribute("to", (long) OnnxIr.TensorProto.DataType.FLOAT_VALUE));
    }

    /** A flow's -log p(x) of the standardised features, in nats. */
    private static ModelProto flowGraph(TrainedModel model, FlowForm form) {
        OnnxGraph g = new OnnxGraph("darkscope_" + model.manifest().detector());
        String score = FlowGraph.negativeLogDensity(g, form, standardised(g, model));
        g.node("Identity", OUTPUT, List.of(score));
        return finish(g, model, "-log p(x) in nats of the standardised features (the flow's density)");
    }

    private static ModelProto finish(OnnxGraph g, TrainedModel model, String meaning) {
        g.output(OUTPUT);
        Manifest m = model.manifest();
        String encoding = model.encoder().encoding().name();
        return g.model(DarkscopeVersion.get(), "darkscope " + m.detector() + " on " + encoding + ": " + meaning,
                List.of("detector", m.detector(), "encoding", encoding, "created", m.created(), "darkscope_version", m.darkscopeVersion()));
    }

    private static String meaning(DenseForm.Score score) {
        if (score instanceof DenseForm.ReconstructionError) {
            return "the reconstruction error of the standardised features";
        }
        return score instanceof DenseForm.DistanceToCentre ? "the squared distance to Deep SVDD's target"
                : "the log-odds of signal against background";
    }

    /** Writes the graph of the bundle in {@code bundle} to {@code out} and its description to {@code out.json}. */
    public static void write(Path bundle, TrainedModel model, Path out) {
        ModelProto graph = graph(model);
        byte[] bytes = graph.toByteArray();
        AtomicFile.write(out, bytes);
        AtomicFile.write(out.resolveSibling(out.getFileName() + ".json"), description(bundle, model, graph, bytes));
    }

    private static byte[] description(Path bundle, TrainedModel model, ModelProto graph, byte[] bytes) {
        Manifest m = model.manifest();
        Encoding encoding = model.encoder().encoding();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode json = mapper.createObjectNode();
        json.put("onnx_sha256", java.util.HexFormat.of().formatHex(sha256(bytes)));
        json.put("ir_version", graph.getIrVersion());
        json.put("opset", OnnxGraph.OPSET);
        json.put("darkscope_version", DarkscopeVersion.get());
        ObjectNode input = json.putObject("input");
        input.put("name", INPUT).put("type", "float32").putArray("shape").add(OnnxGraph.EVENTS).add(encoding.size());
        input.put("encoding", encoding.name());
        ArrayNode features = input.putArray("features");
        for (int i = 0; i < encoding.size(); i++) {
            features.addObject().put("index", i).put("name", encoding.featureNames().get(i)).put("definition", encoding.featureDefinition(i));
        }
        ObjectNode output = json.putObject("output");
        output.put("name", OUTPUT).put("type", "float32").put("meaning", graph.getDocString()).putArray("shape").add(OnnxGraph.EVENTS);
        ObjectNode provenance = json.putObject("model");
        provenance.put("bundle", bundle.toString()).put("manifest_sha256", ModelBundle.sha256(bundle.resolve(ModelBundle.MANIFEST)))
                .put("detector", m.detector()).put("created", m.created()).put("channel", m.channel())
                .put("trained_on_events", m.trainedOnEvents()).put("seed", m.training().seed());
        ObjectNode settings = provenance.putObject("hyperparameters");
        m.hyperparameters().forEach(settings::put);
        ArrayNode files = provenance.putArray("training_files");
        m.trainingFiles().forEach(f -> files.addObject().put("path", f.path()).put("sha256", f.sha256()).put("sample", f.sample()));
        try {
            return mapper.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
