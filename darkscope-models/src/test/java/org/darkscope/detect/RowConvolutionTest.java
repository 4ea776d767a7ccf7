package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The row convolution is Conv2d's function, by its definition, with Conv2d's saved form, and gives the same bits every call. */
class RowConvolutionTest {
    private static final int EVENTS = 6;
    private static final int CHANNELS = 20;
    private static final int WIDTH = 14;
    private static final int FILTERS = 4;
    private static final int KERNEL = 4;
    private static final int PAD = 2;

    private static Conv2d.Builder builder() {
        return Conv2d.builder().setKernelShape(new Shape(1, KERNEL)).optPadding(new Shape(0, PAD)).setFilters(FILTERS);
    }

    private static float[] random(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }

    private static float[] forward(Block block, NDManager manager, float[] input) {
        NDArray x = manager.create(input, new Shape(EVENTS, CHANNELS, 1, WIDTH));
        return block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow().toFloatArray();
    }

    @Test
    void computesTheConvolutionByItsDefinition() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RowConvolution block = new RowConvolution(builder());
            block.initialize(manager, DataType.FLOAT32, new Shape(EVENTS, CHANNELS, 1, WIDTH));
            float[] weight = block.getParameters().get("weight").getArray().toFloatArray();
            float[] bias = block.getParameters().get("bias").getArray().toFloatArray();
            float[] x = random(EVENTS * CHANNELS * WIDTH, 5);
            float[] y = forward(block, manager, x);
            int out = WIDTH + 2 * PAD - KERNEL + 1;
            assertEquals(EVENTS * FILTERS * out, y.length);
            for (int n = 0; n < EVENTS; n++) {
                for (int f = 0; f < FILTERS; f++) {
                    for (int w = 0; w < out; w++) {
                        double sum = bias[f];
                        for (int c = 0; c < CHANNELS; c++) {
                            for (int j = 0; j < KERNEL; j++) {
                                int column = w + j - PAD; // zero outside the row
                                if (column >= 0 && column < WIDTH) {
                                    sum += weight[(f * CHANNELS + c) * KERNEL + j] * (double) x[(n * CHANNELS + c) * WIDTH + column];
                                }
                            }
                        }
                        assertEquals(sum, y[(n * FILTERS + f) * out + w], 1e-5, "event " + n + " filter " + f + " column " + w);
                    }
                }
            }
        }
    }

    @Test
    void loadsWhatConv2dSaved() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape input = new Shape(EVENTS, CHANNELS, 1, WIDTH);
            Conv2d conv = builder().build();
            conv.initialize(manager, DataType.FLOAT32, input);
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            conv.saveParameters(new DataOutputStream(saved));
            RowConvolution row = new RowConvolution(builder());
            row.initialize(manager, DataType.FLOAT32, input);
            row.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
            for (String name : new String[] {"weight", "bias"}) {
                assertArrayEquals(conv.getParameters().get(name).getArray().toFloatArray(),
                        row.getParameters().get(name).getArray().toFloatArray(), name);
            }
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            row.saveParameters(new DataOutputStream(again));
            assertArrayEquals(saved.toByteArray(), again.toByteArray(), "the saved form of a bundle's convolution");
        }
    }

    /** Where the engine's convolution is right (16 input channels: a whole block of oneDNN's), the two agree. */
    @Test
    void agreesWithTheEnginesConvolutionWhereThatIsRight() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(random(EVENTS * 16 * WIDTH, 8), new Shape(EVENTS, 16, 1, WIDTH));
            NDArray weight = manager.create(random(FILTERS * 16 * KERNEL, 9), new Shape(FILTERS, 16, 1, KERNEL));
            NDArray bias = manager.create(random(FILTERS, 10), new Shape(FILTERS));
            RowConvolution row = new RowConvolution(builder());
            row.initialize(manager, DataType.FLOAT32, x.getShape());
            row.getParameters().get("weight").getArray().set(new ai.djl.ndarray.index.NDIndex("..."), weight);
            row.getParameters().get("bias").getArray().set(new ai.djl.ndarray.index.NDIndex("..."), bias);
            float[] engine = Conv2d.conv2d(x, weight, bias, new Shape(1, 1), new Shape(0, PAD)).singletonOrThrow().toFloatArray();
            float[] own = row.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow().toFloatArray();
            assertArrayEquals(engine, own, 1e-5f);
        }
    }

    /**
     * The same input and weights give the same bits on every call. (The engine's own convolution
     * did not: in some stretches of a process about one call in a hundred gave NaN, so this check
     * alone would only sometimes have caught it.)
     */
    @Test
    void givesTheSameBitsEveryCall() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RowConvolution block = new RowConvolution(builder());
            block.initialize(manager, DataType.FLOAT32, new Shape(EVENTS, CHANNELS, 1, WIDTH));
            float[] x = random(EVENTS * CHANNELS * WIDTH, 7);
            float[] first = forward(block, manager, x);
            for (int call = 0; call < 2000; call++) {
                try (NDManager step = manager.newSubManager()) {
                    assertArrayEquals(first, forward(block, step, x), "call " + call);
                }
            }
        }
    }

    @Test
    void refusesWhatIsNotARowConvolution() {
        assertThrows(IllegalArgumentException.class, () -> new RowConvolution(builder().optStride(new Shape(1, 2))));
        assertThrows(IllegalArgumentException.class, () -> new RowConvolution(Conv2d.builder().setKernelShape(new Shape(2, 2)).setFilters(1)));
    }
}
