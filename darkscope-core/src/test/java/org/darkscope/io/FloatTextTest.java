package org.darkscope.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The shortest float text, checked independently: every text reads back as its float, no
 * decimal with a digit fewer does (exact decimal arithmetic with BigDecimal), the digits are the
 * closest of their length, and the format is Float.toString's.
 */
class FloatTextTest {
    private static String text(float value) {
        byte[] bytes = new byte[FloatText.MAX_LENGTH];
        return new String(bytes, 0, FloatText.write(value, bytes, 0), StandardCharsets.US_ASCII);
    }

    @Test
    void writesFloatToStringsFormat() {
        Object[][] cases = {{0f, "0.0"}, {-0f, "-0.0"}, {1f, "1.0"}, {100f, "100.0"}, {-1.5f, "-1.5"},
            {0.1f, "0.1"}, {0.001f, "0.001"}, {9.999999E-4f, "9.999999E-4"}, {1.0E-5f, "1.0E-5"},
            {9999999f, "9999999.0"}, {1.0E7f, "1.0E7"}, {123456.7f, "123456.7"}, {0.0123f, "0.0123"},
            {Float.MIN_VALUE, "1.4E-45"}, {Float.MAX_VALUE, "3.4028235E38"}, {-Float.MAX_VALUE, "-3.4028235E38"},
            {Float.MIN_NORMAL, "1.1754944E-38"}, // JDK 17 writes 1.17549435E-38, a digit more than needed
            {Float.NaN, "NaN"}, {Float.POSITIVE_INFINITY, "Infinity"}, {Float.NEGATIVE_INFINITY, "-Infinity"},
            {2 * Float.MIN_VALUE, "2.8E-45"}, {1.0E10f, "1.0E10"}, {16777216f, "1.6777216E7"}, {4194304.5f, "4194304.5"}};
        for (Object[] c : cases) {
            assertEquals(c[1], text((Float) c[0]), "for " + c[0]);
        }
    }

    @Test
    void everyTextReadsBackAsItsFloatAndIsShortestThenClosest() {
        SplittableRandom random = new SplittableRandom(2026);
        for (int i = 0; i < 200_000; i++) {
            // all bit patterns alike: every exponent, subnormals, integers
            float value = Float.intBitsToFloat(random.nextInt());
            if (!Float.isFinite(value) || value == 0) {
                continue;
            }
            String text = text(value);
            assertEquals(Float.floatToIntBits(value), Float.floatToIntBits(Float.parseFloat(text)), text);
            assertTrue(text.matches(Math.abs(value) >= 1e-3f && Math.abs(value) < 1e7f
                    ? "-?(0|[1-9][0-9]*)\\.([0-9]*[1-9]|0)" : "-?[1-9]\\.([0-9]*[1-9]|0)E-?[1-9][0-9]?"), text);
            BigDecimal exact = new BigDecimal(value);
            BigDecimal written = new BigDecimal(text);
            int digits = written.stripTrailingZeros().precision();
            if (digits > 1) { // neither neighbour with a digit fewer reads back as the float
                for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
                    BigDecimal fewer = exact.round(new MathContext(digits - 1, mode));
                    assertNotEquals(value, fewer.floatValue(), text + " is not shortest: " + fewer + " reads back too");
                }
            }
            BigDecimal closest = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (closest.floatValue() == value) {
                assertEquals(0, closest.compareTo(written), text + " is not the closest: " + closest);
            }
        }
    }

    @Test
    void csvOutputWritesTheSameTextAcrossBufferBoundaries() throws java.io.IOException {
        SplittableRandom random = new SplittableRandom(7);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        CsvOutput out = new CsvOutput(bytes);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            float score = (float) Math.exp(random.nextDouble(-30, 30));
            out.number(score).ascii('\n');
            expected.append(text(score)).append('\n');
        }
        out.flush();
        assertEquals(expected.toString(), bytes.toString(StandardCharsets.US_ASCII));
    }
}
