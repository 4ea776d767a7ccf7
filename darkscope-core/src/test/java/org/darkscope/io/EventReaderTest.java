package org.darkscope.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.darkscope.event.Event;
import org.darkscope.event.ObjectType;
import org.darkscope.event.PhysicalRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventReaderTest {
    @TempDir
    Path dir;

    static Path sample(Path dir) {
        return BundledSample.extractTo(dir.resolve("sample"));
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void objectValuesAgreeBitForBitWithDoubleParseDoubleOnTheFastAndTheCarefulPath() throws IOException {
        // Plain numbers take the single-pass fast path; spaces, long mantissas, huge exponents and
        // the like take the field-by-field path. Either way the value must be Double.parseDouble's.
        List<String> texts = new ArrayList<>(List.of("0", "-0", "1", "381060", "0.0507051", "1.4656e+06", "6.59e-07",
                "1e22", "1e23", "123456789012345678", "1234567890123456789012", "9007199254740993", ".5", "5.",
                "1E-5", "+2.5", "4.9e-324", "1.7976931348623157e308", "0.000200538", " 7.25", "3.5 ", "1e00005",
                "0.00000000000000000000000123", "-3.00099"));
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            double value = (random.nextDouble() - 0.3) * Math.pow(10, random.nextInt(-12, 12));
            texts.add(random.nextBoolean() ? Double.toString(value) : String.format("%.6g", value));
        }
        // each number goes into the fields whose physical range holds it (org.darkscope.event.PhysicalRange),
        // "1" where it does not; the huge ones are NumberParserTest's
        StringBuilder content = new StringBuilder();
        List<String[]> fields = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String signed = texts.get(i);
            String positive = signed.replaceFirst("^-", ""); // E and pT must not be negative
            double v = Math.abs(Double.parseDouble(signed.trim()));
            String[] f = {v <= PhysicalRange.MAX_MEV ? positive : "1", v <= PhysicalRange.MAX_MEV ? positive : "1",
                    v <= PhysicalRange.MAX_ETA ? signed : "1", v <= PhysicalRange.MAX_PHI ? signed : "1"};
            fields.add(f);
            content.append(i).append(";p;1;100;0.5;j,").append(String.join(",", f)).append(";\n");
        }
        List<Event> events = EventFiles.read(write("numbers.csv", content.toString()), ParseMode.STRICT, -1);
        assertEquals(texts.size(), events.size());
        for (int i = 0; i < texts.size(); i++) {
            var object = events.get(i).objects().get(0);
            double[] read = {object.e(), object.pt(), object.eta(), object.phi()};
            for (int k = 0; k < 4; k++) {
                assertEquals(Double.doubleToLongBits(Double.parseDouble(fields.get(i)[k].trim())), Double.doubleToLongBits(read[k]),
                        texts.get(i));
            }
        }
    }

    @Test
    void readsTheBundledBackgroundWithProcessCountsOfAnIndependentLineSplit() throws IOException {
        Path file = sample(dir).resolve(BundledSample.BACKGROUND);
        // Independent count: decompress and split lines with the JDK alone.
        List<String> lines = new ArrayList<>();
        try (var in = new GZIPInputStream(Files.newInputStream(file))) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        List<Event> events = EventFiles.read(file, ParseMode.STRICT, -1);
        assertEquals(lines.size(), events.size());
        for (int i = 0; i < lines.size(); i += 97) {
            String[] fields = lines.get(i).split(";");
            Event e = events.get(i);
            assertEquals(fields[0], e.eventId());
            assertEquals(fields[1], e.processId());
            assertEquals(Double.parseDouble(fields[3]), e.met());
            assertEquals(fields.length - 5, e.objects().size());
            String[] first = fields[5].split(",");
            assertEquals(ObjectType.fromLabel(first[0]), e.objects().get(0).type());
            assertEquals(Double.parseDouble(first[2]), e.objects().get(0).pt());
        }
    }

    @Test
    void everyEventOfAProcessCarriesTheSameStringBeyondTheProcessesRemembered() throws IOException {
        // Processes mixed as in a shuffled sample, then more distinct ones than the reader
        // remembers, then the first ones again: the values are always right, and while a process
        // is remembered its events share one string (what the scores file's writer relies on).
        String[] mixed = {"ttbar", "wjets", "ttbar", "znunu", "wjets", "ttbar"};
        StringBuilder content = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (String process : mixed) {
            expected.add(process);
        }
        for (int i = 0; i < 100; i++) {
            expected.add("process" + i);
        }
        expected.add("process99");
        expected.add("ttbar");
        for (int i = 0; i < expected.size(); i++) {
            content.append(i).append(';').append(expected.get(i)).append(";1;100;0.5;j,1,1,0,0;\n");
        }
        List<Event> events = EventFiles.read(write("processes.csv", content.toString()), ParseMode.STRICT, -1);
        assertEquals(expected.size(), events.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), events.get(i).processId());
        }
        assertSame(events.get(0).processId(), events.get(2).processId());
        assertSame(events.get(0).processId(), events.get(5).processId());
        assertSame(events.get(1).processId(), events.get(4).processId());
        assertSame(events.get(105).processId(), events.get(106).processId());
    }

    @Test
    void writerOutputReadsBackToIdenticalEvents() {
        Path file = sample(dir).resolve(BundledSample.SIGNALS.get(1));
        List<Event> original = new ArrayList<>(EventFiles.read(file, ParseMode.STRICT, -1));
        Event first = original.get(0); // IDs with a comma, a double quote and letters beyond ASCII survive (mix writes them)
        original.set(0, new Event("id,\"1\"", "pr\u00f6cess-\u4e8b\u4ef6", first.weight(), first.met(), first.metPhi(), first.objects()));
        for (String name : new String[] {"copy.csv", "copy.csv.gz"}) {
            Path copy = dir.resolve(name);
            try (EventWriter writer = EventWriter.create(copy)) {
                original.forEach(writer::write);
                writer.commit();
            }
            assertEquals(original, EventFiles.read(copy, ParseMode.STRICT, -1));
        }
    }

    @Test
    void writerThatFailsHalfwayLeavesNoFileBehind() throws IOException {
        Path file = sample(dir).resolve(BundledSample.SIGNALS.get(1));
        List<Event> original = EventFiles.read(file, ParseMode.STRICT, -1);
        Path out = dir.resolve("half.csv.gz");
        assertThrows(IllegalStateException.class, () -> {
            try (EventWriter writer = EventWriter.create(out)) {
                original.subList(0, original.size() / 2).forEach(writer::write);
                throw new IllegalStateException("the input failed halfway");
            }
        });
        assertFalse(Files.exists(out), "no half-written file");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("half")), "no temporary file either");
        }
    }

    @Test
    void acceptsMissingTrailingSemicolonCrLfAndBlankLines() throws IOException {
        Path file = write("ok.csv", "7;ttbar;0.5;250000;1.0;j,300000,250000,0.5,-1.0;b,100000,90000,1.2,2.0;g,49980,50000,0,1\r\n\n"
                + "8;wjets;0.25;1.5e5;-2;\n");
        List<Event> events = EventFiles.read(file, ParseMode.STRICT, -1);
        assertEquals(2, events.size());
        assertEquals(3, events.get(0).objects().size(), "a photon's E 0.04 % below its pT, as rounding leaves it, is read");
        assertEquals(340000.0, events.get(0).ht());
        assertEquals(150000.0, events.get(1).met());
        assertTrue(events.get(1).objects().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing field        | 1;ttbar;0.5;250000                                  | missing field",
        "unknown label        | 1;ttbar;0.5;250000;1.0;x,1,1,0,0;                   | unknown object label 'x'",
        "non-numeric value    | 1;ttbar;0.5;abc;1.0;j,1,1,0,0;                      | MET is non-numeric",
        "NaN                  | 1;ttbar;0.5;250000;1.0;j,nan,1,0,0;                 | object 1 E is non-finite",
        "infinity             | 1;ttbar;0.5;250000;inf;                             | METphi is non-finite",
        "negative energy      | 1;ttbar;0.5;250000;1.0;j,-5,1,0,0;                  | negative energy",
        "negative pt          | 1;ttbar;0.5;250000;1.0;j,5,-1,0,0;                  | negative pt",
        "E below pt (swapped) | 1;ttbar;0.5;250000;1.0;j,250000,300000,0.5,-1.0;    | object 1 has E 250000.0 below its pt 300000.0: every particle has E >= pt",
        "E below pt, second   | 1;ttbar;0.5;250000;1.0;j,3e5,2.5e5,0.5,1;b,8e4,9e4,0,0; | object 2 has E 80000.0 below its pt 90000.0",
        "too few obj fields   | 1;ttbar;0.5;250000;1.0;j,5,1,0;                     | object 1 has 4 fields",
        "too many obj fields  | 1;ttbar;0.5;250000;1.0;j,5,1,0,0,9;                 | more than 5 fields",
        "empty object         | 1;ttbar;0.5;250000;1.0;;j,5,1,0,0;                  | object 1 is empty",
    })
    void everyKindOfBadLineNamesFileLineAndProblem(String kind, String badLine, String expected) throws IOException {
        String good = "1;ttbar;0.5;250000;1.0;j,300000,250000,0.5,-1.0;\n";
        Path file = write("bad.csv", good + badLine.trim() + "\n" + good);
        EventFormatException e = assertThrows(EventFormatException.class,
                () -> EventFiles.read(file, ParseMode.STRICT, -1));
        assertEquals(2, e.line(), kind);
        assertTrue(e.getMessage().startsWith(file + ":2: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected.trim()), e.getMessage());

        try (EventReader reader = EventReader.open(file, ParseMode.LENIENT)) {
            List<Event> events = new ArrayList<>();
            reader.forEachRemaining(events::add);
            assertEquals(2, events.size());
            assertEquals(1, reader.badLineCount());
            assertEquals(2, reader.badLines().get(0).line());
        }
    }

    @Test
    void aRowOfColumnNamesIsNamedAsOne() throws IOException {
        String good = "1;ttbar;0.5;250000;1.0;j,300000,250000,0.5,-1.0;\n";
        Path file = write("header.csv", "event ID;process ID;event weight;MET;METphi;obj1,E1,pt1,eta1,phi1\n" + good);
        EventFormatException e = assertThrows(EventFormatException.class, () -> EventFiles.read(file, ParseMode.STRICT, -1));
        assertTrue(e.getMessage().startsWith(file + ":1: event weight is non-numeric"), e.getMessage());
        assertTrue(e.getMessage().contains("a row of column names?"), e.getMessage());
        // a first line with one bad number is a bad event, not a header; nor is a bad line after the first
        Path bad = write("bad.csv", "1;ttbar;0.5;abc;1.0;\n" + good + "event ID;process ID;event weight;MET;METphi\n");
        EventFormatException first = assertThrows(EventFormatException.class, () -> EventFiles.read(bad, ParseMode.STRICT, -1));
        assertFalse(first.getMessage().contains("column names"), first.getMessage());
        try (EventReader reader = EventReader.open(bad, ParseMode.LENIENT)) {
            reader.forEachRemaining(event -> { });
            assertEquals(2, reader.badLineCount());
            assertFalse(reader.badLines().get(1).toString().contains("column names"), reader.badLines().toString());
        }
    }

    @Test
    void emptyFileIsAnErrorInBothModes() throws IOException {
        Path empty = write("empty.csv", "");
        for (ParseMode mode : ParseMode.values()) {
            EventFormatException e = assertThrows(EventFormatException.class, () -> EventFiles.read(empty, mode, -1));
            assertTrue(e.getMessage().contains("empty"), e.getMessage());
        }
    }

    @Test
    void truncatedGzipNamesTheLineWhereItBroke() throws IOException {
        Path full = dir.resolve("full.csv.gz");
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 20000; i++) {
            text.append(i).append(";ttbar;0.5;250000;1.0;j,300000,250000,0.5,-1.0;b,100000,90000,1.2,2.0;\n");
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(full))) {
            out.write(text.toString().getBytes(StandardCharsets.US_ASCII));
        }
        byte[] bytes = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.csv.gz");
        for (int length : new int[] {bytes.length / 7, bytes.length / 2, bytes.length - 12}) {
            Files.write(cut, java.util.Arrays.copyOf(bytes, length));
            long whole = wholeLinesBeforeTheBreak(cut); // counted by the JDK's own gzip reader
            for (ParseMode mode : ParseMode.values()) {
                EventFormatException e = assertThrows(EventFormatException.class, () -> EventFiles.read(cut, mode, -1));
                assertTrue(e.getMessage().contains("file cut short after line " + whole + ")"), length + " bytes: " + e.getMessage());
                assertEquals(whole + 1, e.line());
            }
        }
        byte[] badTrailer = bytes.clone(); // every line whole, the CRC-32 wrong
        badTrailer[bytes.length - 8] ^= 1;
        Files.write(cut, badTrailer);
        EventFormatException e = assertThrows(EventFormatException.class, () -> EventFiles.read(cut, ParseMode.STRICT, -1));
        assertTrue(e.getMessage().contains("gzip stream is corrupt after line 20000"), e.getMessage());
    }

    /** The complete lines of a broken gzip file, as java.util.zip reads it up to the break. */
    private static long wholeLinesBeforeTheBreak(Path file) throws IOException {
        long lines = 0;
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                lines += b == '\n' ? 1 : 0;
            }
        } catch (java.io.EOFException expected) {
            return lines;
        }
        throw new AssertionError(file + " is not broken");
    }

    @Test
    void gzipIsRecognisedByContentNotName() throws IOException {
        Path gz = dir.resolve("events.dat");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("1;znunu;1;300000;0.1;j,500000,400000,0.1,0.2;\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals(400000.0, EventFiles.read(gz, ParseMode.STRICT, -1).get(0).objects().get(0).pt());
    }

    @Test
    void longLinesGrowTheBuffer() throws IOException {
        StringBuilder line = new StringBuilder("1;ttbar;0.5;250000;1.0;");
        for (int i = 0; i < 4000; i++) {
            line.append("j,300000,").append(250000 - i).append(",0.5,-1.0;");
        }
        Path file = write("long.csv", line + "\n" + line + "\n");
        List<Event> events = EventFiles.read(file, ParseMode.STRICT, -1);
        assertEquals(2, events.size());
        assertEquals(4000, events.get(1).objects().size());
    }

    @Test
    void newlinesFoundEightBytesAtATimeAreTheFirstOnesAByteByByteScanFinds() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(10);
        for (int t = 0; t < 20_000; t++) {
            byte[] bytes = new byte[random.nextInt(1, 40)];
            for (int i = 0; i < bytes.length; i++) { // mostly not newlines; 0x0B and 0x09 sit beside '\n'
                int kind = random.nextInt(10);
                bytes[i] = (byte) (kind == 0 ? '\n' : kind == 1 ? 0x0B : kind == 2 ? 0x09 : random.nextInt(256));
            }
            int from = random.nextInt(bytes.length);
            int to = random.nextInt(from, bytes.length + 1);
            int expected = -1;
            for (int i = from; i < to && expected < 0; i++) {
                expected = bytes[i] == '\n' ? i : -1;
            }
            assertEquals(expected, EventReader.indexOfNewline(bytes, from, to));
        }
    }

    /**
     * A line without end (a file with no newline, a stream of zeros) is an error naming its line
     * in both modes, once it passes {@link EventReader#MAX_LINE_BYTES}: never a buffer that grows
     * until the memory is gone.
     */
    @org.junit.jupiter.api.Timeout(30)
    @Test
    void aLineWithoutEndIsAnErrorNotAnEndlessBuffer() throws IOException {
        String good = "1;ttbar;0.5;250000;1.0;j,300000,250000,0.5,-1.0;\n";
        Path file = dir.resolve("endless.csv");
        byte[] zeros = new byte[EventReader.MAX_LINE_BYTES + 100_000];
        Files.write(file, (good + good + good).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Files.write(file, zeros, java.nio.file.StandardOpenOption.APPEND);
        for (ParseMode mode : ParseMode.values()) {
            EventFormatException e = assertThrows(EventFormatException.class, () -> EventFiles.read(file, mode, -1));
            assertEquals(4, e.line(), mode.toString());
            assertTrue(e.getMessage().contains("line longer than " + EventReader.MAX_LINE_BYTES + " bytes"), e.getMessage());
        }
    }

    /** A named pipe (as bash's <(zcat file.gz) gives) and standard input ("-") read like files; a directory is bad input. */
    @org.junit.jupiter.api.Timeout(30)
    @Test
    void pipesStandardInputAndDirectories() throws Exception {
        String text = "1;ttbar;0.5;250000;1.0;j,300000,250000,0.5,-1.0;\n2;wjets;0.5;260000;1.0;j,300000,250000,0.5,-1.0;\n";
        Path fifo = dir.resolve("events.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        Thread writer = new Thread(() -> {
            try {
                Files.writeString(fifo, text);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        assertEquals(2, EventFiles.read(fifo, ParseMode.STRICT, -1).size());
        writer.join();

        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            List<Event> events = EventFiles.read(Path.of(EventReader.STANDARD_INPUT), ParseMode.STRICT, -1);
            assertEquals(List.of("1", "2"), events.stream().map(Event::eventId).toList());
        } finally {
            System.setIn(stdin);
        }

        EventFormatException e = assertThrows(EventFormatException.class, () -> EventFiles.read(dir, ParseMode.LENIENT, -1));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    /** A bad field of a megabyte, or of terminal escape codes, gives a one-line message: at most 100 bytes quoted, escaped. */
    @Test
    void messagesQuoteAShortEscapedPieceOfTheBadField() throws IOException {
        String good = "1;ttbar;0.5;250000;1.0;j,300000,250000,0.5,-1.0;\n";
        String huge = "x".repeat(1_000_000);
        String escape = "\u001b[31mred\u001b[0m";
        for (String bad : new String[] {"2;ttbar;0.5;" + huge + ";1.0;j,3,2,0.5,-1.0;", "2;ttbar;0.5;250000;1.0;j,3," + escape + ",0.5,-1.0;",
                "2;ttbar;0.5;250000;1.0;" + huge + ",3,2,0.5,-1.0;"}) {
            Path file = write("long.csv", good + bad + "\n");
            EventFormatException e = assertThrows(EventFormatException.class, () -> EventFiles.read(file, ParseMode.STRICT, -1));
            assertTrue(e.getMessage().length() < 400, e.getMessage().length() + " characters");
            assertTrue(e.getMessage().chars().allMatch(c -> c >= 0x20 && c < 0x7f), e.getMessage());
            assertEquals(2, e.line());
        }
    }
}
