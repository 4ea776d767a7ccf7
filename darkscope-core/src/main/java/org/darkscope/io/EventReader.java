package org.darkscope.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipException;
import org.darkscope.event.Event;
import org.darkscope.event.ObjectType;
import org.darkscope.event.PhysicalRange;
import org.darkscope.event.PhysicsObject;

/**
 * Streams events from one Dark Machines CSV file, plain or gzip-compressed (recognised by its
 * magic bytes, whatever the file is called), or from the tab-separated table of the talk
 * "Artificial Intelligence and Dark Matter" (recognised by its header row {@code obj1 E1 pt1
 * ...}). Holds one buffer of bytes, never the whole file, so files of any size can be read.
 *
 * <p>Format: {@code event ID;process ID;event weight;MET;METphi;obj,E,pt,eta,phi;...} with an
 * optional trailing {@code ;}. Every problem is reported with file, line and what was wrong; in
 * {@link ParseMode#LENIENT} mode the line is skipped and counted instead.
 */
public final class EventReader extends LookAhead<Event> implements AutoCloseable {
    /** The number of bad lines kept with their messages; all are counted. */
    public static final int MAX_REPORTED_BAD_LINES = 20;
    /** The file name that reads standard input. */
    public static final String STANDARD_INPUT = "-";

    /**
     * Whether {@code file} can be read only once: standard input, or a pipe, a process
     * substitution or another file that is neither regular nor a folder.
     */
    public static boolean readsOnce(Path file) {
        return STANDARD_INPUT.equals(file.toString()) || Files.exists(file)
                && !Files.isRegularFile(file) && !Files.isDirectory(file);
    }

    /**
     * The longest line read, in bytes: 1 MiB, a thousand times an event of 20 objects (about a
     * kilobyte); the system property {@code darkscope.maxLineBytes} changes it. A longer line
     * (a file with no newline, a stream of zeros) is an error in both modes, rather than a
     * buffer that grows until the memory is gone.
     */
    public static final int MAX_LINE_BYTES = Integer.getInteger("darkscope.maxLineBytes", 1 << 20);

    private static final int HEADER_FIELDS = 5;
    private static final int OBJECT_FIELDS = 5;
    /** The header's fields, as messages name them, and where its numbers stand. */
    private static final String[] HEADER_NAMES = {"event ID", "process ID", "event weight", "MET", "METphi"};
    private static final int EVENT_ID = 0;
    private static final int PROCESS_ID = 1;
    private static final int WEIGHT = 2;
    private static final int MET = 3;
    private static final int MET_PHI = 4;
    private static final long NEWLINES = Words.repeated('\n');
    /** Distinct process IDs remembered, enough for every background of a channel. */
    private static final int PROCESSES_REMEMBERED = 32;

    private final Path file;
    private final ParseMode mode;
    private final InputStream in;
    /** Read ahead of the line being parsed; its last {@link NumberParser#PADDING} bytes are never filled. */
    private byte[] buffer = new byte[(1 << 16) + NumberParser.PADDING];
    private int position;
    private int limit;
    private boolean endOfInput;
    private long lineNumber;
    private long events;
    private long badLineCount;
    private final List<BadLine> badLines = new ArrayList<>();
    /** Where the line of the event parsed last lies in {@link #buffer}. */
    private int eventLineStart;
    private int eventLineEnd;
    private final List<PhysicsObject> objects = new ArrayList<>(32);
    private final int[] headerStarts = new int[HEADER_FIELDS];
    private final int[] headerEnds = new int[HEADER_FIELDS];
    private final int[] objectBounds = new int[OBJECT_FIELDS + 1];
    /** The header's numbers, at their field's index. */
    private final double[] headerValues = new double[HEADER_FIELDS];
    /** E, pt, eta and phi of the object being read. */
    private final double[] objectValues = new double[OBJECT_FIELDS - 1];
    /** The process IDs met so far, as their field's bytes and as the string events carry. */
    private final byte[][] processBytes = new byte[PROCESSES_REMEMBERED][];
    private final String[] processNames = new String[PROCESSES_REMEMBERED];
    private int processes;
    /** Where the last event's process stands in {@link #processNames}. */
    private int lastProcess;
    private final NumberParser numbers = new NumberParser();
    /** The talk's table layout, where the file is one (its header says so); null for the challenge format. */
    private TalkTable table;

    private EventReader(Path file, ParseMode mode, InputStream in) {
        this.file = file;
        this.mode = mode;
        this.in = in;
    }

