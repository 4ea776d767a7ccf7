package org.darkscope.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Parses decimal numbers straight from bytes. Plainly written numbers (sign, digits, point,
 * exponent; a mantissa of at most 2^53, a decimal exponent within +-22) are converted exactly
 * with Clinger's fast path (W. D. Clinger, "How to read floating point numbers accurately", PLDI
 * 1990): the digits form an exact long and one multiplication or division by an exact power of
 * ten rounds correctly. Digits are read eight at a time where the buffer allows. Everything else
 * falls back to {@link Double#parseDouble}, so the result always equals what
 * {@code Double.parseDouble} would return. One instance per reader: it remembers where the last
 * number ended; not thread-safe.
 */
final class NumberParser {
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };
    private static final long[] DIGIT_SCALES = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};
    /** The largest mantissa every double holds exactly: 2^53. */
    private static final long MAX_EXACT_MANTISSA = 1L << 53;
    /** Eight bytes read at once, the first byte lowest. */
    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** A terminator no text field holds: a whole field must be one number. */
    private static final byte NO_TERMINATOR = 0;

    /** Where the last plain number stopped: at its terminator or at the field's end. */
    private int end;
    /** The digits of the number being read. */
    private long mantissa;

    /**
     * The value of the field {@code bytes[from, to)}.
     *
     * @throws NumberFormatException if the text is not a number (message says what it was)
     */
    double parse(byte[] bytes, int from, int to) {
        double value = plain(bytes, from, to, NO_TERMINATOR);
        return !Double.isNaN(value) && end == to ? value : slowPath(bytes, from, to);
    }

    /**
     * The plainly written number from {@code from} up to {@code terminator} or {@code to},
     * whichever comes first; {@link #end()} is then where it stopped. NaN for anything not plain
     * (or beyond the exact range), which the caller reads carefully instead.
     */
    double plain(byte[] b, int from, int to, byte terminator) {
        int i = from;
        if (i >= to) {
            return Double.NaN;
        }
        boolean negative = b[i] == '-';
        if (negative || b[i] == '+') {
            i++;
        }
        mantissa = 0;
        int digitsStart = i;
        i = digitRun(b, i, to);
        int digits = i - digitsStart;
        int scale = 0;
        if (i < to && b[i] == '.') {
            int fractionStart = ++i;
            i = digitRun(b, i, to);
            scale = fractionStart - i;
            digits -= scale;
        }
        if (digits == 0 || digits > 18) { // 18 digits cannot overflow a long
            return Double.NaN;
        }
        if (i < to && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean negativeExponent = i < to && b[i] == '-';
            if (i < to && (negativeExponent || b[i] == '+')) {
                i++;
            }
            int exponentStart = i;
            int exponent = 0;
            int c;
            while (i < to && (c = b[i] - '0') >= 0 && c <= 9 && i - exponentStart < 4) {
                exponent = exponent * 10 + c;
                i++;
            }
            if (i == exponentStart) {
                return Double.NaN;
            }
            scale += negativeExponent ? -exponent : exponent;
        }
        if (i < to && b[i] != terminator) {
            return Double.NaN;
        }
        end = i;
        return exact(mantissa, scale, negative);
    }

    /** Where the last {@link #plain} number stopped. */
    int end() {
        return end;
    }

    /**
     * Reads the run of digits from {@code i} (before {@code to}) into {@link #mantissa}, eight
     * bytes at a time where the buffer holds eight more; returns where the run ends. Runs longer
     * than 18 digits overflow the mantissa, which {@link #plain} then rejects.
     */
    private int digitRun(byte[] b, int i, int to) {
        long value = mantissa;
        while (i + Long.BYTES <= b.length) {
            long word = (long) LITTLE_ENDIAN_LONG.get(b, i);
            int count = Math.min(leadingDigits(word), to - i);
            if (count > 0) {
                value = value * DIGIT_SCALES[count] + digitsValue(word, count);
                i += count;
            }
            if (count < Long.BYTES) {
                mantissa = value;
                return i;
            }
        }
        int c;
        while (i < to && (c = b[i] - '0') >= 0 && c <= 9) {
            value = value * 10 + c;
            i++;
        }
        mantissa = value;
        return i;
    }

    /**
     * Clinger's fast path: {@code (negative ? -1 : 1) * mantissa * 10^scale}, correctly rounded,
     * for a mantissa of at most 2^53 and a scale within +-22; NaN outside those bounds, where the
     * caller must take the slow path.
     */
    static double exact(long mantissa, int scale, boolean negative) {
        double value;
        if (mantissa == 0) {
            value = 0.0;
        } else if (mantissa > MAX_EXACT_MANTISSA) {
            return Double.NaN;
        } else if (scale >= 0 && scale <= 22) {
            value = (double) mantissa * POWERS_OF_TEN[scale];
        } else if (scale < 0 && scale >= -22) {
            value = (double) mantissa / POWERS_OF_TEN[-scale];
        } else {
            return Double.NaN;
        }
        return negative ? -value : value;
    }

    /**
     * How many of the 8 bytes of {@code word} (read little-endian, so its lowest byte is the first
     * character) are ASCII digits before the first byte that is not: 0 to 8. Eight bytes are
     * classified at once, without carries between them.
     */
    static int leadingDigits(long word) {
        long notDigit = ((word & 0xF0F0F0F0F0F0F0F0L) ^ 0x3030303030303030L)
                | (((word & 0x0F0F0F0F0F0F0F0FL) + 0x0606060606060606L) & 0x1010101010101010L);
        return Long.numberOfTrailingZeros(notDigit) >>> 3;
    }

    /**
     * The value of the first {@code count} (1 to 8) digits of {@code word}, converted eight at a
     * time (D. Lemire, "Number Parsing at a Gigabyte per Second", Softw. Pract. Exp. 51 (2021)):
     * the digits are moved to the top of the word behind leading zeros, then pairs, quads and the
     * two halves are combined with three multiplications.
     */
    static long digitsValue(long word, int count) {
        long digits = (word - 0x3030303030303030L) << (8 * (8 - count));
        digits = digits * 10 + (digits >>> 8);
        return (((digits & 0x000000FF000000FFL) * 0x000F424000000064L)
                + (((digits >>> 16) & 0x000000FF000000FFL) * 0x0000271000000001L)) >>> 32;
    }

    private static double slowPath(byte[] bytes, int from, int to) {
        String text = new String(bytes, from, to - from, StandardCharsets.US_ASCII).trim();
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        // C and C++ print non-finite values as nan/inf; report them as such, not as text.
        if (lower.matches("[+-]?(nan|inf|infinity)(\\(.*\\))?")) {
            return lower.contains("nan") ? Double.NaN
                    : lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (text.isEmpty() || !text.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw new NumberFormatException("not a number: '" + text + "'");
        }
        return Double.parseDouble(text);
    }
}
