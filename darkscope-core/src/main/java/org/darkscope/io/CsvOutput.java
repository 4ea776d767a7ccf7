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
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) { // anything beyond ASCII: encode the whole text properly
                return utf8(text.getBytes(StandardCharsets.UTF_8));
            }
            buffer[used + i] = (byte) c;
        }
        used += length;
        return this;
    }

    /** Appends text already encoded as UTF-8, such as a repeated field encoded once. */
    public CsvOutput utf8(byte[] text) throws IOException {
        if (text.length > buffer.length - used) {
            flushBuffer();
            if (text.length > buffer.length) {
                out.write(text);
                return this;
            }
        }
        System.arraycopy(text, 0, buffer, used, text.length);
        used += text.length;
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
