package org.darkscope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.darkscope.InputException;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.event.Event;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.io.CsvOutput;
import org.darkscope.io.EventFormatException;
import org.darkscope.io.EventFiles;
import org.darkscope.io.EventReader;
import org.darkscope.io.StandardOutput;
import org.darkscope.stats.TriggerRate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code darkscope trigger run}: streaming trigger decisions. Events arrive one per line (standard
 * input, a file, or one TCP connection); each gets a decision line back, {@code
 * event_id,score,accept}, as soon as it is scored, and each accepted event's line is appended to
 * the accepted file with one write (a kill at any moment leaves only whole lines there). Reading,
 * scoring and answering run on one thread with blocking streams: a sender that does not read its
 * decisions is slowed (backpressure); no event is ever dropped. Memory is bounded whatever the
 * rate.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Streaming trigger decisions: one line 'event_id,score,accept' per event read.",
                "Accepted events are appended to --accepted as they come; at the end (and every --monitor seconds) events/s, "
                        + "the accept rate with its 68 %% interval and the latency percentiles.",
                "Example: darkscope trigger run --model ae.model --threshold 0.05 --input events.csv --accepted kept.csv > decisions.csv"})
final class TriggerRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model bundle directory.")
    Path model;

    @Option(names = "--threshold", required = true, paramLabel = "T",
            description = "Keep events with a score above T (from darkscope trigger calibrate).")
    double threshold;

    @Option(names = "--input", paramLabel = "FILE", description = "Events to decide on: a file, or - for standard input (the default).")
    Path inputFile;

    @Option(names = "--listen", paramLabel = "[HOST:]PORT",
            description = "Take the events from one TCP connection instead, on HOST (default 127.0.0.1, loopback only) and PORT; "
                    + "the decisions go back on the same connection.")
    String listen;

    @Option(names = "--accepted", required = true, paramLabel = "OUT", description = "File the accepted events are appended to.")
    Path accepted;

    @Option(names = "--monitor", paramLabel = "SECONDS", description = "Also print the figures every SECONDS seconds while events flow.")
    Double monitorSeconds;

    @Option(names = "--json", paramLabel = "OUT", description = "Write the final figures as JSON.")
    Path json;

    @Mixin
    InputOptions input;

    @Override
    public Integer call() throws IOException {
        if (inputFile != null && listen != null) {
            throw new UsageException("give --input or --listen, not both");
        }
        if (!Double.isFinite(threshold)) {
            throw new UsageException("--threshold must be a finite number");
        }
        if (monitorSeconds != null && !(monitorSeconds > 0)) {
            throw new UsageException("--monitor must be a positive number of seconds");
        }
        List<Path> inputs = new ArrayList<>(List.of(model));
        if (inputFile != null && !inputFile.toString().equals(EventReader.STANDARD_INPUT)) {
            inputs.add(inputFile);
        }
        OutputGuard.requireModel(model);
        OutputGuard.requireSeparate("--json", json, "--accepted", accepted, null);
        OutputGuard.check(accepted, OutputGuard.Kind.DATA, true, inputs); // appended to: nothing is lost by going on
        OutputGuard.checkResult(json, OutputGuard.Kind.RESULT_FILE, inputs);
        PrintWriter err = spec.commandLine().getErr();
        Figures figures = new Figures();
        try (TrainedModel loaded = ModelBundle.load(model);
             FileChannel keep = FileChannel.open(accepted, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            if (listen != null) {
                try (ServerSocket server = new ServerSocket()) {
                    server.bind(address(listen), 1);
                    err.println("darkscope trigger run: listening on " + server.getLocalSocketAddress() + " for one connection");
                    err.flush();
                    try (Socket socket = server.accept()) {
                        socket.setTcpNoDelay(true);
                        InputStream events = socket.getInputStream();
                        Path name = Path.of("(connection from " + socket.getRemoteSocketAddress() + ")");
                        decide(loaded, () -> EventReader.open(events, name, input.mode()), socket.getOutputStream(), keep, err, figures);
                    }
                }
            } else {
                Path file = inputFile == null ? Path.of(EventReader.STANDARD_INPUT) : inputFile;
                PrintWriter out = spec.commandLine().getOut();
                out.flush();
                // the process's standard output unbuffered by System.out, whose PrintStream would swallow a failed write;
                // watched, to tell the decisions' failure from the input's and the accepted file's
                StandardOutput.Watched answers = new StandardOutput.Watched(out instanceof Main.ProcessOutput ? StandardOutput.open()
                        : new WriterStream(out));
                try {
                    decide(loaded, () -> EventReader.open(file, input.mode(), false), answers, keep, err, figures);
                } catch (IOException e) {
                    if (answers.failure() != e) {
                        throw e;
                    }
                    if (!StandardOutput.closedByReader(e)) {
                        throw new java.io.UncheckedIOException("cannot write the decisions to standard output: " + e.getMessage(), e);
                    }
                    err.println("darkscope trigger run: standard output was closed by its reader, stopped after " + figures.events + " events");
                }
            }
        } catch (IOException | RuntimeException e) {
            if (figures.events > 0) { // what the run did before it failed, for the one who must start it again
                err.print(figures.skipped());
                err.println(figures.describe() + ", before the error below");
                err.flush();
            }
            throw e;
        }
        err.print(figures.skipped());
        err.println(figures.describe());
        err.flush();
        if (json != null) {
            ObjectNode root = Json.object();
            root.put("events", figures.events);
            root.put("accepted", figures.accepted);
            root.put("bad_lines", figures.input == null ? 0 : figures.input.badLineCount());
            root.put("events_per_second", figures.eventsPerSecond());
            double[] interval = TriggerRate.clopperPearson(figures.accepted, Math.max(1, figures.events));
            root.putArray("accept_fraction_interval").add(interval[0]).add(interval[1]);
            ObjectNode latency = root.putObject("latency_us");
            latency.put("p50", figures.latencies.percentileMicros(0.5));
            latency.put("p99", figures.latencies.percentileMicros(0.99));
            latency.put("p999", figures.latencies.percentileMicros(0.999));
            Json.write(json, root);
        }
        return Main.EXIT_OK;
    }

    /** {@code [HOST:]PORT}, the host 127.0.0.1 unless given. */
    static InetSocketAddress address(String listen) throws IOException {
        int colon = listen.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : listen.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UsageException("--listen " + listen + ": the port must be a number, as in 127.0.0.1:5555");
        }
        if (port < 0 || port > 65535) {
            throw new UsageException("--listen " + listen + ": no such port");
        }
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    /** Reads, scores and answers event after event until the input ends, counting into {@code figures}. */
    private void decide(TrainedModel model, java.util.function.Supplier<EventReader> events, OutputStream answers, FileChannel keep,
                        PrintWriter err, Figures figures) throws IOException {
        CsvOutput decisions = new CsvOutput(answers);
        float[] row = new float[model.encoder().size()]; // one event's features, reused: no allocation per event
        FeatureBatch one = new FeatureBatch(row, 1, model.encoder().encoding().shape());
        long monitorNanos = monitorSeconds == null ? 0 : (long) (monitorSeconds * 1e9);
        long nextMonitor = monitorSeconds == null ? Long.MAX_VALUE : System.nanoTime() + monitorNanos;
        try (EventReader reader = events.get()) {
            figures.input = reader;
            while (true) {
                boolean ready = reader.lineBuffered();
                long start = System.nanoTime();
                if (!reader.hasNext()) {
                    break;
                }
                if (!ready) {
                    start = System.nanoTime(); // the line had to be waited for: count from its arrival in the buffer
                }
                Event event = reader.next();
                byte[] line = reader.line();
                model.encoder().encode(event, row, 0);
                float score = model.detector().score(one)[0];
                if (!Float.isFinite(score)) {
                    throw new InputException(reader.report().file() + ": event " + (figures.events + 1) + " (" + event.eventId() + "): "
                            + model.detector().name() + " gave it the score " + score + "; no decision made");
                }
                boolean accept = score > threshold;
                decisions.text(CsvOutput.field(event.eventId())).ascii(',').number(score).ascii(',').ascii(accept ? '1' : '0').ascii('\n');
                if (accept) {
                    keepWhole(keep, line, accepted, figures.accepted);
                    figures.accepted++;
                }
                if (!reader.inputWaiting()) {
                    decisions.flush(); // nothing more waiting: the decisions go out now
                }
                long end = System.nanoTime();
                figures.add(end - start, end);
                if (end >= nextMonitor) {
                    err.println(figures.describe());
                    err.flush();
                    nextMonitor = end + monitorNanos;
                }
            }
            decisions.flush();
        } catch (EventFormatException e) {
            decisions.flush();
            if (figures.events == 0 && e.line() == 0 && e.getMessage() != null && e.getMessage().contains("no events")) {
                return; // an empty stream: nothing to decide
            }
            throw e;
        }
    }

    /**
     * Appends an accepted event's line with one write (a kill leaves whole lines only); a write that
     * fails part-way (a full disk) is taken back, so that the file holds whole lines still.
     */
    static void keepWhole(java.nio.channels.SeekableByteChannel keep, byte[] line, Path accepted, long acceptedBefore) throws IOException {
        ByteBuffer whole = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
        try {
            while (whole.hasRemaining()) {
                keep.write(whole);
            }
        } catch (IOException e) {
            try {
                keep.truncate(keep.size() - whole.position()); // the line's bytes written: no size asked per event
            } catch (IOException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw new java.io.UncheckedIOException("cannot append to " + accepted + ": " + e.getMessage() + " (the "
                    + acceptedBefore + " events this run accepted before are in it, whole)", e);
        }
    }

    /** What a run did: events, accepted, the wall time from the first event to the last decision, latencies. */
    private static final class Figures {
        long events;
        long accepted;
        long first;
        long last;
        final Latencies latencies = new Latencies();
        /** The events' reader, which counts the lines --skip-bad-lines skipped; null before it opens. */
        EventReader input;

        /** The lines skipped and why ({@link EventFiles#describeSkipped}), "" where none was. */
        String skipped() {
            return input == null ? "" : EventFiles.describeSkipped(List.of(input.report()));
        }

        void add(long latency, long now) {
            if (events == 0) {
                first = now - latency;
            }
            events++;
            last = now;
            latencies.add(latency);
        }

        double eventsPerSecond() {
            return events == 0 || last == first ? 0 : events / ((last - first) / 1e9);
        }

        String describe() {
            double[] interval = TriggerRate.clopperPearson(accepted, Math.max(1, events));
            return String.format(Locale.ROOT, "trigger: %d events, %d accepted (%.4g, 68 %% interval %.4g - %.4g), %.0f events/s, "
                            + "latency p50 %.1f us, p99 %.1f us, p99.9 %.1f us", events, accepted, events == 0 ? 0.0 : (double) accepted / events,
                    interval[0], interval[1], eventsPerSecond(), latencies.percentileMicros(0.5), latencies.percentileMicros(0.99),
                    latencies.percentileMicros(0.999));
        }
    }

    /**
     * The decisions' bytes, UTF-8, handed to a writer (the command line's standard output): whole
     * lines whenever 64 KB are pending (memory stays bounded), everything at a flush.
     */
    private static final class WriterStream extends OutputStream {
        private static final int PENDING = 1 << 16;
        private final Writer writer;
        private byte[] pending = new byte[PENDING];
        private int used;

        WriterStream(Writer writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (used + len > pending.length) {
                pending = java.util.Arrays.copyOf(pending, Math.max(2 * pending.length, used + len));
            }
            System.arraycopy(b, off, pending, used, len);
            used += len;
            if (used >= PENDING) {
                int end = used;
                while (end > 0 && pending[end - 1] != '\n') {
                    end--;
                }
                hand(end); // whole lines only: a character's bytes are never split
            }
        }

        private void hand(int end) throws IOException {
            writer.write(new String(pending, 0, end, StandardCharsets.UTF_8));
            System.arraycopy(pending, end, pending, 0, used - end);
            used -= end;
        }

        @Override
        public void flush() throws IOException {
            hand(used);
            writer.flush();
        }
    }
}
