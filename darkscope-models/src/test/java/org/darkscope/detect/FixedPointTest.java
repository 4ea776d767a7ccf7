package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** ap_fixed<W,I> as hls4ml's firmware computes it, checked against plain integer arithmetic written here. */
class FixedPointTest {

    /** The type's integer code of x: the low W bits after truncating or rounding x * 2^F, read as signed (or clamped). */
    private static long code(double x, FixedPoint t) {
        int f = t.bits() - t.integerBits();
        double scaled = Math.scalb(x, f); // exact: a power of two
        long q = t.rounding() == FixedPoint.Rounding.TRN ? (long) Math.floor(scaled) : (long) Math.floor(scaled + 0.5);
        return overflow(q, t);
    }

    private static long overflow(long q, FixedPoint t) {
        long half = 1L << (t.bits() - 1);
        if (t.overflow() == FixedPoint.Overflow.SAT) {
            return Math.max(-half, Math.min(half - 1, q));
        }
        long low = q & ((1L << t.bits()) - 1);
        return low >= half ? low - (1L << t.bits()) : low;
    }

    private static List<FixedPoint> types() {
        List<FixedPoint> types = new ArrayList<>();
        for (int[] wi : new int[][] {{6, 2}, {8, 3}, {12, 4}, {16, 6}, {18, 8}}) {
            for (FixedPoint.Rounding r : FixedPoint.Rounding.values()) {
                for (FixedPoint.Overflow o : FixedPoint.Overflow.values()) {
                    types.add(new FixedPoint(wi[0], wi[1], r, o));
                }
            }
        }
        return types;
    }

    @Test
    void quantisationIsTheTypesIntegerCode() {
        SplittableRandom random = new SplittableRandom(1);
        for (FixedPoint t : types()) {
            for (int i = 0; i < 20_000; i++) {
                double x = random.nextDouble(-3, 3) * Math.pow(2, t.integerBits() - 1); // in range and beyond it
                assertEquals(Math.scalb((double) code(x, t), t.integerBits() - t.bits()), t.quantize(x), 0, t + " of " + x);
            }
            double step = Math.scalb(1.0, t.integerBits() - t.bits());
            assertEquals(t.rounding() == FixedPoint.Rounding.TRN ? 0 : step, t.quantize(step / 2), 0, t + ": half a step");
            assertEquals(t.rounding() == FixedPoint.Rounding.TRN ? -step : 0, t.quantize(-step / 4), 0, t + ": a quarter step below zero");
        }
        FixedPoint wrap = new FixedPoint(8, 3, FixedPoint.Rounding.TRN, FixedPoint.Overflow.WRAP);
        assertEquals(-4, wrap.quantize(4), 0, "one past the largest wraps to the smallest");
        FixedPoint sat = new FixedPoint(8, 3, FixedPoint.Rounding.TRN, FixedPoint.Overflow.SAT);
        assertEquals(4 - 1.0 / 32, sat.quantize(100), 0);
        assertThrows(IllegalArgumentException.class, () -> new FixedPoint(30, 6, FixedPoint.Rounding.TRN, FixedPoint.Overflow.WRAP));
    }

    /** A sum in units of 2^-2F back to units of 2^-F, truncated or rounded as the type says. */
    private static long requantize(long sum, FixedPoint t) {
        int f = t.bits() - t.integerBits();
        return t.rounding() == FixedPoint.Rounding.TRN ? Math.floorDiv(sum, 1L << f)
                : Math.floorDiv(sum + (f > 0 ? 1L << (f - 1) : 0), 1L << f);
    }

    /** A network's output: every sum exact, every layer's result coded as the type codes it, in integers. */
    @Test
    void aNetworkIsEvaluatedAsIntegerArithmeticWould() {
        SplittableRandom random = new SplittableRandom(2);
        List<DenseNetwork.Layer> layers = new ArrayList<>();
        int[] widths = {8, 16, 4, 8};
        for (int l = 0; l + 1 < widths.length; l++) {
            float[] w = new float[widths[l] * widths[l + 1]];
            float[] b = new float[widths[l + 1]];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) random.nextGaussian() * 0.7f;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) random.nextGaussian() * 0.3f;
            }
            layers.add(new DenseNetwork.Layer(widths[l], widths[l + 1], w, b));
        }
        for (DenseForm.Activation activation : List.of(DenseForm.Activation.RELU, DenseForm.Activation.LEAKY_RELU)) {
            integerArithmeticGivesTheOutput(DenseNetwork.between(layers, activation), activation, widths[0], random);
        }
    }

    private static void integerArithmeticGivesTheOutput(DenseNetwork network, DenseForm.Activation activation, int inputs,
                                                       SplittableRandom random) {
        List<DenseNetwork.Layer> layers = network.layers();
        for (FixedPoint t : types()) {
            FixedPointNetwork fixed = new FixedPointNetwork(network, t);
            int f = t.bits() - t.integerBits();
            for (int event = 0; event < 200; event++) {
                float[] input = new float[inputs];
                for (int i = 0; i < input.length; i++) {
                    input[i] = (float) random.nextGaussian();
                }
                long[] x = new long[input.length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = code(input[i], t);
                }
                for (int l = 0; l < layers.size(); l++) {
                    DenseNetwork.Layer layer = layers.get(l);
                    long[] y = new long[layer.outputs()];
                    for (int o = 0; o < y.length; o++) {
                        long sum = code(layer.bias()[o], t) << f; // in units of 2^-2F
                        for (int i = 0; i < layer.inputs(); i++) {
                            sum += code(layer.weights()[o * layer.inputs() + i], t) * x[i];
                        }
                        long q = overflow(requantize(sum, t), t);
                        if (l + 1 < layers.size()) { // the hidden layers' activation; the last layer is linear
                            // hls4ml's leaky_relu: the slope in the type times the value, back to the type
                            q = activation == DenseForm.Activation.RELU ? Math.max(q, 0)
                                    : q > 0 ? q : overflow(requantize(code(0.01f, t) * q, t), t);
                        }
                        y[o] = q;
                    }
                    x = y;
                }
                double[] got = fixed.forward(fixed.input(input, 0));
                for (int o = 0; o < got.length; o++) {
                    assertEquals(Math.scalb((double) x[o], -f), got[o], 0, t + ", event " + event + ", output " + o);
                }
            }
        }
    }
}
