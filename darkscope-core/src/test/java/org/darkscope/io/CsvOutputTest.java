package org.darkscope.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CsvOutputTest {
    @Test
    void writesTheUtf8BytesOfWhatItIsGivenAsTextOrEncodedWholeOrInPartWhateverTheBufferBoundaries() throws IOException {
        // ASCII, Latin-1, Greek, an emoji (a surrogate pair) and texts longer than the buffer,
        // in a random order so that they straddle the buffer's boundaries everywhere.
        String[] texts = {"1", "ttbar", "0.000387271", "3.4028235E38", "événement", "ΔR", "a\uD83D\uDE00b",
            "x".repeat(70_000), "é".repeat(40_000)};
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder expected = new StringBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CsvOutput out = new CsvOutput(bytes);
        for (int i = 0; i < 2_000; i++) {
            String text = texts[random.nextInt(texts.length)];
            int way = random.nextInt(3);
            if (way == 0) {
                out.text(text).ascii(',');
            } else if (way == 1) { // the same text encoded beforehand
                out.utf8(text.getBytes(StandardCharsets.UTF_8)).ascii(',');
            } else { // encoded beforehand, in the middle of other bytes
                byte[] utf8 = ("<<" + text + ">>>").getBytes(StandardCharsets.UTF_8);
                out.utf8(utf8, 2, utf8.length - 3).ascii(',');
            }
            expected.append(text).append(',');
            if (random.nextInt(10) == 0) {
                out.ascii('\n');
                expected.append('\n');
            }
        }
        out.flush();
        assertArrayEquals(expected.toString().getBytes(StandardCharsets.UTF_8), bytes.toByteArray());
    }
}
