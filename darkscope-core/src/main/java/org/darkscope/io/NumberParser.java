package org.darkscope.io;

import java.nio.charset.StandardCharsets;

/**
 * Parses decimal numbers straight from bytes. Plainly written numbers (sign, digits, point,
 * exponent; a mantissa of at most 2^53, a decimal exponent within +-22) are converted exactly
 * with Clinger's fast path (W. D. Clinger, "How to read floating point numbers accurately", PLDI
 * 1990): the digits form an exact long and one multiplication or division by an exact power of
 * ten rounds correctly. Everything else falls back to {@link Double#parseDouble}, so the result
 * always equals what {@code Double.parseDouble} would return. One instance per reader: it
 * remembers where the last number ended; not thread-safe.
 *
 * <p>The numbers of event files are short (C++ streams write six significant digits), so the
 * common case is read in a few eight-byte loads and almost no branches: the number's end is
 * found from its terminator in the sixteen bytes from its start, then the digits before and
 * after the decimal point are taken from one load each; which digits and how many is computed,
 * not tested byte by byte. That needs {@link #PADDING} readable bytes past the field's end;
 * where the buffer does not have them, or a number is longer than that or a run of digits eight
 * or longer, the digits are read one by one.
 *
 * <p>What it buys: reading a million events on one thread with this parser and {@link GzipDecoder},
 * 510,000-560,000 events/s; with the JDK alone (GZIPInputStream, BufferedReader, String.split,
 * Double.parseDouble) 195,000-325,000 (2 cores, 2026-12-06, three rounds each).
 */
