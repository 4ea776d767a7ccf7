package org.darkscope.detect;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the dense layers out of the parameter file Deep Java Library writes for a network of
 * {@code SequentialBlock}s, {@code Linear} layers and activation {@code LambdaBlock}s (what
 * {@link Networks#dense} builds), held in darkscope's own container blocks (the VAE's), without
 * loading the engine: scoring with such a network then needs neither PyTorch nor its start-up
 * (about 0.4 CPU-s). The stream is DJL 0.32's {@code Block.saveParameters}: each block in
 * pre-order, opened by its encoding version (sequential 3, linear 4, lambda 2, an
 * {@code AbstractBlock} of darkscope's 1), its metadata, then its parameters, each an encoded
 * {@code NDArray} ({@code NDSerializer} version 3). A container's parameters of its own (Deep
 * SVDD's target) are read beside the layers. Anything else is refused with {@link Unreadable},
 * and the detector loads the file on the engine instead.
 */
final class DjlParameters {
    private static final int CONTAINER = 1;
    private static final int SEQUENTIAL = 3;
    private static final int LINEAR = 4;
    private static final int LAMBDA = 2;
    private static final int PARAMETER_VERSION = 1;
    private static final int ARRAY_VERSION = 3;

    private DjlParameters() {
    }

    /** The stream is not one this reader knows; says where and why. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    /**
     * What a weights file holds: the {@code Linear} layers, and the containers' own parameters
     * (such as Deep SVDD's target), each in the order the blocks hold them.
     */
    record Network(List<DenseNetwork.Layer> layers, List<float[]> own) {
    }

    /** The {@code Linear} layers of {@code parameters}, in the order the blocks hold them. */
    static List<DenseNetwork.Layer> linearLayers(byte[] parameters) throws Unreadable {
        return read(parameters).layers();
    }

    /** The layers and the containers' own parameters of {@code parameters}. */
    static Network read(byte[] parameters) throws Unreadable {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters));
        List<DenseNetwork.Layer> layers = new ArrayList<>();
        List<float[]> own = new ArrayList<>();
        try {
            int version;
            while ((version = in.read()) >= 0) {
                switch (version) {
                    case CONTAINER -> {
                        skipShapes(in);
                        while (nextIsParameter(in)) {
                            own.add(parameter(in, null, null));
                        }
                    }
                    case SEQUENTIAL -> {
                        skipShapes(in);
                        in.readBoolean(); // whether intermediate outputs are returned: not for scoring
                    }
                    case LAMBDA -> skipShapes(in);
                    case LINEAR -> layers.add(linear(in, layers.size()));
                    default -> throw new Unreadable("block encoding version " + version + " at byte "
                            + (parameters.length - in.available() - 1) + " is not a container, sequential, linear or lambda block");
                }
            }
        } catch (EOFException e) {
            throw new Unreadable("the parameters end inside a block");
        } catch (IOException e) { // a malformed name: reading an array in memory fails no other way
            throw new Unreadable(e.getMessage());
        }
        if (layers.isEmpty()) {
            throw new Unreadable("no linear layer");
        }
        return new Network(layers, own);
    }

    private static DenseNetwork.Layer linear(DataInputStream in, int index) throws IOException, Unreadable {
        long units = in.readLong();
        long inputs = in.readLong();
        readShape(in); // the input shape the layer was initialised with
        if (units <= 0 || inputs <= 0 || units * inputs > Integer.MAX_VALUE / Float.BYTES) {
            throw new Unreadable("linear layer " + (index + 1) + " has " + units + " x " + inputs + " weights");
        }
        float[] weight = parameter(in, "weight", new long[] {units, inputs});
        // no bias (Deep SVDD's layers): the next block starts here
        float[] bias = nextIsParameter(in) ? parameter(in, "bias", new long[] {units}) : null;
        return new DenseNetwork.Layer((int) inputs, (int) units, weight, bias);
    }

    /** Whether a parameter comes next (a block comes with its encoding version, never 0). */
    private static boolean nextIsParameter(DataInputStream in) throws IOException {
        in.mark(2);
        boolean parameter = in.available() >= 2 && in.readChar() == 'P';
        in.reset();
        return parameter;
    }

    /** A parameter, {@code name} and {@code shape} as expected (null: any name, any shape of floats). */
    private static float[] parameter(DataInputStream in, String name, long[] shape) throws IOException, Unreadable {
        char marker = in.readChar();
        if (marker != 'P') {
            throw new Unreadable("parameter '" + name + "' is " + (marker == 'N' ? "not initialised" : "missing"));
        }
        int version = in.readByte();
        String saved = in.readUTF();
        if (name == null) {
            name = saved;
        }
        if (version != PARAMETER_VERSION || !saved.equals(name)) {
            throw new Unreadable("expected parameter '" + name + "' (version " + PARAMETER_VERSION + "), found '" + saved
                    + "' (version " + version + ")");
        }
        String magic = in.readUTF();
        int arrayVersion = in.readInt();
        if (!magic.equals("NDAR") || arrayVersion != ARRAY_VERSION) {
            throw new Unreadable("array '" + name + "' is not an NDArray of encoding version " + ARRAY_VERSION);
        }
        if (in.readBoolean()) {
            in.readUTF(); // the array's own name
        }
        String sparse = in.readUTF();
        String type = in.readUTF();
        long[] savedShape = readShape(in);
        if (shape == null) {
            shape = savedShape;
            if (Arrays.stream(shape).anyMatch(d -> d < 0) || Arrays.stream(shape).reduce(1, (a, b) -> a * b) > Integer.MAX_VALUE / Float.BYTES) {
                throw new Unreadable("parameter '" + name + "' has the shape " + Arrays.toString(shape));
            }
        }
        if (!sparse.equals("DENSE") || !type.equals("FLOAT32") || !Arrays.equals(savedShape, shape)) {
            throw new Unreadable("parameter '" + name + "' is " + sparse + " " + type + " " + Arrays.toString(savedShape)
                    + ", expected DENSE FLOAT32 " + Arrays.toString(shape));
        }
        ByteOrder order = switch (in.readByte()) {
            case '<' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            default -> throw new Unreadable("parameter '" + name + "' has no byte order");
        };
        int count = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        int length = in.readInt();
        if (length != Float.BYTES * count) {
            throw new Unreadable("parameter '" + name + "' holds " + length + " bytes, expected " + Float.BYTES * count);
        }
        byte[] data = in.readNBytes(length);
        if (data.length < length) {
            throw new EOFException();
        }
        float[] values = new float[count];
        ByteBuffer.wrap(data).order(order).asFloatBuffer().get(values);
        return values;
    }

    private static void skipShapes(DataInputStream in) throws IOException {
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            readShape(in);
        }
    }

    /** A DJL {@code Shape}: dimensions, then one layout character per dimension. */
    private static long[] readShape(DataInputStream in) throws IOException {
        int dimensions = in.readInt();
        long[] shape = new long[dimensions];
        for (int i = 0; i < dimensions; i++) {
            shape[i] = in.readLong();
        }
        int layout = in.readInt();
        in.skipNBytes(2L * layout);
        return shape;
    }
}
