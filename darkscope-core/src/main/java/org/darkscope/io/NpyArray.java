package org.darkscope.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} file (format versions 1 to 3, NumPy's NEP 1), read as samples along its
 * first axis: float32, float64 or uint8, either byte order, C or Fortran order. The data are
 * memory-mapped, so a file larger than memory is read sample by sample. A file whose header is
 * malformed, whose data type is not one of those, or whose data are shorter than its shape says is
 * refused naming the file and the problem.
 */
public final class NpyArray {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** The element types read. */
    public enum Type {
        FLOAT32(4), FLOAT64(8), UINT8(1);

        final int bytes;

        Type(int bytes) {
            this.bytes = bytes;
        }
    }

    private final Path file;
    private final int[] shape;
    private final Type type;
    private final boolean fortranOrder;
    private final ByteBuffer data;
    private final int sampleSize;
    private final long missingSamples;

    private NpyArray(Path file, int[] shape, Type type, boolean fortranOrder, ByteBuffer data, long missingSamples) {
        this.missingSamples = missingSamples;
        this.file = file;
        this.shape = shape;
        this.type = type;
        this.fortranOrder = fortranOrder;
        this.data = data;
        long size = 1;
        for (int i = 1; i < shape.length; i++) {
            size *= shape[i];
        }
        if (size > Integer.MAX_VALUE) {
            throw new EventFormatException(file, 0, "one sample of shape " + Arrays.toString(Arrays.copyOfRange(shape, 1, shape.length))
                    + " has more than 2^31 elements");
        }
        this.sampleSize = (int) size;
    }

    /** Opens {@code file}, checking its header and that its data are complete. */
    public static NpyArray open(Path file) {
        return open(file, false);
    }

    /**
     * Opens {@code file}; with {@code keepWholeSamples} a file whose data stop short is read as
     * the samples it holds whole ({@link #missingSamples()} counts the rest), else refused.
     */
    public static NpyArray open(Path file, boolean keepWholeSamples) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = channel.size();
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(length, 65_536 + 12)).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(head, 0);
            head.flip();
            if (head.remaining() < 10 || !Arrays.equals(MAGIC, Arrays.copyOf(head.array(), 6))) {
                throw new EventFormatException(file, 0, "not a NumPy .npy file (it does not start with \\x93NUMPY)");
            }
            int major = head.get(6);
            int headerLength;
            int offset;
            if (major == 1) {
                headerLength = Short.toUnsignedInt(head.getShort(8));
                offset = 10;
            } else if (major == 2 || major == 3) {
                if (head.remaining() < 12) {
                    throw new EventFormatException(file, 0, "truncated .npy header");
                }
                headerLength = head.getInt(8);
                offset = 12;
            } else {
                throw new EventFormatException(file, 0, ".npy format version " + major + " is not one darkscope reads (1, 2 or 3)");
            }
            if (headerLength < 0 || offset + (long) headerLength > length || offset + headerLength > head.limit()) {
                throw new EventFormatException(file, 0, "truncated .npy header (" + headerLength + " bytes announced)");
            }
            String header = new String(head.array(), offset, headerLength,
                    major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            String descr = field(file, header, DESCR, "descr");
            boolean fortran = field(file, header, FORTRAN, "fortran_order").equals("True");
            int[] shape = shape(file, field(file, header, SHAPE, "shape"));
            ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            Type type = switch (descr) {
                case "<f4", ">f4", "=f4" -> Type.FLOAT32;
                case "<f8", ">f8", "=f8" -> Type.FLOAT64;
                case "|u1", "<u1", ">u1", "=u1" -> Type.UINT8;
                default -> throw new EventFormatException(file, 0, "data type '" + descr
                        + "' is not one darkscope reads (float32 '<f4', float64 '<f8', uint8 '|u1')");
            };
            long elements = 1;
            for (int n : shape) {
                elements *= n;
            }
            long dataStart = offset + headerLength;
            long needed = elements * type.bytes;
            long missing = 0;
            if (length - dataStart < needed && keepWholeSamples && shape.length > 1 && !fortran) { // Fortran order interleaves the samples
                long perSample = type.bytes * (elements / Math.max(1, shape[0]));
                int whole = (int) ((length - dataStart) / perSample);
                missing = shape[0] - whole;
                shape[0] = whole;
                elements = perSample / type.bytes * whole;
                needed = elements * type.bytes;
            }
            if (length - dataStart < needed) {
                long whole = type.bytes * (elements / Math.max(1, shape[0]));
                throw new EventFormatException(file, 0, "truncated: the shape " + Arrays.toString(shape) + " needs " + needed
                        + " bytes of data, the file holds " + (length - dataStart)
                        + (whole > 0 ? " (the first " + (length - dataStart) / whole + " samples whole)" : ""));
            }
            if (needed > Integer.MAX_VALUE) {
                throw new EventFormatException(file, 0, "more than 2 GB of data in one file: split it along the first axis");
            }
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, dataStart, needed);
            return new NpyArray(file, shape, type, fortran, mapped.order(order), missing);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String field(Path file, String header, Pattern pattern, String name) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new EventFormatException(file, 0, ".npy header has no '" + name + "': " + header.strip());
        }
        return m.group(1);
    }

    private static int[] shape(Path file, String text) {
        List<Integer> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                try {
                    dims.add(Integer.parseInt(part.strip().replaceAll("L$", "")));
                } catch (NumberFormatException e) {
                    throw new EventFormatException(file, 0, ".npy shape (" + text + ") is not a list of integers");
                }
            }
        }
        if (dims.isEmpty()) {
            throw new EventFormatException(file, 0, "a scalar, not an array of samples");
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    public Path file() {
        return file;
    }

    /** The shape, the first axis counting samples. */
    public int[] shape() {
        return shape.clone();
    }

    /** Samples the header announced that the data did not hold whole (only when opened keeping whole samples). */
    public long missingSamples() {
        return missingSamples;
    }

    public Type type() {
        return type;
    }

    public boolean fortranOrder() {
        return fortranOrder;
    }

    /** The number of samples (the length of the first axis). */
    public int samples() {
        return shape[0];
    }

    /**
     * Sample {@code index} (along the first axis), its elements in C order of the other axes, as
     * floats ({@code uint8} values as 0 to 255).
     */
    public float[] sample(int index) {
        if (index < 0 || index >= shape[0]) {
            throw new IndexOutOfBoundsException("sample " + index + " of " + shape[0] + " in " + file);
        }
        float[] out = new float[sampleSize];
        if (!fortranOrder) {
            long base = (long) index * sampleSize;
            for (int i = 0; i < sampleSize; i++) {
                out[i] = element(base + i);
            }
            return out;
        }
        // Fortran order: the first axis varies fastest. Walk the sample's C-order positions and
        // find each element's Fortran offset: index + N * (i1 + d1 * (i2 + d2 * ...)).
        int rank = shape.length;
        int[] position = new int[rank];
        for (int c = 0; c < sampleSize; c++) {
            long offset = 0;
            for (int axis = rank - 1; axis >= 1; axis--) {
                offset = offset * shape[axis] + position[axis];
            }
            out[c] = element(index + (long) shape[0] * offset);
            for (int axis = rank - 1; axis >= 1; axis--) { // next C-order position
                if (++position[axis] < shape[axis]) {
                    break;
                }
                position[axis] = 0;
            }
        }
        return out;
    }

    private float element(long i) {
        int at = (int) (i * type.bytes);
        return switch (type) {
            case FLOAT32 -> data.getFloat(at);
            case FLOAT64 -> (float) data.getDouble(at);
            case UINT8 -> Byte.toUnsignedInt(data.get(at));
        };
    }
}
