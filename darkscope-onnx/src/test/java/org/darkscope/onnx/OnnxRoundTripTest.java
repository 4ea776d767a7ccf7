package org.darkscope.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.darkscope.Pipeline;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.detect.Hyperparameters;
import org.darkscope.detect.TrainingConfig;
import org.darkscope.event.Event;
import org.darkscope.io.BundledSample;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;
import org.darkscope.onnx.ir.OnnxIr;
import org.darkscope.select.Channel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Export and import: every exportable detector, written as ONNX and run by ONNX Runtime as the
 * {@code onnx} detector, scores the bundled sample as darkscope's own path does, to 1e-5; the
 * file is checked structurally (IR version, opset, declared shapes, every value defined before
 * use, only the operators the export writes).
 */
class OnnxRoundTripTest {
    @TempDir
    static Path dir;
    private static BundledSample.Split split;
    private static List<Event> judged;

    @BeforeAll
    static void sample() {
        split = BundledSample.extractAndSplit(dir.resolve("sample"), 0.6, "train.csv.gz", "test.csv.gz");
        judged = new ArrayList<>(EventFiles.read(split.rest(), ParseMode.STRICT, -1));
        judged.addAll(EventFiles.read(split.signal(0), ParseMode.STRICT, 500));
    }

    private static Path train(String detector, Hyperparameters settings, List<List<Path>> others, List<Path> background) {
        Path bundle = dir.resolve(detector + "-" + Math.abs(settings.hashCode()) + "-" + others.size() + ".model");
        Pipeline.train(new Pipeline.TrainRequest(detector, settings, null, background, others, Channel.CHAN1, -1, 0.2,
                ParseMode.STRICT, TrainingConfig.defaults(3, 7)), bundle);
        return bundle;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ae", "vae", "deep-svdd", "classifier", "hyperclass"})
    void anExportedModelScoresAsDarkscopeDoes(String detector) throws Exception {
        List<List<Path>> others = switch (detector) {
            case "classifier" -> List.of(List.of(split.signal(0)));
            case "hyperclass" -> List.of(List.of(split.signal(0)), List.of(split.signal(1)));
            default -> List.of();
        };
        Path bundle = train(detector, Hyperparameters.empty(), others, List.of(split.first()));
        Path onnx = dir.resolve(detector + ".onnx");
        float[] own;
        int features;
        try (TrainedModel model = ModelBundle.load(bundle)) {
            OnnxExport.write(bundle, model, onnx);
            own = model.score(judged);
            features = model.encoder().size();
        }
        assertWellFormed(OnnxIr.ModelProto.parseFrom(Files.readAllBytes(onnx)), features);
        assertTrue(Files.readString(dir.resolve(detector + ".onnx.json")).contains("\"definition\" : \"log(1 + MET / GeV)"));

        Path imported = train("onnx", Hyperparameters.parse(List.of("model=" + onnx)), List.of(), List.of());
        try (TrainedModel model = ModelBundle.load(imported)) {
            float[] runtime = model.score(judged);
            assertEquals(own.length, runtime.length);
            for (int i = 0; i < own.length; i++) {
                assertEquals(own[i], runtime[i], 1e-5 * Math.max(1, Math.abs(own[i])), detector + ", event " + i);
            }
            // the bundle holds a copy of the file, with its SHA-256 in the manifest
            assertEquals(ModelBundle.sha256(onnx), model.manifest().files().get(OnnxDetector.FILE));
        }
    }

    /** The IR's rules the export must keep, checked on the file as written. */
    private static void assertWellFormed(OnnxIr.ModelProto model, int features) {
        assertEquals(OnnxGraph.IR_VERSION, model.getIrVersion());
        assertEquals(1, model.getOpsetImportCount());
        assertEquals("", model.getOpsetImport(0).getDomain());
        assertEquals(OnnxGraph.OPSET, model.getOpsetImport(0).getVersion());
        OnnxIr.GraphProto graph = model.getGraph();
        assertEquals(1, graph.getInputCount());
        OnnxIr.TensorShapeProto in = graph.getInput(0).getType().getTensorType().getShape();
        assertEquals("events", in.getDim(0).getDimParam());
        assertEquals(features, in.getDim(1).getDimValue());
        assertEquals(OnnxIr.TensorProto.DataType.FLOAT_VALUE, graph.getInput(0).getType().getTensorType().getElemType());
        assertEquals(1, graph.getOutputCount());
        assertEquals(1, graph.getOutput(0).getType().getTensorType().getShape().getDimCount(), "one score per event");
        Set<String> defined = new HashSet<>(List.of(graph.getInput(0).getName()));
        for (OnnxIr.TensorProto t : graph.getInitializerList()) {
            assertTrue(defined.add(t.getName()), "initialiser " + t.getName() + " named twice");
            long elements = t.getDimsList().stream().reduce(1L, (a, b) -> a * b);
            long stored = t.getDataType() == OnnxIr.TensorProto.DataType.FLOAT_VALUE ? t.getRawData().size() / Float.BYTES : t.getInt64DataCount();
            assertEquals(elements, stored, "initialiser " + t.getName() + ": shape and values");
        }
        Set<String> operators = Set.of("Sub", "Div", "Gemm", "Relu", "LeakyRelu", "Mul", "ReduceSum", "Squeeze");
        for (OnnxIr.NodeProto node : graph.getNodeList()) {
            assertTrue(operators.contains(node.getOpType()), node.getOpType());
            node.getInputList().forEach(v -> assertTrue(defined.contains(v), node.getName() + " reads " + v + " before it is made"));
            node.getOutputList().forEach(v -> assertTrue(defined.add(v), v + " made twice"));
        }
        assertTrue(defined.contains(graph.getOutput(0).getName()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"iforest", "knn", "data-vs-reference"})
    void detectorsThatAreNotOneDenseGraphAreRefusedSayingWhy(String detector) {
        List<List<Path>> others = detector.equals("data-vs-reference") ? List.of(List.of(split.rest())) : List.of();
        Path bundle = train(detector, Hyperparameters.empty(), others, List.of(split.first()));
        try (TrainedModel model = ModelBundle.load(bundle)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.graph(model));
            assertTrue(e.getMessage().startsWith(detector) && e.getMessage().contains("exported: ae"), e.getMessage());
        }
    }
}
