package org.darkscope.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;

/**
 * darkscope's gzip decoder against the JDK's zlib: the same bytes out of every kind of DEFLATE
 * stream zlib writes (stored, fixed and dynamic Huffman blocks, flushes, long and overlapping
 * matches), several members, every header field; a stream cut at any byte delivers only correct
 * bytes before failing, and every single-bit corruption is detected (or falls in unused padding).
 */
class GzipDecoderTest {
    private static final Random RANDOM = new Random(20261122);

    @Test
    void decodesTheBundledSampleAsZlibDoes() throws IOException {
        for (String name : BundledSample.allFiles()) {
            byte[] gz;
            try (InputStream in = BundledSample.class.getResourceAsStream("/org/darkscope/sample/chan1/" + name)) {
                gz = in.readAllBytes();
            }
            byte[] expected = new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes();
            assertTrue(expected.length > 100_000, name);
            assertArrayEquals(expected, decode(gz), name);
        }
    }

    @Test
    void decodesEveryKindOfBlockZlibWrites() throws IOException {
        for (byte[] data : samples()) {
            for (int level : new int[] {0, 1, 6, 9}) {
                for (int strategy : new int[] {Deflater.DEFAULT_STRATEGY, Deflater.FILTERED, Deflater.HUFFMAN_ONLY}) {
                    byte[] gz = gzip(data, level, strategy, false);
                    assertArrayEquals(data, decode(gz), data.length + " bytes, level " + level + ", strategy " + strategy);
                }
            }
            assertArrayEquals(data, decode(gzip(data, 6, Deflater.DEFAULT_STRATEGY, true)), "with flushes");
        }
    }

    @Test
    void readsOneByteAtATimeAsInBulk() throws IOException {
        byte[] data = numbersText(40_000);
        try (GzipDecoder in = new GzipDecoder(new ByteArrayInputStream(gzip(data, 6, Deflater.DEFAULT_STRATEGY, false)))) {
            for (int i = 0; i < data.length; i++) {
                assertEquals(data[i] & 0xff, in.read(), "byte " + i);
            }
            assertEquals(-1, in.read());
        }
    }

    @Test
    void readsConcatenatedMembersAsOneStream() throws IOException {
        byte[] first = numbersText(30_000);
        byte[] second = "and a second member\n".getBytes(StandardCharsets.US_ASCII);
        byte[] both = concat(gzip(first, 6, Deflater.DEFAULT_STRATEGY, false), gzip(new byte[0], 6, Deflater.DEFAULT_STRATEGY, false),
                gzip(second, 1, Deflater.DEFAULT_STRATEGY, false));
        assertArrayEquals(concat(first, second), decode(both));
    }

    @Test
    void skipsEveryOptionalHeaderFieldAndChecksTheHeaderCrc() throws IOException {
        byte[] data = "1;ttbar;0.5;250000;1.0;j,300000,250000,0.5,-1.0;\n".getBytes(StandardCharsets.US_ASCII);
        byte[] plain = gzip(data, 6, Deflater.DEFAULT_STRATEGY, false);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(new byte[] {0x1f, (byte) 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3});
        header.write(new byte[] {5, 0, 'A', 'B', 3, 0, 'x'}); // FEXTRA, 5 bytes
        header.write("events.csv\0".getBytes(StandardCharsets.US_ASCII)); // FNAME
        header.write("a comment\0".getBytes(StandardCharsets.US_ASCII)); // FCOMMENT
        CRC32 crc = new CRC32();
        crc.update(header.toByteArray());
        int headerCrc = (int) crc.getValue() & 0xffff;
        byte[] body = Arrays.copyOfRange(plain, 10, plain.length);
        byte[] good = concat(header.toByteArray(), new byte[] {(byte) headerCrc, (byte) (headerCrc >>> 8)}, body);
        assertArrayEquals(new GZIPInputStream(new ByteArrayInputStream(good)).readAllBytes(), decode(good));
        assertArrayEquals(data, decode(good));
        byte[] bad = concat(header.toByteArray(), new byte[] {(byte) ~headerCrc, (byte) (headerCrc >>> 8)}, body);
        assertThrows(ZipException.class, () -> decode(bad));
    }

