package org.darkscope.io;

import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Decode tables for DEFLATE's canonical Huffman codes (RFC 1951, section 3.2.2), laid out as in
 * E. Biggers' libdeflate: the stream's next {@code rootBits} bits index the table directly and
 * give a symbol, or, for longer codes, a pointer to a second-level table. An entry carries
 * everything decoding needs (a literal byte, or a length or distance base with its count of
 * extra bits), so a codeword and its extra bits are consumed in one step.
 *
 * <p>Entry layout: bits 0-5 the bits to consume (the whole codeword, first-level bits included,
 * plus extra bits), bits 8-11 the codeword's length (for a pointer: the second-level table's
 * index bits), bits 12-15 the kind, bits 16-31 the value. Zero marks a code that no symbol has:
 * decoding it is an error. {@link #lookup} and {@link #value} read entries.
 */
final class HuffmanTable {
    /** A literal byte (value); for the code-length alphabet, the code-length symbol. */
    static final int LITERAL = 1 << 12;
    /** A match length or distance: value is the base, to which the extra bits add. */
    static final int BASE = 1 << 13;
    /** The end of the block. */
    static final int END_OF_BLOCK = 1 << 14;
    /** A pointer to a second-level table starting at value. */
    static final int SUBTABLE = 1 << 15;

    /** Index bits of the literal/length table's first level, and its size with every second level it can need. */
    static final int LITLEN_ROOT = 11;
    static final int LITLEN_SIZE = (1 << LITLEN_ROOT) + 288 * (1 << (15 - LITLEN_ROOT));
    /** The same for distances. */
    static final int DISTANCE_ROOT = 8;
    static final int DISTANCE_SIZE = (1 << DISTANCE_ROOT) + 32 * (1 << (15 - DISTANCE_ROOT));
    /** The code-length code has codes of at most 7 bits: one level. */
    static final int CODE_LENGTH_ROOT = 7;

    /** Match lengths of symbols 257-285 and their extra bits (RFC 1951, 3.2.5). */
    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
        67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
        5, 5, 5, 5, 0};
    /** Distances of symbols 0-29 and their extra bits (RFC 1951, 3.2.5). */
    private static final int[] DISTANCE_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
        513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DISTANCE_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
        10, 11, 11, 12, 12, 13, 13};

    /** Entries without codeword length, per symbol of each alphabet (286, 287, 30 and 31 are never valid). */
    static final int[] LITLEN_SYMBOLS = new int[288];
    static final int[] DISTANCE_SYMBOLS = new int[32];
    static final int[] CODE_LENGTH_SYMBOLS = new int[19];

    static {
        for (int i = 0; i < 256; i++) {
            LITLEN_SYMBOLS[i] = LITERAL | i << 16;
        }
        LITLEN_SYMBOLS[256] = END_OF_BLOCK;
        for (int i = 0; i < LENGTH_BASE.length; i++) {
            LITLEN_SYMBOLS[257 + i] = BASE | LENGTH_BASE[i] << 16 | LENGTH_EXTRA[i];
        }
        for (int i = 0; i < DISTANCE_BASE.length; i++) {
            DISTANCE_SYMBOLS[i] = BASE | DISTANCE_BASE[i] << 16 | DISTANCE_EXTRA[i];
        }
        for (int i = 0; i < CODE_LENGTH_SYMBOLS.length; i++) {
            CODE_LENGTH_SYMBOLS[i] = LITERAL | i << 16;
        }
    }

    private HuffmanTable() {
    }

    /**
     * The entry of the code at the bottom of {@code bits} in {@code table}: from the first level,
     * or through its pointer from a second-level table (indexed by the bits after the first
     * {@code rootBits}). Consuming {@code entry & 63} bits then passes the codeword and its extra bits.
     */
    static int lookup(int[] table, int rootBits, long bits) {
        int entry = table[(int) bits & ((1 << rootBits) - 1)];
        if ((entry & SUBTABLE) != 0) {
            entry = table[(entry >>> 16) + ((int) (bits >>> rootBits) & ((1 << ((entry >>> 8) & 15)) - 1))];
        }
        return entry;
    }

    /**
     * The match length or distance a {@link #BASE} entry codes: its base plus the extra bits that
     * follow its codeword at the bottom of {@code bits}.
     */
    static int value(int entry, long bits) {
        return (entry >>> 16) + (int) ((bits & ((1L << (entry & 63)) - 1)) >>> ((entry >>> 8) & 15));
    }

    /**
     * Fills {@code table} with the decode table of the code whose codeword lengths (0: unused)
     * are {@code lengths[0..count)}, symbols described by {@code symbols}.
     *
     * @throws ZipException if the lengths do not describe a prefix code: over-subscribed, or
     *                      incomplete other than a single one-bit code (as zlib allows)
     */
    static void build(int[] table, int rootBits, int[] lengths, int count, int[] symbols, String what)
            throws ZipException {
        int[] perLength = new int[16];
        for (int s = 0; s < count; s++) {
            perLength[lengths[s]]++;
        }
        perLength[0] = 0;
        int left = 1;
        int codes = 0;
        for (int length = 1; length <= 15; length++) {
            left = (left << 1) - perLength[length];
            codes += perLength[length];
            if (left < 0) {
                throw new ZipException("invalid " + what + " code lengths: over-subscribed");
            }
        }
        if (left > 0 && codes > 0 && !(codes == 1 && perLength[1] == 1)) {
            throw new ZipException("invalid " + what + " code lengths: incomplete code");
        }
        int[] nextCode = new int[16];
        for (int length = 1, code = 0; length <= 15; length++) {
            code = (code + perLength[length - 1]) << 1;
            nextCode[length] = code;
        }
        int rootSize = 1 << rootBits;
        Arrays.fill(table, 0, rootSize, 0);
        int[] reversed = new int[count];
        int[] subBits = new int[rootSize];
        for (int s = 0; s < count; s++) {
            int length = lengths[s];
            if (length == 0) {
                continue;
            }
            int code = Integer.reverse(nextCode[length]++) >>> (32 - length);
            reversed[s] = code;
            if (length <= rootBits) {
                int entry = symbols[s] + length + (length << 8);
                for (int i = code; i < rootSize; i += 1 << length) {
                    table[i] = entry;
                }
            } else {
                int prefix = code & (rootSize - 1);
                subBits[prefix] = Math.max(subBits[prefix], length - rootBits);
            }
        }
        int next = rootSize; // second-level tables follow the first, each made when its first code comes
        int[] start = new int[rootSize];
        for (int s = 0; s < count; s++) {
            int length = lengths[s];
            if (length <= rootBits) {
                continue;
            }
            int prefix = reversed[s] & (rootSize - 1);
            if (start[prefix] == 0) {
                table[prefix] = SUBTABLE | next << 16 | subBits[prefix] << 8;
                start[prefix] = next;
                Arrays.fill(table, next, next + (1 << subBits[prefix]), 0);
                next += 1 << subBits[prefix];
            }
            int entry = symbols[s] + length + (length << 8);
            for (int i = reversed[s] >>> rootBits; i < 1 << subBits[prefix]; i += 1 << (length - rootBits)) {
                table[start[prefix] + i] = entry;
            }
        }
    }
}
