package org.darkscope.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.darkscope.io.AtomicFile;
import org.darkscope.io.EventReader;
import org.darkscope.io.EventWriter;
import org.darkscope.io.ParseMode;

/**
 * A seeded random sample of distributed events, for training on one machine what the cluster
 * then scores: each event is kept when a hash of the seed and the event's fingerprint (its MET
 * and objects, {@link org.darkscope.event.Event#fingerprint}) falls below the fraction, so the
 * sample is the same whatever the partitioning, the number of executors, the files' names and
 * order, or the format: a CSV data set and its Parquet conversion give the same events, in the
 * order of their fingerprints (a shuffle). A sample at a smaller fraction is part of one at a
 * larger. The events are written in the challenge format to one file on the driver's machine
 * (gzip-compressed where the name ends in {@code .gz}): a CSV event as its line was, a Parquet
 * one as {@link EventWriter#format} writes it.
 */
public final class DistributedSample {
    private DistributedSample() {
    }

    /** Whether the event with {@code fingerprint} is in the sample of {@code fraction} for {@code seed}. */
    static boolean kept(long seed, long fingerprint, double fraction) {
        long h = mix(seed * 0x9E3779B97F4A7C15L ^ mix(fingerprint + 0x632BE59BD9B4E019L));
        return (h >>> 11) * 0x1.0p-53 < fraction;
    }

    /** SplitMix64's finaliser (Steele, Lea, Flood 2014). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Samples the events of {@code inputs} (event files, Parquet, directories, globs) and writes
     * them to {@code out}; returns how many were kept.
     */
    public static long sample(JavaSparkContext sc, List<String> inputs, double fraction, long seed, ParseMode mode, Path out,
                                DistributedScoring.ReadCounters counters) {
        List<String> parquet = inputs.stream().filter(i -> DistributedScoring.isParquet(sc, i)).toList();
        List<String> text = inputs.stream().filter(i -> !parquet.contains(i)).toList();
        JavaRDD<KeptEvent> kept = null;
        String reading = DistributedScoring.reading(text);
        if (!text.isEmpty()) {
            kept = sc.binaryFiles(DistributedScoring.patterns(sc, text)).flatMap(file -> {
                List<KeptEvent> lines = new ArrayList<>();
                try (EventReader reader = EventReader.open(file._2().open(), DistributedScoring.localPath(file._1()), mode)) {
                    while (reader.hasNext()) {
                        long fingerprint = reader.next().fingerprint();
                        if (kept(seed, fingerprint, fraction)) {
                            lines.add(new KeptEvent(fingerprint, new String(reader.line(), StandardCharsets.UTF_8)));
                        }
                    }
                    counters.record(DistributedScoring.part(reading, file._1()), reader);
                }
                return lines.iterator();
            });
        }
        if (!parquet.isEmpty()) {
            JavaRDD<KeptEvent> fromParquet = DistributedScoring.parquetEvents(sc, parquet, mode, counters)
                    .filter(e -> kept(seed, e.fingerprint(), fraction))
                    .map(e -> new KeptEvent(e.fingerprint(), EventWriter.format(e)));
            kept = kept == null ? fromParquet : kept.union(fromParquet);
        }
        long written = 0;
        try (AtomicFile file = AtomicFile.create(out)) {
            OutputStream stream = out.toString().endsWith(".gz") ? EventWriter.gzip(file.stream()) : file.stream();
            for (Iterator<KeptEvent> it = kept.sortBy(e -> e, true, kept.getNumPartitions()).toLocalIterator(); it.hasNext(); ) {
                stream.write(it.next().line().getBytes(StandardCharsets.UTF_8));
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

    /** A kept event's line, ordered by its fingerprint, then (two events alike in MET and objects) by its text. */
    record KeptEvent(long fingerprint, String line) implements Comparable<KeptEvent>, java.io.Serializable {
        @Override
        public int compareTo(KeptEvent other) {
            int byFingerprint = Long.compare(fingerprint, other.fingerprint);
            return byFingerprint != 0 ? byFingerprint : line.compareTo(other.line);
        }
    }
}
