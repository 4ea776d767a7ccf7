package org.darkscope.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.darkscope.onnx.ir.OnnxIr.AttributeProto;
import org.darkscope.onnx.ir.OnnxIr.GraphProto;
import org.darkscope.onnx.ir.OnnxIr.ModelProto;
import org.darkscope.onnx.ir.OnnxIr.NodeProto;
import org.darkscope.onnx.ir.OnnxIr.OperatorSetIdProto;
import org.darkscope.onnx.ir.OnnxIr.StringStringEntryProto;
import org.darkscope.onnx.ir.OnnxIr.TensorProto;
import org.darkscope.onnx.ir.OnnxIr.TensorShapeProto;
import org.darkscope.onnx.ir.OnnxIr.TypeProto;
import org.darkscope.onnx.ir.OnnxIr.ValueInfoProto;

/**
 * Builds an ONNX model of standard operators: constant tensors (initialisers), nodes that each
 * name a fresh value, the graph's float input and output with a symbolic batch dimension. The
 * messages are protoc's, compiled from the IR's schema ({@code onnx_ir.proto}).
 */
final class OnnxGraph {
    /** The IR version written: 8 (ONNX 1.10 and later, ONNX Runtime 1.10 and later). */
    static final long IR_VERSION = 8;
    /** The standard operator set imported: 17 (ONNX 1.12; ONNX Runtime 1.12 and later). */
    static final long OPSET = 17;
    /** The name of the batch dimension. */
    static final String EVENTS = "events";

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private int values;
    /** Put before every constant's name: one part of the graph apart from another built the same way. */
    private String scope = "";

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** Names the constants made from now on {@code scope} + their name ("" to stop). */
    void scope(String prefix) {
        scope = prefix;
    }

    /** Declares the float input {@code name} of shape [events, ...dims]. */
    void input(String name, long... dims) {
        graph.addInput(valueInfo(name, dims));
    }

    /** Declares the float output {@code name} of shape [events, ...dims]. */
    void output(String name, long... dims) {
        graph.addOutput(valueInfo(name, dims));
    }

    private static ValueInfoProto valueInfo(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(EVENTS));
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }

    /** A float constant of shape {@code dims} (row-major values; no dims: a scalar); returns its name. */
    String constant(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(Float.BYTES * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return initializer(name, TensorProto.DataType.FLOAT_VALUE, raw, dims);
    }

    /** A double constant of shape {@code dims}; returns its name. */
    String constant(String name, double[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(Double.BYTES * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asDoubleBuffer().put(values);
        return initializer(name, TensorProto.DataType.DOUBLE_VALUE, raw, dims);
    }

    /** A constant of {@code type} whose values are the little-endian bytes of {@code raw}. */
    private String initializer(String name, int type, ByteBuffer raw, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(scope + name).setDataType(type)
                .setRawData(ByteString.copyFrom(raw.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return scope + name;
    }

    /** An int64 constant (axes, shapes); returns its name. */
    String constant(String name, long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(scope + name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        graph.addInitializer(t);
        return scope + name;
    }

    /** An int64 scalar, a tensor of no dimensions; returns its name. */
    String scalar(String name, long value) {
        graph.addInitializer(TensorProto.newBuilder().setName(scope + name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addInt64Data(value));
        return scope + name;
    }

    /** Applies {@code op} to {@code inputs}; returns the name of its output. */
    String node(String op, List<String> inputs, AttributeProto... attributes) {
        return node(op, "v" + values++, inputs, attributes);
    }

    /** Applies {@code op}, which gives {@code outputs} values, to {@code inputs}; returns the name of the first. */
    String node(String op, List<String> inputs, int outputs, AttributeProto... attributes) {
        String first = "v" + values++;
        node(op, first, inputs, attributes);
        NodeProto.Builder n = graph.getNodeBuilder(graph.getNodeCount() - 1);
        for (int i = 1; i < outputs; i++) {
            n.addOutput(first + "_" + i);
        }
        return first;
    }

    /** Applies {@code op} to {@code inputs}, naming its output {@code output}. */
    String node(String op, String output, List<String> inputs, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(op + "_" + graph.getNodeCount()).addAllInput(inputs)
                .addOutput(output);
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return output;
    }

    static AttributeProto attribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    /** An attribute of a list of integers (axes, pads, kernel shapes). */
    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    /** The sum of {@code value} over {@code axes} (an int64 constant), those axes dropped. */
    String reduceSum(String value, String axes) {
        return node("ReduceSum", List.of(value, axes), attribute("keepdims", 0L));
    }

    static AttributeProto attribute(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    /** The whole model, with who made it and the metadata given as key, value, key, value, ... */
    ModelProto model(String producerVersion, String documentation, List<String> metadata) {
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("darkscope")
                .setProducerVersion(producerVersion).setDomain("org.darkscope").setModelVersion(1).setDocString(documentation)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).setGraph(graph);
        for (int i = 0; i + 1 < metadata.size(); i += 2) {
            m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(metadata.get(i)).setValue(metadata.get(i + 1)));
        }
        return m.build();
    }
}
