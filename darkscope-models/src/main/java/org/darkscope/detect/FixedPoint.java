package org.darkscope.detect;

import java.util.Locale;

/**
 * A signed fixed-point number type as hls4ml writes networks for FPGAs, Vivado HLS's
 * {@code ap_fixed<W, I, Q, O>}: {@code bits} W in all, {@code integerBits} I of them before the
 * binary point (the sign included), so values are multiples of 2^-(W-I) in [-2^(I-1), 2^(I-1)).
 * A value with more fractional bits is truncated towards minus infinity ({@code AP_TRN}, the
 * default) or rounded to the nearest, halves up ({@code AP_RND}); one outside the range wraps
 * around in two's complement ({@code AP_WRAP}, the default) or saturates ({@code AP_SAT}).
 *
 * @param bits        W, 2 to 20
 * @param integerBits I, 1 to W
 * @param rounding    what happens to bits below the last fractional one
 * @param overflow    what happens to a value outside the range
 */
public record FixedPoint(int bits, int integerBits, Rounding rounding, Overflow overflow) {
    /** Quantisation: Vivado HLS's {@code AP_TRN} and {@code AP_RND}. */
    public enum Rounding { TRN, RND }

    /** Overflow: Vivado HLS's {@code AP_WRAP} and {@code AP_SAT}. */
    public enum Overflow { WRAP, SAT }

    /** The widest type: a sum of products of two such numbers (2W bits) over up to 8,192 inputs stays exact in a double. */
    public static final int MAX_BITS = 20;

    public FixedPoint {
        if (bits < 2 || bits > MAX_BITS || integerBits < 1 || integerBits > bits) {
            throw new IllegalArgumentException("ap_fixed<" + bits + "," + integerBits + "> is not supported: the width must be 2 to "
                    + MAX_BITS + " bits and the integer bits 1 to the width");
        }
    }

    /** The value {@code x} takes in this type. */
    public double quantize(double x) {
        double scale = Math.scalb(1.0, bits - integerBits);
        double scaled = x * scale;
        double q = rounding == Rounding.TRN ? Math.floor(scaled) : Math.floor(scaled + 0.5);
        double half = Math.scalb(1.0, bits - 1);
        if (q < -half || q >= half) {
            if (overflow == Overflow.SAT) {
                q = q < 0 ? -half : half - 1;
            } else {
                double full = 2 * half;
                q = q - full * Math.floor((q + half) / full); // two's complement: the low W bits, read as signed
            }
        }
        return q / scale;
    }

    /** As hls4ml writes it, e.g. {@code ap_fixed<16,6,AP_TRN,AP_WRAP>}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ap_fixed<%d,%d,AP_%s,AP_%s>", bits, integerBits, rounding, overflow);
    }
}
