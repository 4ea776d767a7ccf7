package org.darkscope.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NumberParserTest {
    private static double parse(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return new NumberParser().parse(bytes, 0, bytes.length);
    }

    @Test
    void agreesBitForBitWithDoubleParseDouble() {
        String[] fixed = {"0", "-0", "1", "381060", "0.0507051", "1.4656e+06", "-3.00099", "6.59e-07", "1e22",
            "1e23", "123456789012345678", "0.1", "9007199254740993", ".5", "5.", "1E-5", "+2.5", "1.23457e+06",
            "4.9e-324", "1.7976931348623157e308", "0.000200538"};
        for (String s : fixed) {
            assertEquals(Double.doubleToLongBits(Double.parseDouble(s)), Double.doubleToLongBits(parse(s)), s);
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            double value = (random.nextDouble() - 0.3) * Math.pow(10, random.nextInt(-12, 12));
            String s = random.nextBoolean() ? Double.toString(value) : String.format("%.6g", value);
            assertEquals(Double.doubleToLongBits(Double.parseDouble(s)), Double.doubleToLongBits(parse(s)), s);
        }
    }

    @Test
    void eightDigitsAtOnceAgreeWithCountingAndConvertingOneByOne() {
        SplittableRandom random = new SplittableRandom(8);
        for (int t = 0; t < 200_000; t++) {
            byte[] bytes = new byte[8];
            int digits = random.nextInt(9);
            for (int j = 0; j < 8; j++) {
                bytes[j] = (byte) (j < digits ? '0' + random.nextInt(10) : random.nextInt(256));
            }
            if (digits < 8 && bytes[digits] >= '0' && bytes[digits] <= '9') {
                bytes[digits] = ',';
            }
            long word = 0;
            for (int j = 7; j >= 0; j--) {
                word = (word << 8) | (bytes[j] & 0xff);
            }
            assertEquals(digits, NumberParser.leadingDigits(word));
            if (digits > 0) {
                long expected = Long.parseLong(new String(bytes, 0, digits, StandardCharsets.US_ASCII));
                assertEquals(expected, NumberParser.digitsValue(word, digits));
            }
        }
    }

    @Test
    void reportsNonNumbersAndReadsCStyleNonFiniteValues() {
        assertThrows(NumberFormatException.class, () -> parse("abc"));
        assertThrows(NumberFormatException.class, () -> parse("1.2.3"));
        assertThrows(NumberFormatException.class, () -> parse(""));
        assertThrows(NumberFormatException.class, () -> parse("1e"));
        assertEquals(Double.NaN, parse("nan"));
        assertEquals(Double.NaN, parse("-nan"));
        assertEquals(Double.POSITIVE_INFINITY, parse("inf"));
        assertEquals(Double.NEGATIVE_INFINITY, parse("-inf"));
    }
}