    /**
     * Opens {@code file}; the reader must be closed. On a machine with more than one core a gzip
     * file is inflated on a second thread while this one parses (inflation costs about as much
     * as parsing, so this nearly doubles the reading speed).
     */
    public static EventReader open(Path file, ParseMode mode) {
        return open(file, mode, Runtime.getRuntime().availableProcessors() > 1);
    }

    /**
     * Opens {@code file}; with {@code inflateAhead} a gzip stream is inflated on a second thread
     * while this one parses, without it everything happens on the calling thread.
     */
    public static EventReader open(Path file, ParseMode mode, boolean inflateAhead) {
        if (STANDARD_INPUT.equals(file.toString())) {
            return open(new FilterInputStream(System.in) {
                @Override
                public void close() {
                    // standard input belongs to the process, not to this reader
                }
            }, Path.of("(standard input)"), mode, inflateAhead);
        }
        if (Files.isDirectory(file)) {
            throw new EventFormatException(file, 0, "is a directory, not an event file");
        }
        if (!Files.exists(file)) {
            throw new EventFormatException(file, 0, "no such file");
        }
        try {
            // a FileInputStream, not Files.newInputStream: its channel's stream asks a pipe or a
            // FIFO (bash's <(zcat ...)) for its position, which fails with "Illegal seek"
            return open(new FileInputStream(file.toFile()), file, mode, inflateAhead);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }


    /**
     * Reads events from a stream (a file on a cluster file system, say); {@code name} is the file
     * named in messages. The reader closes the stream.
     */
    public static EventReader open(InputStream stream, Path name, ParseMode mode) {
        return open(stream, name, mode, false);
    }

    private static EventReader open(InputStream stream, Path name, ParseMode mode, boolean inflateAhead) {
        Path file = name;
        try {
            InputStream raw = new BufferedInputStream(stream, 1 << 16);
            raw.mark(2);
            int b1 = raw.read();
            int b2 = raw.read();
            raw.reset();
            if (b1 < 0) {
                raw.close();
                throw new EventFormatException(file, 0, "file is empty: no events");
            }
            boolean gzip = b1 == 0x1f && b2 == 0x8b;
            InputStream in = gzip ? new GzipDecoder(raw) : raw;
            if (gzip && inflateAhead) {
                in = new BackgroundInflater(in, String.valueOf(file.getFileName()));
            }
            return new EventReader(file, mode, in);
        } catch (EOFException | ZipException e) {
            throw new EventFormatException(file, 0, "corrupt gzip header: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** Events returned so far. */
    public long events() {
        return events;
    }

    /** Lines skipped in lenient mode. */
    public long badLineCount() {
        return badLineCount;
    }

    /** What reading the file has given so far: events, skipped lines and the first problems. */
    public EventFiles.FileReport report() {
        return new EventFiles.FileReport(file, events, badLineCount, badLines());
    }

    /** The first {@value #MAX_REPORTED_BAD_LINES} skipped lines, with their problems. */
    public List<BadLine> badLines() {
        return Collections.unmodifiableList(badLines);
    }

    /**
     * The text of the line the event {@link #next()} returned last came from, without its line
     * end: for a program that passes events on as they were written (a trigger writing the
     * events it keeps). Call it before {@link #hasNext()}, which may reuse the buffer.
     */
    public byte[] line() {
        return java.util.Arrays.copyOfRange(buffer, eventLineStart, eventLineEnd);
    }

    /**
     * Whether the next line is already in the reader's buffer, whole: {@link #hasNext()} then
     * returns without waiting for input.
     */
    public boolean lineBuffered() {
        return readAhead() || endOfInput || indexOfNewline(buffer, position, limit) >= 0;
    }

    /**
     * Whether more input is waiting: a whole line in the buffer, or bytes the source can give
     * without blocking (a program answering event by event flushes its answers when none is).
     */
    public boolean inputWaiting() {
        if (lineBuffered()) {
            return true;
        }
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    protected Event advance() {
        while (true) {
            int lineStart = nextLine();
            if (lineStart < 0) {
                if (events == 0 && badLineCount == 0) {
                    throw new EventFormatException(file, 0, "file has no events");
                }
                return null;
            }
            int lineEnd = position;
            if (lineEnd > lineStart && buffer[lineEnd - 1] == '\n') {
                lineEnd--;
            }
            if (lineEnd > lineStart && buffer[lineEnd - 1] == '\r') {
                lineEnd--;
            }
            if (lineNumber == 1 && lineEnd - lineStart >= 3 && buffer[lineStart] == (byte) 0xEF
                    && buffer[lineStart + 1] == (byte) 0xBB && buffer[lineStart + 2] == (byte) 0xBF) {
                lineStart += 3; // a UTF-8 byte-order mark, which some editors write: not part of the first event ID
            }
            if (isBlank(lineStart, lineEnd)) {
                continue;
            }
            if (events == 0 && badLineCount == 0 && table == null && TalkTable.isHeader(buffer, lineStart, lineEnd)) {
                try {
                    table = TalkTable.of(buffer, lineStart, lineEnd, EventFiles.sampleName(file.getFileName() == null ? file : file.getFileName()));
                } catch (IllegalArgumentException e) {
                    throw new EventFormatException(file, lineNumber, "table header: " + e.getMessage());
                }
                continue;
            }
            try {
                Event event = table != null ? tableRow(lineStart, lineEnd) : parse(lineStart, lineEnd);
                events++;
                eventLineStart = lineStart;
                eventLineEnd = lineEnd;
                return event;
            } catch (LineProblem problem) {
                String message = events == 0 && badLineCount == 0 && table == null && columnNames(lineStart, lineEnd)
                        ? problem.getMessage() + " (a row of column names? The Dark Machines format has none: delete the line)"
                        : problem.getMessage();
                if (mode == ParseMode.STRICT) {
                    throw new EventFormatException(file, lineNumber, message);
                }
                badLineCount++;
                if (badLines.size() < MAX_REPORTED_BAD_LINES) {
                    badLines.add(new BadLine(file, lineNumber, message));
                }
            }
        }
    }

    /** Whether the line's event weight, MET and METphi fields are all words, none a number: a header row. */
    private boolean columnNames(int from, int to) {
        int field = 0;
        boolean fieldStart = true;
        for (int i = from; i < to && field <= MET_PHI; i++) {
            byte c = buffer[i];
            if (c == ';') {
                field++;
                fieldStart = true;
            } else if (fieldStart && c != ' ') {
                if (field >= WEIGHT && !Character.isLetter(c)) {
                    return false;
                }
                fieldStart = false;
            }
        }
        return field >= MET_PHI;
    }

    private boolean isBlank(int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] != ' ' && buffer[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    /**
     * Advances to the next line; returns its start in {@link #buffer} (the line ends before
     * {@link #position}, with or without its newline), or -1 at the end of the file.
     */
    private int nextLine() {
        int start = position;
        int scan = position;
        while (true) {
            int newline = indexOfNewline(buffer, scan, limit);
            if (newline >= 0) {
                position = newline + 1;
                lineNumber++;
                return start;
            }
            if (endOfInput) {
                if (start < limit) {
                    position = limit;
                    lineNumber++;
                    return start;
                }
                return -1;
            }
            // Move the partial line to the front (growing the buffer for very long lines), refill.
            int partial = limit - start;
            if (partial >= MAX_LINE_BYTES) {
                throw new EventFormatException(file, lineNumber + 1, "line longer than " + MAX_LINE_BYTES
                        + " bytes without a newline: not an event file (darkscope.maxLineBytes sets the limit)");
            }
            if (partial == capacity()) {
                buffer = java.util.Arrays.copyOf(buffer, 2 * capacity() + NumberParser.PADDING);
            } else if (start > 0) {
                System.arraycopy(buffer, start, buffer, 0, partial);
            }
            scan = partial;
            start = 0;
            limit = partial;
            position = 0;
            fill();
        }
    }

    /** The bytes the buffer holds for reading: all but the padding for the number parser. */
    private int capacity() {
        return buffer.length - NumberParser.PADDING;
    }

    /**
     * The first {@code '\n'} in {@code b[from, to)}, or -1: eight bytes at a time, each compared
     * with a newline at once (a byte of {@code word ^ NEWLINES} is zero exactly where the newline is).
     */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long newlines = Words.zeroBytes(Words.get(b, i) ^ NEWLINES);
            if (newlines != 0) {
                return i + (Long.numberOfTrailingZeros(newlines) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void fill() {
        try {
            int n = in.read(buffer, limit, capacity() - limit);
            if (n < 0) {
                endOfInput = true;
            } else {
                limit += n;
            }
        } catch (EOFException e) {
            throw new EventFormatException(file, lineNumber + 1,
                    "gzip stream is truncated (file cut short after line " + lineNumber + ")", e);
        } catch (ZipException e) {
            throw new EventFormatException(file, lineNumber + 1,
                    "gzip stream is corrupt after line " + lineNumber + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A row of the talk's table; its number counts the events and bad rows before it, from 1. */
    private Event tableRow(int from, int to) {
        try {
            return table.parse(buffer, from, to, events + badLineCount + 1);
        } catch (IllegalArgumentException e) {
            throw new LineProblem(e.getMessage());
        }
    }

    private Event parse(int from, int to) {
        byte[] b = buffer;
        int i = from;
        for (int k = 0; k < HEADER_FIELDS; k++) {
            headerStarts[k] = i;
            while (i < to && b[i] != ';') {
                i++;
            }
            headerEnds[k] = i;
            if (i == to && k < HEADER_FIELDS - 1) {
                throw new LineProblem("missing field: expected at least " + HEADER_FIELDS
                        + " fields (event ID;process ID;event weight;MET;METphi), found " + (k + 1));
            }
            i++; // skip ';' (or step past the end)
        }
        String eventId = text(EVENT_ID);
        String processId = processId();
        double[] header = headerValues;
        // The numbers read at one call site, not three: the compiled reader stays small, so the
        // JIT compiler finishes it sooner and with less work (about a third of its time before).
        for (int k = WEIGHT; k <= MET_PHI; k++) {
            header[k] = number(headerStarts[k], headerEnds[k], HEADER_NAMES[k]);
        }
        if (header[MET] < 0) {
            throw new LineProblem("negative MET: " + header[MET]);
        }
        requireInRange("MET", header[MET], PhysicalRange.energy(header[MET]), PhysicalRange.ENERGY_BOUND);
        requireInRange("METphi", header[MET_PHI], PhysicalRange.phi(header[MET_PHI]), PhysicalRange.PHI_BOUND);

        objects.clear();
        int objectIndex = 0;
        while (i < to) {
            objectIndex++;
            PhysicsObject object = plainObject(i, to);
            if (object != null) {
                objects.add(object);
                i = numbers.end() + 1; // past the ';'
                continue;
            }
            // Anything out of the ordinary: the field-by-field parser accepts it or says what is wrong.
            int objectStart = i;
            while (i < to && b[i] != ';') {
                i++;
            }
            if (i == objectStart) {
                throw new LineProblem("object " + objectIndex + " is empty (two ';' in a row)");
            }
            objects.add(parseObject(objectStart, i, objectIndex));
            i++; // skip ';'
        }
        return new Event(eventId, processId, header[WEIGHT], header[MET], header[MET_PHI], objects);
    }

    /**
     * The fast path for one object written plainly ({@code label,E,pt,eta,phi}, numbers without
     * spaces, within the exact range of {@link NumberParser#plain}): parsed in a single pass over
     * its bytes, ending at its {@code ;} (or the line's end), where {@link NumberParser#end()}
     * then points. Returns null for anything else, which {@link #parseObject} then handles or
     * reports.
     */
    private PhysicsObject plainObject(int from, int to) {
        byte[] b = buffer;
        int label = from;
        while (label < to && b[label] != ',' && b[label] != ';') {
            label++;
        }
        if (label == to || b[label] != ',') {
            return null;
        }
        ObjectType type = ObjectType.fromLabel(b, from, label);
        if (type == null) {
            return null;
        }
        // One call site for the four numbers, as for the header's.
        double[] values = objectValues;
        int at = label + 1;
        for (int k = 0; k < OBJECT_FIELDS - 1; k++) {
            double value = numbers.plain(b, at, to, k < OBJECT_FIELDS - 2 ? (byte) ',' : (byte) ';');
            if (Double.isNaN(value)) { // not plain: the careful path reads it or says what is wrong
                return null;
            }
            values[k] = value;
            at = numbers.end() + 1;
        }
        if (values[0] < 0 || values[1] < 0 || !PhysicalRange.energy(values[0]) || !PhysicalRange.energy(values[1])
                || !PhysicalRange.eta(values[2]) || !PhysicalRange.phi(values[3])
                || !PhysicalRange.energyCoversPt(values[0], values[1])) { // the careful path says what is wrong
            return null;
        }
        return new PhysicsObject(type, values[0], values[1], values[2], values[3]);
    }

    private PhysicsObject parseObject(int from, int to, int index) {
        byte[] b = buffer;
        int[] bounds = objectBounds;
        int fields = 0;
        bounds[0] = from;
        for (int i = from; i < to; i++) {
            if (b[i] == ',') {
                fields++;
                if (fields > OBJECT_FIELDS - 1) {
                    throw new LineProblem("object " + index + " has more than " + OBJECT_FIELDS
                            + " fields (expected type,E,pt,eta,phi)");
                }
                bounds[fields] = i + 1;
            }
        }
        if (fields != OBJECT_FIELDS - 1) {
            throw new LineProblem("object " + index + " has " + (fields + 1) + " fields, expected "
                    + OBJECT_FIELDS + " (type,E,pt,eta,phi)");
        }
        bounds[OBJECT_FIELDS] = to + 1;
        ObjectType type = ObjectType.fromLabel(b, bounds[0], bounds[1] - 1);
        if (type == null) {
            throw new LineProblem("object " + index + " has unknown object label "
                    + Snippet.quote(b, bounds[0], bounds[1] - 1) + " (known: j, b, e-, e+, m-, m+, g)");
        }
        double e = objectNumber(bounds[1], bounds[2] - 1, index, "E");
        double pt = objectNumber(bounds[2], bounds[3] - 1, index, "pt");
        double eta = objectNumber(bounds[3], bounds[4] - 1, index, "eta");
        double phi = objectNumber(bounds[4], bounds[5] - 1, index, "phi");
        if (e < 0) {
            throw new LineProblem("object " + index + " has negative energy: " + e);
        }
        if (pt < 0) {
            throw new LineProblem("object " + index + " has negative pt: " + pt);
        }
        requireInRange("object " + index + " E", e, PhysicalRange.energy(e), PhysicalRange.ENERGY_BOUND);
        requireInRange("object " + index + " pt", pt, PhysicalRange.energy(pt), PhysicalRange.ENERGY_BOUND);
        requireInRange("object " + index + " eta", eta, PhysicalRange.eta(eta), PhysicalRange.ETA_BOUND);
        requireInRange("object " + index + " phi", phi, PhysicalRange.phi(phi), PhysicalRange.PHI_BOUND);
        if (!PhysicalRange.energyCoversPt(e, pt)) {
            throw new LineProblem("object " + index + " has " + PhysicalRange.energyBelowPt(e, pt));
        }
        return new PhysicsObject(type, e, pt, eta, phi);
    }

    /**
     * The process ID, one string for every event of a process (files hold a handful of processes,
     * in long runs or mixed): no new string per event, and whoever maps processes to something
     * finds the same string again. The last event's process is compared first.
     */
    private String processId() {
        int from = headerStarts[PROCESS_ID];
        int to = headerEnds[PROCESS_ID];
        for (int k = 0, slot = lastProcess; k < processes; k++, slot = slot + 1 == processes ? 0 : slot + 1) {
            byte[] known = processBytes[slot];
            if (java.util.Arrays.equals(buffer, from, to, known, 0, known.length)) {
                lastProcess = slot;
                return processNames[slot];
            }
        }
        String name = text(PROCESS_ID);
        // a new process takes the next free place, or, with all taken, the place after the last hit
        int slot = processes < PROCESSES_REMEMBERED ? processes++ : (lastProcess + 1) % PROCESSES_REMEMBERED;
        processBytes[slot] = java.util.Arrays.copyOfRange(buffer, from, to);
        processNames[slot] = name;
        lastProcess = slot;
        return name;
    }

    /** The header's text field {@code field} (the event or the process ID), trimmed. */
    private String text(int field) {
        String value = new String(buffer, headerStarts[field], headerEnds[field] - headerStarts[field],
                StandardCharsets.UTF_8).trim();
        if (value.isEmpty()) {
            throw new LineProblem("missing field: " + HEADER_NAMES[field] + " is empty");
        }
        return value;
    }

    private double number(int from, int to, String what) {
        double value;
        try {
            value = numbers.parse(buffer, from, to);
        } catch (NumberFormatException e) {
            throw numberProblem(from, to, what, e);
        }
        if (!Double.isFinite(value)) {
            throw new LineProblem(what + " is non-finite: " + value);
        }
        return value;
    }

    /** A number of object {@code index}; the message is only built for a bad value. */
    private double objectNumber(int from, int to, int index, String field) {
        double value;
        try {
            value = numbers.parse(buffer, from, to);
        } catch (NumberFormatException e) {
            throw numberProblem(from, to, "object " + index + " " + field, e);
        }
        if (!Double.isFinite(value)) {
            throw new LineProblem("object " + index + " " + field + " is non-finite: " + value);
        }
        return value;
    }

    private static void requireInRange(String what, double value, boolean inRange, String bound) {
        if (!inRange) {
            throw new LineProblem(what + " is " + value + ", outside the physical range " + bound);
        }
    }

    private static LineProblem numberProblem(int from, int to, String what, NumberFormatException e) {
        return to <= from ? new LineProblem("missing field: " + what + " is empty")
                : new LineProblem(what + " is non-numeric: " + e.getMessage());
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A problem with the current line; becomes a {@link BadLine} or an exception. */
    private static final class LineProblem extends RuntimeException {
        LineProblem(String message) {
            super(message, null, false, false);
        }
    }
}
