package org.darkscope.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.darkscope.event.Event;
import org.darkscope.io.EventReader;
import org.darkscope.io.ParseMode;

/**
 * Ingest throughput: parses a Dark Machines {@code .csv.gz} file into events and prints events/s
 * and MB/s (of the compressed file) on one thread, then with one file per thread on all cores.
 * Run by {@code bench/run.sh}; not a test. Usage: {@code IngestBenchmark FILE [REPEATS]}.
 */
public final class IngestBenchmark {
    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        double megabytes = Files.size(file) / 1e6;
        read(file); // warm-up: lets the JIT compile the parser
        double best = Double.MAX_VALUE;
        long events = 0;
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            events = read(file);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf("darkscope ingest 1 core: %d events in %.3f s = %.0f events/s, %.1f MB/s (gzip)%n",
                events, best, events / best, megabytes / best);

        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        long start = System.nanoTime();
        List<Future<Long>> parts = new ArrayList<>();
        for (int c = 0; c < cores; c++) {
            parts.add(pool.submit(() -> read(file)));
        }
        long total = 0;
        for (Future<Long> part : parts) {
            total += part.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        System.out.printf("darkscope ingest %d cores: %d events in %.3f s = %.0f events/s, %.1f MB/s (gzip)%n",
                cores, total, seconds, total / seconds, cores * megabytes / seconds);
        System.out.printf("RESULT ingest_1core_events_per_s %.0f%n", events / best);
        System.out.printf("RESULT ingest_allcores_events_per_s %.0f%n", total / seconds);
    }

    private static long read(Path file) {
        long n = 0;
        double checksum = 0;
        try (EventReader reader = EventReader.open(file, ParseMode.STRICT)) {
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
