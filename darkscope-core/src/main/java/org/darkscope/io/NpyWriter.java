package org.darkscope.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Writes a float32 {@code .npy} file (format 1.0, little-endian, C order) sample by sample, its
 * shape declared up front; the file appears only when every sample was written
 * ({@link AtomicFile}).
 */
public final class NpyWriter implements AutoCloseable {
    private final AtomicFile file;
    private final OutputStream out;
    private final int[] shape;
    private final int sampleSize;
    private final ByteBuffer buffer;
    private int written;

    /** A writer of {@code shape[0]} samples of shape {@code shape[1..]}. */
    public NpyWriter(Path target, int... shape) {
        this.shape = shape.clone();
        int size = 1;
        for (int i = 1; i < shape.length; i++) {
            size = Math.multiplyExact(size, shape[i]);
        }
        this.sampleSize = size;
        this.buffer = ByteBuffer.allocate(4 * size).order(ByteOrder.LITTLE_ENDIAN);
        this.file = AtomicFile.create(target);
        this.out = new BufferedOutputStream(file.stream(), 1 << 16);
        try {
            out.write(header(shape));
        } catch (IOException e) {
            file.close();
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** The header: magic, version 1.0, its length, and the dictionary padded to a multiple of 64 bytes. */
    static byte[] header(int[] shape) {
        String dims = Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + (shape.length == 1 ? "," : "") + "), }";
        int unpadded = 10 + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        String text = dict + " ".repeat(padded - unpadded) + "\n";
        ByteBuffer head = ByteBuffer.allocate(10 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        head.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        head.putShort((short) text.length());
        head.put(text.getBytes(StandardCharsets.ISO_8859_1));
        return head.array();
    }

    /** Writes the next sample, its elements in C order. */
    public void write(float[] sample) {
        if (sample.length != sampleSize) {
            throw new IllegalArgumentException("a sample of " + sample.length + " elements; the shape needs " + sampleSize);
        }
        if (written == shape[0]) {
            throw new IllegalStateException("all " + shape[0] + " samples are written");
        }
        buffer.clear();
        buffer.asFloatBuffer().put(sample);
        try {
            out.write(buffer.array());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.target() + ": " + e.getMessage(), e);
        }
        written++;
    }

    /** Makes the file appear; refused until every declared sample is written. */
    public void commit() {
        if (written != shape[0]) {
            throw new IllegalStateException(written + " of " + shape[0] + " samples written to " + file.target());
        }
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.target() + ": " + e.getMessage(), e);
        }
        file.commit();
    }

    /** Deletes the file unless committed. */
    @Override
    public void close() {
        file.close();
    }
}
