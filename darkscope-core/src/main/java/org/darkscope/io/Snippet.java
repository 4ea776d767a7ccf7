package org.darkscope.io;

/**
 * Offending text quoted in an error message: at most {@value #MAX_BYTES} bytes, printable ASCII
 * as it is and every other byte (escape sequences, binary, non-ASCII) as {@code \xNN}, so that a
 * bad field of megabytes or of terminal control codes gives a message of one short line.
 */
final class Snippet {
    static final int MAX_BYTES = 100;

    private Snippet() {
    }

    /** {@code b[from, to)} quoted: {@code 'text'}, and how long it was where it is cut. */
    static String quote(byte[] b, int from, int to) {
        int end = Math.min(to, from + MAX_BYTES);
        StringBuilder s = new StringBuilder(end - from + 32).append('\'');
        for (int i = from; i < end; i++) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02x", c));
            }
        }
        s.append('\'');
        if (end < to) {
            s.append(String.format("... (%,d bytes in all)", to - from));
        }
        return s.toString();
    }
}