final class NumberParser {
    /** Longer than this, a field is no number anyone wrote (a double needs at most about 25 characters). */
    private static final int MAX_NUMBER_BYTES = 1000;
    /** Bytes a buffer must hold past a field's end for the eight-byte reads. */
    static final int PADDING = 2 * Long.BYTES;

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };
    private static final long[] LONG_POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};
    /** The lowest {@code n} bytes of a word set, for n = 0 to 8. */
    private static final long[] LOW_BYTES = {
        0L, 0xFFL, 0xFFFFL, 0xFFFFFFL, 0xFFFFFFFFL, 0xFFFFFFFFFFL, 0xFFFFFFFFFFFFL, 0xFFFFFFFFFFFFFFL, -1L
    };
    /** 1 for a sign character, 0 for any other byte. */
    private static final int[] SIGN_LENGTH = new int[256];
    /** -1 for '-', 1 for any other byte: the sign a number's first byte gives it. */
    private static final double[] SIGN = new double[256];
    /** 1 for '.', 0 for any other byte. */
    private static final int[] POINT_LENGTH = new int[256];

    static {
        SIGN_LENGTH['+'] = 1;
        SIGN_LENGTH['-'] = 1;
        java.util.Arrays.fill(SIGN, 1.0);
        SIGN['-'] = -1.0;
        POINT_LENGTH['.'] = 1;
    }

    /** The largest mantissa every double holds exactly: 2^53. */
    private static final long MAX_EXACT_MANTISSA = 1L << 53;
    /** A terminator no text field holds: a whole field must be one number. */
    private static final byte NO_TERMINATOR = 0;

    /** Where the last plain number stopped: at its terminator or at the field's end. */
    private int end;

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
        if (from >= to || to + PADDING > b.length) {
            return digitByDigit(b, from, to, terminator);
        }
        // Where the number ends is found first, from the terminator alone: the next number's
        // start then does not wait for this one's digits to be counted.
        int length = terminatorIndex(Words.get(b, from), Words.get(b, from + Long.BYTES), terminator);
        if (length == 2 * Long.BYTES && to > from + length) {
            return digitByDigit(b, from, to, terminator); // longer than sixteen bytes
        }
        int stop = Math.min(from + length, to);
        // Sign and decimal point are looked up and added, not branched on: whether a number is
        // negative or has a point changes from field to field, so a branch would often be mispredicted.
        byte first = b[from];
        int integerStart = from + SIGN_LENGTH[first & 0xFF];
        long integerWord = Words.get(b, integerStart);
        int integerDigits = Math.min(leadingDigits(integerWord), stop - integerStart);
        int point = integerStart + integerDigits;
        int fractionStart = point + (POINT_LENGTH[b[point] & 0xFF] & (point - stop) >>> 31); // a '.' before stop
        long fractionWord = Words.get(b, fractionStart);
        // without a point, the byte at fractionStart is no digit (or is at stop): no fraction digits
        int fractionDigits = Math.min(leadingDigits(fractionWord), stop - fractionStart);
        if (integerDigits == Long.BYTES || fractionDigits == Long.BYTES) {
            return digitByDigit(b, from, to, terminator); // a long run: it may go on past eight
        }
        if (integerDigits + fractionDigits == 0) {
            return Double.NaN;
        }
        // The digits as an integer followed by 8 - fractionDigits zeros: the value is this x 1e-8.
        long scaled = eightDigits(integerWord, integerDigits) * LONG_POWERS_OF_TEN[integerDigits]
                + eightDigits(fractionWord, fractionDigits);
        int digitsEnd = fractionStart + fractionDigits;
        if (digitsEnd != stop) {
            return withExponent(b, digitsEnd, to, terminator, scaled / LONG_POWERS_OF_TEN[8 - fractionDigits],
                    -fractionDigits, first == '-');
        }
        end = stop;
        return scaled / 1e8 * SIGN[first & 0xFF]; // below 10^15 + 10^8, so exact: one correctly rounded division
    }

    /**
     * The index (0 to 15) of the first byte equal to {@code terminator} in the sixteen bytes
     * {@code low, high} (each read little-endian), or 16 if there is none; without branches. A
     * byte of {@code word ^ terminators} is zero exactly where the terminator is; the flags of
     * both words' zero bytes are gathered into 16 bits by a multiplication.
     */
    static int terminatorIndex(long low, long high, byte terminator) {
        long terminators = Words.repeated(terminator);
        return Integer.numberOfTrailingZeros(zeroByteBits(low ^ terminators) | zeroByteBits(high ^ terminators) << 8
                | 1 << 2 * Long.BYTES);
    }

    /** {@link Words#zeroBytes} as one bit per byte: bit k for byte k. */
    private static int zeroByteBits(long word) {
        return (int) ((Words.zeroBytes(word) >>> 7) * 0x0102040810204080L >>> 56);
    }

    /** Where the last {@link #plain} number stopped. */
    int end() {
        return end;
    }

    /**
     * {@link #plain} for what the eight-byte reads leave: digits read one at a time, up to 18
     * (more could overflow a long).
     */
    private double digitByDigit(byte[] b, int from, int to, byte terminator) {
        int i = from;
        if (i >= to) {
            return Double.NaN;
        }
        boolean negative = b[i] == '-';
        if (negative || b[i] == '+') {
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        int c;
        while (i < to && (c = b[i] - '0') >= 0 && c <= 9) {
            mantissa = mantissa * 10 + c;
            digits++;
            i++;
            if (digits > 18) {
                return Double.NaN;
            }
        }
        if (i < to && b[i] == '.') {
            i++;
            while (i < to && (c = b[i] - '0') >= 0 && c <= 9) {
                mantissa = mantissa * 10 + c;
                digits++;
                scale--;
                i++;
                if (digits > 18) {
                    return Double.NaN;
                }
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        if (i < to && b[i] != terminator) {
            return withExponent(b, i, to, terminator, mantissa, scale, negative);
        }
        end = i;
        return exact(mantissa, scale, negative);
    }

    /**
     * The number whose digits, {@code mantissa x 10^scale}, are followed at {@code i} by
     * something other than the terminator: an exponent ({@code e} or {@code E}, a sign, one to
     * four digits), or the number is not plain (NaN).
     */
    private double withExponent(byte[] b, int i, int to, byte terminator, long mantissa, int scale, boolean negative) {
        if (b[i] != 'e' && b[i] != 'E') {
            return Double.NaN;
        }
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
        if (i == exponentStart || (i < to && b[i] != terminator)) {
            return Double.NaN;
        }
        end = i;
        return exact(mantissa, scale + (negativeExponent ? -exponent : exponent), negative);
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
     * The first {@code count} (0 to 8) digits of {@code word} followed by {@code 8 - count} zeros,
     * as a number: the value of the digits times 10^(8 - count). The bytes past the digits are
     * cleared (subtracting '0' from each byte borrows only towards later bytes, so the digits are
     * untouched), then the eight are converted at once with three multiplications (D. Lemire,
     * "Number Parsing at a Gigabyte per Second", Softw. Pract. Exp. 51 (2021)).
     */
    static long eightDigits(long word, int count) {
        long digits = (word - 0x3030303030303030L) & LOW_BYTES[count];
        digits = digits * 10 + (digits >>> 8);
        return (((digits & 0x000000FF000000FFL) * 0x000F424000000064L)
                + (((digits >>> 16) & 0x000000FF000000FFL) * 0x0000271000000001L)) >>> 32;
    }

    private static double slowPath(byte[] bytes, int from, int to) {
        if (to - from > MAX_NUMBER_BYTES) {
            throw new NumberFormatException("not a number: " + Snippet.quote(bytes, from, to));
        }
        String text = new String(bytes, from, to - from, StandardCharsets.US_ASCII).trim();
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        // C and C++ print non-finite values as nan/inf; report them as such, not as text.
        if (lower.matches("[+-]?(nan|inf|infinity)(\\(.*\\))?")) {
            return lower.contains("nan") ? Double.NaN
                    : lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (text.isEmpty() || !text.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw new NumberFormatException("not a number: " + Snippet.quote(bytes, from, to));
        }
        return Double.parseDouble(text);
    }
}
