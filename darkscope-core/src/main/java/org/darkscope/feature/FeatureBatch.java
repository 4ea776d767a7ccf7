package org.darkscope.feature;

/**
 * Encoded events, row-major: {@code rows} events of {@code shape} each, in one float array so
 * they go to native tensors in one copy.
 */
public record FeatureBatch(float[] values, int rows, int[] shape) {

    public FeatureBatch {
        if (values.length != rows * product(shape)) {
            throw new IllegalArgumentException("values hold " + values.length + " floats, expected "
                    + rows + " x " + product(shape));
        }
    }

    /** Floats per event. */
    public int rowSize() {
        return product(shape);
    }

    /** The events {@code [from, to)} as a new batch. */
    public FeatureBatch slice(int from, int to) {
        int size = rowSize();
        float[] out = new float[(to - from) * size];
        System.arraycopy(values, from * size, out, 0, out.length);
        return new FeatureBatch(out, to - from, shape);
    }

    /** The events at {@code indices}, in that order. */
    public FeatureBatch select(int[] indices) {
        int size = rowSize();
        float[] out = new float[indices.length * size];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(values, indices[i] * size, out, i * size, size);
        }
        return new FeatureBatch(out, indices.length, shape);
    }

    /** The events of {@code batches}, one after the other; all of one shape, at least one batch. */
    public static FeatureBatch concatenate(java.util.List<FeatureBatch> batches) {
        int[] shape = batches.get(0).shape();
        int rows = 0;
        for (FeatureBatch b : batches) {
            if (!java.util.Arrays.equals(b.shape(), shape)) {
                throw new IllegalArgumentException("events of shape " + java.util.Arrays.toString(b.shape()) + " and "
                        + java.util.Arrays.toString(shape) + " cannot be put together");
            }
            rows += b.rows();
        }
        float[] values = new float[rows * product(shape)];
        int at = 0;
        for (FeatureBatch b : batches) {
            int length = b.rows() * b.rowSize();
            System.arraycopy(b.values(), 0, values, at, length);
            at += length;
        }
        return new FeatureBatch(values, rows, shape);
    }

    /** Floats per event of {@code shape}: the product of its dimensions. */
    public static int product(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
