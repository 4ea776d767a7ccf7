package org.darkscope.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes CSV text as UTF-8 bytes through one buffer, for files of millions of lines (the scores
 * of {@code darkscope score}). ASCII text, nearly all of such a file, is copied byte for byte
 * without a character encoder in between. Not thread-safe; the caller closes the stream.
 */
public final class CsvOutput {
    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 16];
    private int used;

    public CsvOutput(OutputStream out) {
        this.out = out;
    }

    /** Appends {@code text}. */
    public CsvOutput text(String text) throws IOException {
        int length = text.length();
        if (length > buffer.length - used) {
            flushBuffer();
            if (length > buffer.length) {
                return utf8(text.getBytes(StandardCharsets.UTF_8));
            }
        }
        int end = copyAscii(text, buffer, used);
        if (end < 0) { // anything beyond ASCII: encode the whole text properly
            return utf8(text.getBytes(StandardCharsets.UTF_8));
        }
        used = end;
        return this;
    }

    /**
     * Copies {@code text} into {@code to} from {@code at}, one byte per character, if it is all
     * ASCII (its UTF-8 bytes, then), and returns where it ends; returns -1 for any other text,
     * whose bytes written so far mean nothing. {@code to} must have room for {@code text.length()}
     * bytes.
     */
    public static int copyAscii(String text, byte[] to, int at) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                return -1;
            }
            to[at + i] = (byte) c;
        }
        return at + length;
    }

    /**
     * Copies {@code text} like {@link #copyAscii} if it is ASCII and a CSV field as it is (no comma,
     * double quote or line break); returns -1 otherwise, for {@link #field} to quote it.
     */
    public static int copyField(String text, byte[] to, int at) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80 || c == ',' || c == '"' || c == '\n' || c == '\r') {
                return -1;
            }
            to[at + i] = (byte) c;
        }
        return at + length;
    }

    /**
     * {@code text} as one CSV field (RFC 4180): as it is, or, where it holds a comma, a double
     * quote or a line break, in double quotes with every double quote doubled.
     */
    public static String field(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return '"' + text.replace("\"", "\"\"") + '"';
            }
        }
        return text;
    }

    /** Appends text already encoded as UTF-8, such as a repeated field encoded once. */
    public CsvOutput utf8(byte[] text) throws IOException {
        return utf8(text, 0, text.length);
    }

    /** Appends the UTF-8 text {@code text[from, to)}. */
    public CsvOutput utf8(byte[] text, int from, int to) throws IOException {
        int length = to - from;
        if (length > buffer.length - used) {
            flushBuffer();
            if (length > buffer.length) {
                out.write(text, from, length);
                return this;
            }
        }
        System.arraycopy(text, from, buffer, used, length);
        used += length;
        return this;
    }

    /** Appends {@code value} as the shortest decimal that reads back as the same float ({@link FloatText}). */
    public CsvOutput number(float value) throws IOException {
        if (buffer.length - used < FloatText.MAX_LENGTH) {
            flushBuffer();
        }
        used = FloatText.write(value, buffer, used);
        return this;
    }

    /** Appends one ASCII character, such as the field separator or the line end. */
    public CsvOutput ascii(char c) throws IOException {
        if (used == buffer.length) {
            flushBuffer();
        }
        buffer[used++] = (byte) c;
        return this;
    }

    /** Writes out what is buffered and flushes the stream. */
    public void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    private void flushBuffer() throws IOException {
        out.write(buffer, 0, used);
        used = 0;
    }
}
