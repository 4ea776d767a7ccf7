package org.darkscope.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import java.util.zip.GZIPInputStream;
import org.darkscope.event.Event;
import org.darkscope.io.EventReader;
import org.darkscope.io.GzipDecoder;
import org.darkscope.io.ParseMode;

/**
 * Ingest throughput: decompresses a Dark Machines {@code .csv.gz} file alone (darkscope's decoder
 * and the JDK's zlib, for the fraction of gzip's speed that reading reaches), then parses it into
 * events and prints events/s and MB/s (of the compressed file) three ways: as darkscope reads a
 * file (gzip inflated on a second thread when there is a core for it), everything on one thread,
 * and one file per thread on all cores. Run by {@code bench/run.sh}; not a test. Usage: {@code IngestBenchmark FILE [REPEATS]}.
 */
public final class IngestBenchmark {
    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        double megabytes = Files.size(file) / 1e6;
        int cores = Runtime.getRuntime().availableProcessors();
        read(file, true); // warm-up: lets the JIT compile the parser
        double ours = best(repeats, () -> inflate(file, true)).rate() / 1e6;
        double zlib = best(repeats, () -> inflate(file, false)).rate() / 1e6;
        System.out.printf("gzip alone, one thread: darkscope's GzipDecoder %.0f MB/s, the JDK's zlib %.0f MB/s (uncompressed)%n",
                ours, zlib);
        System.out.printf("RESULT gzip_decoder_mb_per_s %.0f%nRESULT jdk_zlib_mb_per_s %.0f%n", ours, zlib);
        report("darkscope ingest (inflating ahead)", "ingest", best(repeats, () -> read(file, cores > 1)), megabytes);
        report("darkscope ingest 1 thread", "ingest_1thread", best(repeats, () -> read(file, false)), megabytes);
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        try {
            report("darkscope ingest, " + cores + " files on " + cores + " cores", "ingest_allcores",
                    best(repeats, () -> readOnEachCore(pool, file, cores)), cores * megabytes);
        } finally {
            pool.shutdown();
        }
    }

    /** Reads {@code file} once on each of {@code cores} threads at the same time; all events read. */
    private static long readOnEachCore(ExecutorService pool, Path file, int cores) {
        List<Future<Long>> parts = new ArrayList<>();
        for (int c = 0; c < cores; c++) {
            parts.add(pool.submit(() -> read(file, false)));
        }
        long total = 0;
        try {
            for (Future<Long> part : parts) {
                total += part.get();
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return total;
    }

    /** How many (events or bytes) in how long. */
    private record Timing(long count, double seconds) {
        double rate() {
            return count / seconds;
        }
    }

    /** The fastest of {@code repeats} runs of {@code read}, which returns what it counted (events or bytes). */
    private static Timing best(int repeats, LongSupplier read) {
        Timing best = null;
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            long count = read.getAsLong();
            Timing timing = new Timing(count, (System.nanoTime() - start) / 1e9);
            if (best == null || timing.seconds() < best.seconds()) {
                best = timing;
            }
        }
        return best;
    }

    private static void report(String what, String key, Timing timing, double megabytes) {
        System.out.printf("%s: %d events in %.3f s = %.0f events/s, %.1f MB/s (gzip)%n", what, timing.count(),
                timing.seconds(), timing.rate(), megabytes / timing.seconds());
        System.out.printf("RESULT %s_events_per_s %.0f%n", key, timing.rate());
    }

    /** Decompresses {@code file} with darkscope's decoder or the JDK's zlib; returns the bytes out. */
    private static long inflate(Path file, boolean darkscope) {
        byte[] buffer = new byte[1 << 18];
        long bytes = 0;
        try (InputStream in = darkscope ? new GzipDecoder(Files.newInputStream(file))
                : new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                bytes += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }

    private static long read(Path file, boolean inflateAhead) {
        long n = 0;
        double checksum = 0;
        try (EventReader reader = EventReader.open(file, ParseMode.STRICT, inflateAhead)) {
            while (reader.hasNext()) {
                Event e = reader.next();
                checksum += e.met();
                n++;
            }
        }
        if (Double.isNaN(checksum)) {
            throw new IllegalStateException("unexpected NaN");
        }
        return n;
    }
}
