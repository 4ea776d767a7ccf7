package org.darkscope.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NumberParserTest {
    /**
     * Parses {@code text} as a whole field twice: as the last bytes of its array (no room for
     * eight-byte reads: digit by digit) and followed by digits that are not part of it, as in a
     * reader's buffer (eight bytes at a time); the two must agree bit for bit.
     */
    private static double parse(String text) {
        byte[] alone = text.getBytes(StandardCharsets.US_ASCII);
        byte[] inBuffer = (text + "7777777777777777").getBytes(StandardCharsets.US_ASCII);
        double value = new NumberParser().parse(alone, 0, alone.length);
        assertEquals(Double.doubleToLongBits(value), Double.doubleToLongBits(new NumberParser().parse(inBuffer, 0, alone.length)), text);
        return value;
    }

    @Test
    void agreesBitForBitWithDoubleParseDouble() {
        String[] fixed = {"0", "-0", "1", "381060", "0.0507051", "1.4656e+06", "-3.00099", "6.59e-07", "1e22",
            "1e23", "123456789012345678", "0.1", "9007199254740993", ".5", "5.", "1E-5", "+2.5", "1.23457e+06",
            "4.9e-324", "1.7976931348623157e308", "0.000200538", "0.00425901", "-0.0103793", "12345678", "1234567.5",
            "12345678.5", "0.12345678", "1.5e-20", "7.", "-.25", "1e-22", "123e-25", "0.0000001e30"};
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
            // the digits, then zeros up to eight: "123" reads as 12300000
            String padded = (new String(bytes, 0, digits, StandardCharsets.US_ASCII) + "00000000").substring(0, 8);
            assertEquals(Long.parseLong(padded), NumberParser.eightDigits(word, digits));
        }
    }

    @Test
    void terminatorFoundInSixteenBytesAtOnceIsTheFirstOneAByteByByteScanFinds() {
        SplittableRandom random = new SplittableRandom(16);
        for (int t = 0; t < 100_000; t++) {
            byte terminator = (byte) (random.nextBoolean() ? ',' : ';');
            byte[] bytes = new byte[16];
            for (int j = 0; j < 16; j++) { // digits, the other separator, bytes next to it, now and then the terminator
                int kind = random.nextInt(12);
                bytes[j] = (byte) (kind == 0 ? terminator : kind == 1 ? ',' + ';' - terminator : kind == 2 ? terminator + 1
                        : kind < 8 ? '0' + random.nextInt(10) : random.nextInt(256));
            }
            int expected = 16;
            for (int j = 15; j >= 0; j--) {
                expected = bytes[j] == terminator ? j : expected;
            }
            long low = 0;
            long high = 0;
            for (int j = 7; j >= 0; j--) {
                low = (low << 8) | (bytes[j] & 0xff);
                high = (high << 8) | (bytes[j + 8] & 0xff);
            }
            assertEquals(expected, NumberParser.terminatorIndex(low, high, terminator));
        }
    }

    @Test
    void fieldsEndAtTheirTerminatorAndNotBefore() {
        byte[] line = "1.4656e+06,381060,-2.02259,0.498063;j,7".getBytes(StandardCharsets.US_ASCII);
        NumberParser numbers = new NumberParser();
        double[] expected = {1.4656e+06, 381060, -2.02259, 0.498063};
        int from = 0;
        for (int k = 0; k < expected.length; k++) {
            byte terminator = (byte) (k < 3 ? ',' : ';');
            assertEquals(expected[k], numbers.plain(line, from, line.length, terminator));
            assertEquals(terminator, line[numbers.end()]);
            from = numbers.end() + 1;
        }
        assertEquals(Double.NaN, numbers.plain("1.5;2".getBytes(StandardCharsets.US_ASCII), 0, 5, (byte) ','),
                "a number followed by anything but its terminator is not plain");
    }

    @Test
    void reportsNonNumbersAndReadsCStyleNonFiniteValues() {
        assertThrows(NumberFormatException.class, () -> parse("abc"));
        assertThrows(NumberFormatException.class, () -> parse("1.2.3"));
        assertThrows(NumberFormatException.class, () -> parse(""));
        assertThrows(NumberFormatException.class, () -> parse("1e"));
        assertThrows(NumberFormatException.class, () -> parse("-"));
        assertThrows(NumberFormatException.class, () -> parse("."));
        assertThrows(NumberFormatException.class, () -> parse("12x"));
        assertEquals(Double.NaN, parse("nan"));
        assertEquals(Double.NaN, parse("-nan"));
        assertEquals(Double.POSITIVE_INFINITY, parse("inf"));
        assertEquals(Double.NEGATIVE_INFINITY, parse("-inf"));
    }
}
