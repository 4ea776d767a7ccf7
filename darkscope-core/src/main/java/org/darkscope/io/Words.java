package org.darkscope.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight bytes of a byte array taken as one {@code long}, the first byte lowest (little-endian),
 * and the bit tricks the reader and the gzip decoder apply to such words, in one place.
 */
final class Words {
    private static final VarHandle LITTLE_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Words() {
    }

    /** The eight bytes {@code b[i, i + 8)}, {@code b[i]} lowest. */
    static long get(byte[] b, int i) {
        return (long) LITTLE_ENDIAN.get(b, i);
    }

    /** Writes {@code word} to {@code b[i, i + 8)}, its lowest byte first. */
    static void set(byte[] b, int i, long word) {
        LITTLE_ENDIAN.set(b, i, word);
    }

    /** The byte {@code value} in each of the eight bytes. */
    static long repeated(int value) {
        return (value & 0xFFL) * ONES;
    }

    /**
     * The top bit of each byte of {@code word} that is zero, the other bits clear. Exact for the
     * lowest zero byte; above it a byte may be flagged that is not zero (a borrow), below it never:
     * {@code Long.numberOfTrailingZeros(zeroBytes(w)) >>> 3} is the index of the first zero byte.
     */
    static long zeroBytes(long word) {
        return (word - ONES) & ~word & HIGH_BITS;
    }
}