    @Test
    void rejectsWhatIsNotGzip() {
        byte[] data = numbersText(1000);
        byte[] gz = gzip(data, 6, Deflater.DEFAULT_STRATEGY, false);
        assertThrows(ZipException.class, () -> decode(data));
        byte[] method = gz.clone();
        method[2] = 7;
        assertThrows(ZipException.class, () -> decode(method));
        assertThrows(EOFException.class, () -> decode(Arrays.copyOf(gz, 5)));
        ZipException trailing = assertThrows(ZipException.class, () -> decode(concat(gz, "garbage".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(trailing.getMessage().contains("not gzip"), trailing.getMessage());
        byte[] crc = gz.clone();
        crc[gz.length - 6] ^= 1;
        assertThrows(ZipException.class, () -> decode(crc));
        byte[] length = gz.clone();
        length[gz.length - 2] ^= 1;
        assertThrows(ZipException.class, () -> decode(length));
    }

    @Test
    void aMatchCannotReachBackIntoThePreviousMember() throws IOException {
        // a fixed-Huffman block that starts with a match (length 3, distance 1): nothing to copy from
        long bits = 1 | 1 << 1; // last block, fixed codes
        int count = 3;
        bits |= (long) (Integer.reverse(1) >>> 25) << count; // symbol 257 (length 3): 7-bit code 0000001
        count += 7 + 5 + 7; // distance code 0 (5 bits) and end of block (7 bits), all zeros
        byte[] block = new byte[(count + 7) / 8];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (bits >>> (8 * i));
        }
        byte[] member = concat(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255}, block, new byte[8]);
        ZipException alone = assertThrows(ZipException.class, () -> decode(member));
        assertTrue(alone.getMessage().contains("too far back"), alone.getMessage());
        byte[] before = gzip(numbersText(1000), 6, Deflater.DEFAULT_STRATEGY, false);
        ZipException second = assertThrows(ZipException.class, () -> decode(concat(before, member)));
        assertTrue(second.getMessage().contains("too far back"), second.getMessage());
    }

    @Test
    void aStreamCutAnywhereFailsAfterDeliveringOnlyCorrectBytes() {
        byte[] data = numbersText(3_000);
        for (int level : new int[] {0, 6}) {
            byte[] gz = gzip(data, level, Deflater.DEFAULT_STRATEGY, false);
            for (int cut = 10; cut < gz.length; cut++) {
                ByteArrayOutputStream delivered = new ByteArrayOutputStream();
                byte[] part = Arrays.copyOf(gz, cut);
                IOException e = assertThrows(IOException.class, () -> decodeInto(part, delivered), "cut at " + cut);
                if (cut < gz.length - 8) {
                    assertTrue(e instanceof EOFException, "cut at " + cut + ": " + e);
                }
                assertPrefix(data, delivered.toByteArray(), "cut at " + cut);
            }
        }
    }

    @Test
    void everySingleBitCorruptionIsDetectedOrHarmless() {
        byte[] data = numbersText(400);
        byte[] gz = gzip(data, 9, Deflater.DEFAULT_STRATEGY, false);
        for (int bit = 10 * 8; bit < gz.length * 8; bit++) {
            byte[] corrupt = gz.clone();
            corrupt[bit >>> 3] ^= (byte) (1 << (bit & 7));
            ByteArrayOutputStream delivered = new ByteArrayOutputStream();
            try {
                decodeInto(corrupt, delivered);
                // only the unused bits that pad the last byte of the compressed data may change unnoticed
                assertArrayEquals(data, delivered.toByteArray(), "bit " + bit + ": corruption not detected");
            } catch (IOException expected) {
                // bytes before the error may be wrong (gzip finds such damage at the CRC), but the
                // decoder never reads outside its buffers or decodes without end
                assertTrue(delivered.size() <= 1 << 20, "bit " + bit + ": " + delivered.size() + " bytes");
            }
        }
    }

    private static void assertPrefix(byte[] data, byte[] prefix, String what) {
        assertTrue(prefix.length <= data.length, what + ": " + prefix.length + " bytes");
        assertArrayEquals(Arrays.copyOf(data, prefix.length), prefix, what);
    }

    private static byte[] decode(byte[] gz) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        decodeInto(gz, out);
        return out.toByteArray();
    }

    private static void decodeInto(byte[] gz, ByteArrayOutputStream out) throws IOException {
        // a source that hands over a few bytes at a time, as a network stream may
        InputStream source = new ByteArrayInputStream(gz) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + RANDOM.nextInt(70_000)));
            }
        };
        try (GzipDecoder in = new GzipDecoder(source)) {
            byte[] buffer = new byte[1 + RANDOM.nextInt(100_000)];
            int n;
            while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
                out.write(buffer, 0, n);
            }
        }
    }

    /** Inputs that exercise literals, short and long matches, runs, and incompressible data. */
    private static byte[][] samples() {
        byte[] random = new byte[200_000];
        RANDOM.nextBytes(random);
        byte[] runs = new byte[700_000];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = (byte) ((i / 1000) % 3 == 0 ? 'a' : i % 7);
        }
        return new byte[][] {new byte[0], {42}, "abcabcabcabcabcabcabc".getBytes(StandardCharsets.US_ASCII), random, runs,
            numbersText(900_000)};
    }

    /** Event-like text: numbers with many digits, repeating structure. */
    private static byte[] numbersText(int length) {
        StringBuilder text = new StringBuilder();
        Random random = new Random(length);
        for (int event = 1; text.length() < length; event++) {
            text.append(event).append(";ttbar;0.5;").append(random.nextInt(900_000)).append(';').append(random.nextGaussian())
                    .append(";j,").append(random.nextInt(1_000_000)).append(',').append(random.nextInt(500_000)).append(',')
                    .append(random.nextGaussian()).append(',').append(random.nextDouble() * 6 - 3).append(";\n");
        }
        return text.substring(0, length).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] gzip(byte[] data, int level, int strategy, boolean flushes) {
        Deflater deflater = new Deflater(level, true);
        deflater.setStrategy(strategy);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255});
        byte[] buffer = new byte[1 << 16];
        int pieces = flushes ? 7 : 1;
        for (int p = 0; p < pieces; p++) {
            deflater.setInput(Arrays.copyOfRange(data, data.length * p / pieces, data.length * (p + 1) / pieces));
            int mode = p == pieces - 1 ? Deflater.NO_FLUSH : p % 2 == 0 ? Deflater.SYNC_FLUSH : Deflater.FULL_FLUSH;
            int n;
            while ((n = deflater.deflate(buffer, 0, buffer.length, mode)) > 0) {
                out.write(buffer, 0, n);
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        CRC32 crc = new CRC32();
        crc.update(data);
        long c = crc.getValue();
        out.writeBytes(new byte[] {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24), (byte) data.length,
            (byte) (data.length >>> 8), (byte) (data.length >>> 16), (byte) (data.length >>> 24)});
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
