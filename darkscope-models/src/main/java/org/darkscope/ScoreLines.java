package org.darkscope;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.darkscope.event.Event;
import org.darkscope.io.CsvOutput;

/**
 * The start of each event's line in a scores file, {@code event_id,process,weight,}, as UTF-8
 * bytes one after the other in one array per chunk of events. The reader thread writes them
 * from the events it parses, and the scoring thread adds each score to bytes that lie together
 * in memory, instead of reading one string per event out of the other core's cache.
 */
final class ScoreLines {
    private byte[] text;
    private final int[] ends;
    private int lines;

    /** Room for {@code capacity} lines (the text grows as needed). */
    ScoreLines(int capacity) {
        text = new byte[capacity * 32];
        ends = new int[capacity];
    }

    /** The lines' text, all of them one after the other. */
    byte[] text() {
        return text;
    }

    /** Where line {@code i} starts in {@link #text()}. */
    int start(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    /** Where line {@code i} ends in {@link #text()}. */
    int end(int i) {
        return ends[i];
    }

    /** Lines written. */
    int size() {
        return lines;
    }

    /**
     * Appends a line start: {@code id}, {@code process} and {@code weight} (both already UTF-8),
     * each followed by a comma.
     */
    void add(String id, byte[] process, byte[] weight) {
        int at = start(lines);
        int room = 6 * id.length() + 2 + process.length + weight.length + 3; // quoted UTF-8: at most 6 bytes per char
        if (at + room > text.length) {
            text = java.util.Arrays.copyOf(text, Math.max(2 * text.length, at + room));
        }
        int next;
        int idEnd = CsvOutput.copyField(id, text, at);
        if (idEnd >= 0) {
            text[idEnd] = ',';
            next = idEnd + 1;
        } else { // beyond ASCII, or a field to quote (RFC 4180)
            next = field(CsvOutput.field(id).getBytes(StandardCharsets.UTF_8), at);
        }
        ends[lines++] = field(weight, field(process, next));
    }

    /** Copies {@code bytes} to {@code at} and a comma after them; returns where the next field starts. */
    private int field(byte[] bytes, int at) {
        System.arraycopy(bytes, 0, text, at, bytes.length);
        text[at + bytes.length] = ',';
        return at + bytes.length + 1;
    }

    /**
     * Writes line starts for one scoring run. Process IDs and weights, a handful per file, are
     * encoded once and remembered from chunk to chunk. Not thread-safe.
     */
    static final class Writer {
        private final WeightText weights = new WeightText();
        private final ProcessText processes = new ProcessText();

        /** Appends the start of {@code event}'s line to {@code lines}. */
        void add(ScoreLines lines, Event event) {
            lines.add(event.eventId(), processes.text(event.processId()), weights.text(event.weight()));
        }

        /** Appends the start of an image's line: its ID, its sample's name as the process, weight 1. */
        void add(ScoreLines lines, String id, String process) {
            lines.add(id, processes.text(process), weights.text(1.0));
        }

        /**
         * Event weights as text (ASCII bytes), remembered: a file holds few distinct weights (one per
         * process in the challenge's files), and formatting a double is slow. An open-addressing
         * table keyed by the weight's bits: no boxing, one multiply and usually one probe per event.
         */
        private static final class WeightText {
            private static final int CAPACITY = 8192; // a power of two
            private static final int MAX_REMEMBERED = CAPACITY / 2;
            private final long[] bits = new long[CAPACITY];
            private final byte[][] texts = new byte[CAPACITY][];
            private int remembered;

            byte[] text(double weight) {
                long key = Double.doubleToRawLongBits(weight);
                int slot = (int) ((key ^ key >>> 32) * 0x9E3779B97F4A7C15L >>> 51); // 13 bits: CAPACITY
                while (texts[slot] != null) {
                    if (bits[slot] == key) {
                        return texts[slot];
                    }
                    slot = (slot + 1) & (CAPACITY - 1);
                }
                byte[] text = Double.toString(weight).getBytes(StandardCharsets.US_ASCII);
                if (remembered < MAX_REMEMBERED) {
                    bits[slot] = key;
                    texts[slot] = text;
                    remembered++;
                }
                return text;
            }
        }

        /**
         * Process IDs as UTF-8, remembered: a file holds a handful of processes, and the reader gives
         * every event of a process the same string, so a process is encoded once (and looked up only
         * where it differs from the event before's).
         */
        private static final class ProcessText {
            private static final int MAX_REMEMBERED = 4096;
            private final Map<String, byte[]> texts = new HashMap<>();
            private String last;
            private byte[] lastText;

            byte[] text(String process) {
                if (process != last) {
                    byte[] text = texts.get(process);
                    if (text == null) {
                        text = CsvOutput.field(process).getBytes(StandardCharsets.UTF_8);
                        if (texts.size() < MAX_REMEMBERED) {
                            texts.put(process, text);
                        }
                    }
                    last = process;
                    lastText = text;
                }
                return lastText;
            }
        }
    }
}
