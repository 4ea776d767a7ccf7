package org.darkscope.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.darkscope.io.AtomicFile;
import org.darkscope.io.EventReader;
import org.darkscope.io.ParseMode;
import scala.Tuple2;

/**
 * A seeded random sample of distributed events, for training on one machine what the cluster
 * then scores: each event is kept when a hash of the seed, its file's name and its position in
 * the file falls below the fraction, so the sample is the same whatever the partitioning, the
 * number of executors or the order of the files (the same files, seed and fraction: the same
 * events, in the order of file name and position), and a sample at a smaller fraction is part of
 * one at a larger. The events are written as they were read, in the challenge format, to one file
 * on the driver's machine (gzip-compressed where the name ends in {@code .gz}).
 */
public final class DistributedSample {
    private DistributedSample() {
    }

    /** Whether the event at {@code position} of file {@code name} is in the sample of {@code fraction} for {@code seed}. */
    static boolean kept(long seed, String name, long position, double fraction) {
        long h = seed * 0x9E3779B97F4A7C15L + name.hashCode();
        h = mix(h ^ mix(position + 0x632BE59BD9B4E019L));
        return (h >>> 11) * 0x1.0p-53 < fraction;
    }

    /** SplitMix64's finaliser (Steele, Lea, Flood 2014). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Samples the events of {@code inputs} (files, directories, globs) and writes them to
     * {@code out}; returns how many were kept.
     */
    public static long sample(JavaSparkContext sc, List<String> inputs, double fraction, long seed, ParseMode mode, Path out,
                                DistributedScoring.BadLineCounters counters) {
        for (String input : inputs) {
            if (DistributedScoring.isParquet(sc, input)) { // the sample is keyed by each event's line in its text file, and written as that line
                throw new IllegalArgumentException(input + " holds Parquet: spark sample reads event files (CSV, gzip); "
                        + "sample the files it was converted from");
            }
        }
        var kept = sc.binaryFiles(DistributedScoring.patterns(sc, inputs)).flatMapToPair(file -> {
            String name = Path.of(URI.create(file._1()).getPath()).getFileName().toString();
            List<Tuple2<Tuple2<String, Long>, String>> lines = new ArrayList<>();
            try (EventReader reader = EventReader.open(file._2().open(), Path.of(URI.create(file._1()).getPath()), mode)) {
                long position = 0;
                while (reader.hasNext()) {
                    reader.next();
                    if (kept(seed, name, position, fraction)) {
                        lines.add(new Tuple2<>(new Tuple2<>(name, position), new String(reader.line(), StandardCharsets.UTF_8)));
                    }
                    position++;
                }
                counters.record(file._1(), reader);
            }
            return lines.iterator();
        }).sortByKey(new PositionOrder(), true);
        long written = 0;
        try (AtomicFile file = AtomicFile.create(out)) {
            OutputStream stream = out.toString().endsWith(".gz") ? new GZIPOutputStream(file.stream(), 1 << 16) : file.stream();
            for (Iterator<Tuple2<Tuple2<String, Long>, String>> it = kept.toLocalIterator(); it.hasNext(); ) {
                stream.write(it.next()._2().getBytes(StandardCharsets.UTF_8));
                stream.write('\n');
                written++;
            }
            stream.flush();
            if (stream instanceof GZIPOutputStream gzip) {
                gzip.finish();
            }
            file.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
        return written;
    }

    /** Events ordered by file name, then position in the file. */
    private static final class PositionOrder implements java.util.Comparator<Tuple2<String, Long>>, java.io.Serializable {
        @Override
        public int compare(Tuple2<String, Long> a, Tuple2<String, Long> b) {
            int byName = a._1().compareTo(b._1());
            return byName != 0 ? byName : Long.compare(a._2(), b._2());
        }
    }
}
