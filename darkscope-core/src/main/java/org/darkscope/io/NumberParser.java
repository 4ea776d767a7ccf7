package org.darkscope.io;

import java.nio.charset.StandardCharsets;

/**
 * Parses decimal numbers straight from bytes. Numbers such as those in event files (at most 15
 * significant digits, decimal exponent within +-22) are converted exactly with Clinger's fast
 * path (W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990): the digits
 * form an exact long and one multiplication or division by an exact power of ten rounds
 * correctly. Everything else falls back to {@link Double#parseDouble}, so the result always
 * equals what {@code Double.parseDouble} would return.
 */
final class NumberParser {
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };
    /** The largest mantissa every double holds exactly: 2^53. */
    private static final long MAX_EXACT_MANTISSA = 1L << 53;

    private NumberParser() {
    }

    /**
     * The value of {@code bytes[from, to)}.
     *
     * @throws NumberFormatException if the text is not a number (message says what it was)
     */
    static double parse(byte[] bytes, int from, int to) {
        int i = from;
        if (i == to) {
            throw new NumberFormatException("empty value");
        }
        boolean negative = false;
        if (bytes[i] == '-' || bytes[i] == '+') {
            negative = bytes[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        boolean seenDigit = false;
        while (i < to && isDigit(bytes[i])) {
            seenDigit = true;
            if (digits > 0 || bytes[i] != '0') {
                mantissa = mantissa * 10 + (bytes[i] - '0');
                digits++;
            }
            i++;
        }
        if (i < to && bytes[i] == '.') {
            i++;
            while (i < to && isDigit(bytes[i])) {
                seenDigit = true;
                if (digits > 0 || bytes[i] != '0') {
                    mantissa = mantissa * 10 + (bytes[i] - '0');
                    digits++;
                }
                scale--;
                i++;
            }
        }
        if (!seenDigit || digits > 15) {
            return slowPath(bytes, from, to);
        }
        if (i < to && (bytes[i] == 'e' || bytes[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < to && (bytes[i] == '-' || bytes[i] == '+')) {
                negativeExponent = bytes[i] == '-';
                i++;
            }
            int exponent = 0;
            int exponentDigits = 0;
            while (i < to && isDigit(bytes[i]) && exponentDigits < 6) {
                exponent = exponent * 10 + (bytes[i] - '0');
                exponentDigits++;
                i++;
            }
            if (exponentDigits == 0 || exponentDigits == 6) {
                return slowPath(bytes, from, to);
            }
            scale += negativeExponent ? -exponent : exponent;
        }
        if (i != to) {
            return slowPath(bytes, from, to);
        }
        double value = exact(mantissa, scale, negative);
        return Double.isNaN(value) ? slowPath(bytes, from, to) : value;
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

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
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
