package org.darkscope.io;

import java.math.BigInteger;

/**
 * Writes a float as the shortest decimal that reads back as the same float, in the format of
 * {@link Float#toString(float)} ({@code 0.0123}, {@code 4.5E-5}, {@code 1.0E7}), as ASCII bytes
 * and without allocating. Scores files hold one float per event: JDK 17's {@code Float.toString}
 * takes 115 ns per score and a String to copy, this 55 ns (score-like values, one core).
 *
 * <p>The digits come from R. Giulietti's Schubfach algorithm ("The Schubfach way to render
 * doubles", 2020), the one {@code Float.toString} uses from JDK 19 on: among the decimals that
 * round to the float it picks the shortest and, of those, the closest (JDK 17 occasionally
 * writes a digit more).
 */
final class FloatText {
    /** The longest text written: {@code -1.23456789E-38}. */
    static final int MAX_LENGTH = 15;

    private static final int PRECISION = 24; // significand bits, the hidden one included
    private static final int Q_MIN = -149; // exponent of the smallest subnormal
    private static final int C_MIN = 1 << (PRECISION - 1);
    private static final int C_TINY = 8; // subnormals below this get one more digit of scale
    private static final int K_MIN = -50;
    private static final int K_MAX = 50;
    /** The high 63 bits of 10^-k scaled into [2^125, 2^126), plus one (Giulietti's g1). */
    private static final long[] G1 = new long[K_MAX - K_MIN + 1];
    private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
        1_000_000_000};
    private static final byte[] NAN = {'N', 'a', 'N'};
    private static final byte[] INFINITY = {'I', 'n', 'f', 'i', 'n', 'i', 't', 'y'};

    static {
        for (int k = K_MIN; k <= K_MAX; k++) {
            int e = -k;
            int shift = 125 - floorLog2Pow10(e); // 10^e * 2^shift lies in [2^125, 2^126)
            BigInteger beta;
            if (e >= 0) {
                BigInteger pow = BigInteger.TEN.pow(e);
                beta = shift >= 0 ? pow.shiftLeft(shift) : pow.shiftRight(-shift);
            } else {
                beta = BigInteger.ONE.shiftLeft(shift).divide(BigInteger.TEN.pow(-e));
            }
            G1[k - K_MIN] = beta.add(BigInteger.ONE).shiftRight(63).longValueExact();
        }
    }

    private FloatText() {
    }

    /** Writes {@code value} into {@code to} from {@code at} (room for {@value #MAX_LENGTH} bytes); returns the end. */
    static int write(float value, byte[] to, int at) {
        int bits = Float.floatToRawIntBits(value);
        int fraction = bits & (C_MIN - 1);
        int biasedExponent = (bits >>> (PRECISION - 1)) & 0xff;
        if (biasedExponent == 0xff) {
            if (fraction != 0) {
                return copy(NAN, to, at);
            }
            if (bits < 0) {
                to[at++] = '-';
            }
            return copy(INFINITY, to, at);
        }
        if (bits < 0) {
            to[at++] = '-';
        }
        if (biasedExponent != 0) {
            int minusQ = -Q_MIN + 1 - biasedExponent;
            int c = C_MIN | fraction;
            if (0 < minusQ && minusQ < PRECISION) { // an integer below 2^24: exact as it is
                int f = c >> minusQ;
                if (f << minusQ == c) {
                    return digits(f, 0, to, at);
                }
            }
            return shortest(-minusQ, c, 0, to, at);
        }
        if (fraction != 0) {
            return fraction < C_TINY ? shortest(Q_MIN, 10 * fraction, -1, to, at) : shortest(Q_MIN, fraction, 0, to, at);
        }
        to[at] = '0';
        to[at + 1] = '.';
        to[at + 2] = '0';
        return at + 3;
    }

    /** Appends the shortest, then closest, decimal in the rounding interval of c 2^q (Giulietti, figure 7). */
    private static int shortest(int q, int c, int dk, byte[] to, int at) {
        int odd = c & 1;
        long cb = (long) c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        if (c != C_MIN || q == Q_MIN) { // regular spacing of neighbouring floats
            cbl = cb - 2;
            k = floorLog10Pow2(q);
        } else { // at a power of two the float below is half as far
            cbl = cb - 1;
            k = floorLog10ThreeQuartersPow2(q);
        }
        int h = q + floorLog2Pow10(-k) + 33;
        long g = G1[k - K_MIN] + 1;
        int vb = roundToOdd(g, cb << h);
        int vbl = roundToOdd(g, cbl << h);
        int vbr = roundToOdd(g, cbr << h);
        int s = vb >> 2;
        if (s >= 100) { // try one digit fewer
            int sp10 = 10 * (int) (s * 1_717_986_919L >>> 34);
            int tp10 = sp10 + 10;
            boolean upIn = vbl + odd <= sp10 << 2;
            boolean wpIn = (tp10 << 2) + odd <= vbr;
            if (upIn != wpIn) {
                return digits(upIn ? sp10 : tp10, k, to, at);
            }
        }
        int t = s + 1;
        boolean uIn = vbl + odd <= s << 2;
        boolean wIn = (t << 2) + odd <= vbr;
        if (uIn != wIn) {
            return digits(uIn ? s : t, k + dk, to, at);
        }
        int cmp = vb - (s + t << 1); // both in the interval: the closer, the even one on a tie
        return digits(cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : t, k + dk, to, at);
    }

    private static int roundToOdd(long g, long cp) {
        long x = Math.multiplyHigh(g, cp);
        long high = x >>> 31;
        return (int) (high | (x & 0xffffffffL) + 0xffffffffL >>> 32);
    }

    /** Appends f 10^e (f positive) in Float.toString's format. */
    private static int digits(int f, int e, byte[] to, int at) {
        while (f % 10 == 0) {
            f /= 10;
            e++;
        }
        int n = 1; // significant digits
        while (n < POW10.length && f >= POW10[n]) {
            n++;
        }
        int exponent = e + n; // f 10^e = 0.d1 d2 ... dn 10^exponent
        if (0 < exponent && exponent <= 7) { // plain, at least one digit after the point
            if (exponent >= n) {
                at = putDigits(f, n, to, at);
                for (int i = n; i < exponent; i++) {
                    to[at++] = '0';
                }
                to[at++] = '.';
                to[at++] = '0';
                return at;
            }
            int below = POW10[n - exponent];
            at = putDigits(f / below, exponent, to, at);
            to[at++] = '.';
            return putDigits(f % below, n - exponent, to, at);
        }
        if (-3 < exponent && exponent <= 0) { // plain, 0.00ddd
            to[at++] = '0';
            to[at++] = '.';
            for (int i = exponent; i < 0; i++) {
                to[at++] = '0';
            }
            return putDigits(f, n, to, at);
        }
        int below = POW10[n - 1]; // computerised scientific notation, d.ddddEpp
        to[at++] = (byte) ('0' + f / below);
        to[at++] = '.';
        if (n == 1) {
            to[at++] = '0';
        } else {
            at = putDigits(f % below, n - 1, to, at);
        }
        to[at++] = 'E';
        int power = exponent - 1;
        if (power < 0) {
            to[at++] = '-';
            power = -power;
        }
        if (power >= 10) {
            to[at++] = (byte) ('0' + power / 10);
        }
        to[at++] = (byte) ('0' + power % 10);
        return at;
    }

    /** Writes the {@code count} last decimal digits of {@code value}, leading zeros included. */
    private static int putDigits(int value, int count, byte[] to, int at) {
        for (int i = at + count - 1; i >= at; i--) {
            to[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + count;
    }

    private static int copy(byte[] text, byte[] to, int at) {
        System.arraycopy(text, 0, to, at, text.length);
        return at + text.length;
    }

    /** floor(log10(2^e)), exact for |e| below 5 million. */
    private static int floorLog10Pow2(int e) {
        return (int) (e * 661_971_961_083L >> 41);
    }

    /** floor(log10(3/4 2^e)). */
    private static int floorLog10ThreeQuartersPow2(int e) {
        return (int) (e * 661_971_961_083L - 274_743_187_321L >> 41);
    }

    /** floor(log2(10^e)). */
    private static int floorLog2Pow10(int e) {
        return (int) (e * 913_124_641_741L >> 38);
    }
}
