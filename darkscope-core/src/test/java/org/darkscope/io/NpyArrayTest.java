package org.darkscope.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .npy reader on files NumPy wrote (src/test/resources/npy/make_fixtures.py): each holds 0, 1,
 * 2, ... in the C order of its logical shape, so sample i must read i*S ... (i+1)*S - 1 whatever
 * the byte order, element type, format version or memory order.
 */
class NpyArrayTest {
    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(NpyArrayTest.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertCounts(NpyArray array, int modulo) {
        int size = array.sample(0).length;
        for (int i = 0; i < array.samples(); i++) {
            float[] expected = new float[size];
            for (int j = 0; j < size; j++) {
                expected[j] = (i * size + j) % modulo;
            }
            assertArrayEquals(expected, array.sample(i), 0f, array.file() + " sample " + i);
        }
    }

    @Test
    void cOrderFloat32SamplesAlongTheFirstAxis() {
        NpyArray a = NpyArray.open(fixture("nhwc-float32.npy"));
        assertArrayEquals(new int[] {2, 3, 4, 2}, a.shape());
        assertEquals(NpyArray.Type.FLOAT32, a.type());
        assertFalse(a.fortranOrder());
        assertCounts(a, Integer.MAX_VALUE);
    }

    @Test
    void fortranOrderIsReadInTheLogicalOrder() {
        NpyArray a = NpyArray.open(fixture("nchw-float32-fortran.npy"));
        assertTrue(a.fortranOrder());
        assertArrayEquals(new int[] {2, 2, 3, 4}, a.shape());
        assertCounts(a, Integer.MAX_VALUE);
    }

    @Test
    void bigEndianUint8Float64AndVersion2() {
        assertCounts(NpyArray.open(fixture("nhwc-float32-big-endian.npy")), Integer.MAX_VALUE);
        NpyArray bytes = NpyArray.open(fixture("nhwc-uint8.npy"));
        assertEquals(NpyArray.Type.UINT8, bytes.type());
        assertCounts(bytes, 256);
        assertCounts(NpyArray.open(fixture("nhwc-float64.npy")), Integer.MAX_VALUE);
        assertCounts(NpyArray.open(fixture("nhwc-float32-v2.npy")), Integer.MAX_VALUE);
    }

    @Test
    void aTruncatedFileOrANonNpyFileIsBadInputNamingTheFile() throws IOException {
        EventFormatException truncated = assertThrows(EventFormatException.class,
                () -> NpyArray.open(fixture("nhwc-float32-truncated.npy")));
        assertTrue(truncated.getMessage().contains("nhwc-float32-truncated.npy: truncated"), truncated.getMessage());
        assertTrue(truncated.getMessage().contains("the first 1 samples whole"), truncated.getMessage());
        Path text = Files.writeString(dir.resolve("events.npy"), "1;ttbar;1;100;0\n");
        EventFormatException notNpy = assertThrows(EventFormatException.class, () -> NpyArray.open(text));
        assertTrue(notNpy.getMessage().startsWith(text + ": not a NumPy .npy file"), notNpy.getMessage());
        Path int64 = Files.write(dir.resolve("int64.npy"), NpyWriter.header(new int[] {1, 1}).clone());
        byte[] header = Files.readAllBytes(int64);
        Files.write(int64, new String(header, java.nio.charset.StandardCharsets.ISO_8859_1).replace("<f4", "<i8")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        EventFormatException type = assertThrows(EventFormatException.class, () -> NpyArray.open(int64));
        assertTrue(type.getMessage().contains("data type '<i8' is not one darkscope reads"), type.getMessage());
    }

    @Test
    void theWriterWritesWhatTheReaderAndNumPysHeaderRulesExpect() {
        Path file = dir.resolve("written.npy");
        try (NpyWriter writer = new NpyWriter(file, 3, 2, 5)) {
            for (int i = 0; i < 3; i++) {
                float[] sample = new float[10];
                for (int j = 0; j < 10; j++) {
                    sample[j] = i * 10 + j;
                }
                writer.write(sample);
            }
            writer.commit();
        }
        NpyArray a = NpyArray.open(file);
        assertArrayEquals(new int[] {3, 2, 5}, a.shape());
        assertCounts(a, Integer.MAX_VALUE);
        byte[] header = NpyWriter.header(new int[] {3, 2, 5});
        assertEquals(0, header.length % 64, "NumPy aligns the data to 64 bytes");
        assertEquals('\n', header[header.length - 1]);
    }

    @Test
    void aWriterClosedBeforeEverySampleLeavesNoFile() {
        Path file = dir.resolve("partial.npy");
        try (NpyWriter writer = new NpyWriter(file, 2, 3)) {
            writer.write(new float[3]);
            assertThrows(IllegalStateException.class, writer::commit);
        }
        assertFalse(Files.exists(file));
    }
}
