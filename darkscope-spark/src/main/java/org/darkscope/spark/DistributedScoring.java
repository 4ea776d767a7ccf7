package org.darkscope.spark;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.functions;
import org.darkscope.Pipeline;
import org.darkscope.bundle.EventFingerprints;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.cli.TrainingOverlap;
import org.darkscope.InputException;
import org.darkscope.detect.CombinedDetector;
import org.darkscope.event.Event;
import org.darkscope.io.BadLine;
import org.darkscope.io.EventReader;
import org.darkscope.io.LookAhead;
import org.darkscope.select.Channel;
import org.darkscope.select.SelectedEvents;
import org.darkscope.io.ParseMode;

/**
 * Scores Dark Machines files on a cluster: every file is one task that streams it through the
 * same reader as the command line (so strict mode fails the job naming file and line, and lenient
 * mode counts skipped lines, once for each file however often Spark reads it), in the same chunks, so scores are identical to
 * {@code darkscope score}'s.
 */
public final class DistributedScoring {
    /**
     * What reading found, counted on the executors once for each part of the input read
     * ({@link OncePerPart}), reported on the driver: skipped lines (count and first messages), and
     * the events outside the model's channel that a judgement left out.
     */
    public record ReadCounters(OncePerPart<Skipped> skipped, OncePerPart<Long> outsideChannel) implements java.io.Serializable {
        /** Adds what {@code reader} skipped, named as strict mode and the command line name it, the part named {@code part}. */
        void record(String part, EventReader reader) {
            List<String> first = new ArrayList<>();
            for (BadLine bad : reader.badLines()) {
                first.add(bad.toString());
            }
            skipped.add(new OncePerPart.Part<>(part, new Skipped(reader.badLineCount(), first)));
        }

        /** The lines skipped in every part. */
        public long skippedLines() {
            return skipped.value().values().stream().mapToLong(Skipped::count).sum();
        }

        /** The problems of the first {@value EventReader#MAX_REPORTED_BAD_LINES} skipped lines, part by part. */
        public List<String> firstSkipped() {
            return skipped.value().values().stream().flatMap(s -> s.first().stream()).limit(EventReader.MAX_REPORTED_BAD_LINES).toList();
        }

        /** The events of every part that lie outside the model's channel. */
        public long outside() {
            return outsideChannel.value().values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * The lines one part skipped: how many, and the problems of the first
     * {@value EventReader#MAX_REPORTED_BAD_LINES}, each naming file and line.
     */
    public record Skipped(long count, List<String> first) implements java.io.Serializable {
        public Skipped {
            first = List.copyOf(first);
        }
    }

    /**
     * A short name for one reading of {@code inputs}, made on the driver: the parts read for it
     * ({@link #part}) are told from another reading's, whatever the number of inputs.
     */
    static String reading(List<String> inputs) {
        return Integer.toHexString(String.join("\n", inputs).hashCode());
    }

    /** The name of one part of a reading ({@link #reading}): one of its files, or a partition of its Parquet rows. */
    static String part(String reading, String part) {
        return reading + " " + part;
    }

    private DistributedScoring() {
    }

    /**
     * Ships the bundle to the executors and returns the name to load it by. A bundle on shared
     * storage (hdfs://, s3a://, ...) is shipped as the directory it is; a local one as a zip archive
     * that Spark unpacks on every executor (Spark ships a local directory in local mode only: on a
     * cluster it refuses it).
     *
     * @param model the bundle directory, local or on shared storage
     */
    public static String shipModel(JavaSparkContext sc, String model) {
        URI uri = new org.apache.hadoop.fs.Path(model).toUri(); // Hadoop's parser takes a path with spaces, which a URI may not hold
        if (uri.getScheme() != null && !uri.getScheme().equals("file")) {
            sc.sc().addFile(model, true);
            return Path.of(uri.getPath()).getFileName().toString();
        }
        Path local = uri.getScheme() == null ? Path.of(model) : Path.of(uri);
        Path archive = BundleArchive.zip(local);
        sc.sc().addArchive(archive.toString());
        return archive.getFileName().toString();
    }

    /**
     * How many events of one sample are among the model's training events, counted on the
     * executors from the bundle's fingerprints ({@link EventFingerprints}), once for each part of
     * the sample read ({@link OncePerPart}), checked on the driver.
     */
    public record TrainingOverlapCounters(OncePerPart<EventFingerprints.Overlap> parts) implements java.io.Serializable {
        public static TrainingOverlapCounters of(JavaSparkContext sc) {
            return new TrainingOverlapCounters(registered(sc, "training events"));
        }

        /** What the executors counted. */
        public EventFingerprints.Overlap overlap() {
            long checked = 0;
            long found = 0;
            int level = 0;
            for (EventFingerprints.Overlap part : parts.value().values()) {
                checked += part.checked();
                found += part.found();
                level = part.level(); // every part read the one bundle's fingerprints, at its one level
            }
            return new EventFingerprints.Overlap(checked, found, level);
        }
    }

    public static ReadCounters counters(JavaSparkContext sc) {
        return new ReadCounters(registered(sc, "bad lines"), registered(sc, "events outside the channel, left out"));
    }

    private static <V extends java.io.Serializable> OncePerPart<V> registered(JavaSparkContext sc, String name) {
        OncePerPart<V> counts = new OncePerPart<>();
        sc.sc().register(counts, name);
        return counts;
    }

    /**
     * Every event of {@code inputs} scored, none tested (as {@code darkscope score}): files and
     * globs as given, directories as their {@code *.csv} and {@code *.gz} files (so a data card or
     * Spark's own marker files beside the data are not read as events); with {@code members}, a
     * combined model's members' -log10 p beside each score ({@link CombinedDetector#scoreWithMembers}).
     */
    public static JavaRDD<ScoredEvent> score(JavaSparkContext sc, List<String> inputs, String modelName, ParseMode mode,
                                             ReadCounters counters, boolean members) {
        return scored(sc, inputs, modelName, mode, counters, null, members);
    }

    /**
     * The events of {@code inputs} that a judgement reads: those in the model's channel scored (the
     * others counted in {@code counters}), and in {@code overlap} those the model was trained on
     * (where that would flatter it, {@link TrainingOverlap#appliesTo}).
     */
    public static JavaRDD<ScoredEvent> judged(JavaSparkContext sc, List<String> inputs, String modelName, ParseMode mode,
                                              ReadCounters counters, TrainingOverlapCounters overlap) {
        return scored(sc, inputs, modelName, mode, counters, overlap, false);
    }

    /** Every event scored where {@code overlap} is null, else the judged events ({@link #judged}). */
    private static JavaRDD<ScoredEvent> scored(JavaSparkContext sc, List<String> inputs, String modelName, ParseMode mode,
                                               ReadCounters counters, TrainingOverlapCounters overlap, boolean members) {
        List<String> parquet = inputs.stream().filter(i -> isParquet(sc, i)).toList();
        List<String> text = inputs.stream().filter(i -> !parquet.contains(i)).toList();
        JavaRDD<ScoredEvent> scored = null;
        if (!text.isEmpty()) {
            String reading = reading(text);
            scored = sc.binaryFiles(patterns(sc, text)).flatMap(file -> {
                InputStream in = file._2().open();
                String name = file._1();
                String part = part(reading, name);
                EventReader reader = EventReader.open(in, localPath(name), mode);
                return new ChunkScorer(reader, () -> name, part, modelName, counters, overlap, () -> {
                    counters.record(part, reader);
                    reader.close();
                }, true, members);
            });
        }
        if (!parquet.isEmpty()) {
            JavaRDD<ScoredEvent> fromParquet = parquetReading(sc, parquet, mode, counters, (part, events) ->
                    new ChunkScorer(events, events::file, part, modelName, counters, overlap, () -> { }, false, members));
            scored = scored == null ? fromParquet : scored.union(fromParquet);
        }
        return scored;
    }

    /** The events of Parquet inputs, checked as {@link #score} checks them. */
    static JavaRDD<Event> parquetEvents(JavaSparkContext sc, List<String> parquet, ParseMode mode, ReadCounters counters) {
        return parquetReading(sc, parquet, mode, counters, (part, events) -> events);
    }

    /**
     * Each partition of the rows of Parquet inputs as events ({@link ParquetEvents}, counted as the
     * part named by the second argument), turned into what {@code then} makes of them. Spark's
     * internal rows are read in place, not the Row objects its deserializer would make of every
     * value (one per object of every event): 2.4x the rate reading Parquet.
     */
    private static <T> JavaRDD<T> parquetReading(JavaSparkContext sc, List<String> parquet, ParseMode mode, ReadCounters counters,
                                                 org.apache.spark.api.java.function.Function2<String, ParquetEvents, Iterator<T>> then) {
        Dataset<Row> rows = parquetRows(sc, parquet);
        int fileColumn = rows.schema().fieldIndex(FILE_COLUMN);
        String reading = reading(parquet);
        return rows.queryExecution().toRdd().toJavaRDD().mapPartitionsWithIndex((index, partition) -> {
            String part = part(reading, "partition " + index);
            return then.call(part, new ParquetEvents(partition, fileColumn, mode, counters, part));
        }, false);
    }

    /** The rows of Parquet inputs (each that exists as named read literally), each with its file's name in {@link #FILE_COLUMN}. */
    private static Dataset<Row> parquetRows(JavaSparkContext sc, List<String> parquet) {
        return SparkSession.builder().sparkContext(sc.sc()).getOrCreate().read().schema(EventParquet.SCHEMA)
                .parquet(parquet.stream().map(p -> status(sc, p) == null ? p : globLiteral(p)).toArray(String[]::new))
                .withColumn(FILE_COLUMN, functions.input_file_name());
    }

    /** The column holding each Parquet row's file. */
    private static final String FILE_COLUMN = "_darkscope_file";

    /** Whether {@code input} holds events as Parquet: a {@code .parquet} path, or a directory of {@code .parquet} files. */
    static boolean isParquet(JavaSparkContext sc, String input) {
        if (input.replaceAll("/+$", "").endsWith(".parquet")) {
            return true;
        }
        org.apache.hadoop.fs.FileStatus status = status(sc, input);
        if (status == null || !status.isDirectory()) {
            return false;
        }
        org.apache.hadoop.fs.Path pattern = new org.apache.hadoop.fs.Path(globLiteral(input.replaceAll("/+$", "")) + "/*.parquet");
        try {
            org.apache.hadoop.fs.FileStatus[] found = pattern.getFileSystem(sc.hadoopConfiguration()).globStatus(pattern);
            return found != null && found.length > 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot reach " + input + ": " + e.getMessage(), e);
        }
    }

    /**
     * Events of Parquet rows, checked as the CSV reader checks them: strict mode fails on a bad
     * row naming file and event, lenient mode skips and counts it, adding the count to
     * {@code counters} as the part {@code part} once the rows are exhausted.
     */
    private static final class ParquetEvents extends LookAhead<Event> {
        private final Iterator<InternalRow> rows;
        private final int fileColumn;
        private final ParseMode mode;
        private final ReadCounters counters;
        private final String part;
        private long skipped;
        private final List<String> firstSkipped = new ArrayList<>();
        private boolean counted;
        private String nextFile;
        private String file;
        private org.apache.spark.unsafe.types.UTF8String lastFileName;
        private String lastFile;

        ParquetEvents(Iterator<InternalRow> rows, int fileColumn, ParseMode mode, ReadCounters counters, String part) {
            this.rows = rows;
            this.fileColumn = fileColumn;
            this.mode = mode;
            this.counters = counters;
            this.part = part;
        }

        /** The file of the event returned last. */
        String file() {
            return file;
        }

        @Override
        protected Event advance() {
            while (rows.hasNext()) {
                InternalRow row = rows.next();
                org.apache.spark.unsafe.types.UTF8String fileName = row.getUTF8String(fileColumn);
                if (!fileName.equals(lastFileName)) { // a file's rows come together: its name decoded once
                    lastFileName = fileName.clone(); // the row's bytes are reused for the next row
                    lastFile = lastFileName.toString();
                }
                try {
                    Event event = EventParquet.event(row, lastFile);
                    nextFile = lastFile;
                    return event;
                } catch (InputException e) {
                    if (mode == ParseMode.STRICT) {
                        throw e;
                    }
                    if (skipped++ < EventReader.MAX_REPORTED_BAD_LINES) {
                        firstSkipped.add(e.getMessage());
                    }
                }
            }
            if (!counted) {
                counted = true;
                counters.skipped().add(new OncePerPart.Part<>(part, new Skipped(skipped, firstSkipped)));
            }
            return null;
        }

        @Override
        protected void returned(Event element) {
            file = nextFile;
        }
    }

    /**
     * The inputs as Spark reads them, one Hadoop path list: a file that exists as named (its name
     * read literally, {@link #listEntry}), a directory as its {@code *.csv} and {@code *.gz} files, and
     * anything else as a glob, as given.
     */
    static String patterns(JavaSparkContext sc, List<String> inputs) {
        List<String> patterns = new ArrayList<>();
        for (String input : inputs) {
            org.apache.hadoop.fs.FileStatus status = status(sc, input);
            if (status == null) {
                patterns.add(input);
            } else {
                String path = listEntry(input.replaceAll("/+$", ""));
                patterns.add(status.isDirectory() ? path + "/*.{csv,gz}" : path);
            }
        }
        return String.join(",", patterns);
    }

    /**
     * {@code path} as one entry of a Hadoop path list ({@code binaryFiles}') read literally: glob
     * characters escaped ({@link #globLiteral}) and each comma, which would part the list, as the
     * one-way alternative {@code {\,}}. A name with unbalanced braces cannot be kept whole in a list
     * (Hadoop counts them before it reads escapes), and is refused.
     */
    static String listEntry(String path) {
        if (path.chars().filter(c -> c == '{').count() != path.chars().filter(c -> c == '}').count()) {
            throw new IllegalArgumentException(path + ": Spark's file lists cannot hold a path with unbalanced braces; rename it or"
                    + " link it from a path without them");
        }
        return globLiteral(path).replace(",", "{\\,}");
    }

    /**
     * {@code path} as a glob that matches it alone: each of Hadoop's glob characters escaped with a
     * backslash. A backslash itself is left alone: Windows' paths are written with it.
     */
    static String globLiteral(String path) {
        StringBuilder escaped = new StringBuilder();
        for (char c : path.toCharArray()) {
            escaped.append("*?[]{}".indexOf(c) >= 0 ? "\\" : "").append(c);
        }
        return escaped.toString();
    }

    /**
     * The path of a file Spark names by its URI ({@code binaryFiles}' keys), as the reader names it in
     * its messages; Spark writes the URI's path unescaped, so that it may hold spaces and quotes.
     */
    static Path localPath(String uri) {
        return Path.of(new org.apache.hadoop.fs.Path(uri).toUri().getPath());
    }

    /** The file or directory {@code input} names, null where none exists as named (a glob, or missing: Spark reports it). */
    private static org.apache.hadoop.fs.FileStatus status(JavaSparkContext sc, String input) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(input);
        try {
            return path.getFileSystem(sc.hadoopConfiguration()).getFileStatus(path);
        } catch (java.io.FileNotFoundException e) {
            return null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot reach " + input + ": " + e.getMessage(), e);
        }
    }

    /**
     * Scores events in chunks of {@link Pipeline#CHUNK}, as the command line does, each chunk when
     * it is needed; {@code fileOf} names the file of the event last read, {@code atEnd} runs once
     * the events are exhausted.
     */
    private static final class ChunkScorer implements Iterator<ScoredEvent> {
        private final Iterator<Event> events;
        /** The events in the model's channel where judging (the others counted), null where every event is scored. */
        private final SelectedEvents selected;
        private final ReadCounters counters;
        private final TrainingOverlapCounters overlap;
        /** Counts the scored events among the training events; null where nothing is checked. */
        private final EventFingerprints.Counter training;
        private final java.util.function.Supplier<String> fileOf;
        /** The part of the input these events are ({@link OncePerPart}). */
        private final String part;
        private final TrainedModel model;
        private final Runnable atEnd;
        /** Whether the events are one file's, in order (CSV), so that an event is named by its position. */
        private final boolean onePerFile;
        /** The combined model whose members' -log10 p go beside each score; null where not asked for. */
        private final CombinedDetector withMembers;
        private List<Event> chunk = List.of();
        private List<String> files = List.of();
        private float[] scores;
        /** Per member, the chunk's -log10 p ({@code memberScores[m][event]}); null without {@link #withMembers}. */
        private float[][] memberScores;
        private int position;
        private long index;
        private boolean done;

        /**
         * {@code overlap}: null where every event is scored, else the counters of a judgement;
         * {@code members}: each member's -log10 p too (a combined model's).
         */
        ChunkScorer(Iterator<Event> events, java.util.function.Supplier<String> fileOf, String part, String modelName,
                    ReadCounters counters, TrainingOverlapCounters overlap, Runnable atEnd, boolean onePerFile, boolean members) {
            this.onePerFile = onePerFile;
            this.fileOf = fileOf;
            this.part = part;
            this.model = ModelCache.get(modelName);
            this.withMembers = members ? (CombinedDetector) model.detector() : null;
            this.counters = counters;
            this.overlap = overlap;
            this.atEnd = atEnd;
            boolean judge = overlap != null;
            this.training = judge && TrainingOverlap.appliesTo(model.detector()) ? ModelCache.trainingEvents(modelName).counter() : null;
            this.selected = judge ? new SelectedEvents(events, Channel.byName(model.manifest().channel()), false) : null;
            this.events = selected != null ? selected : events;
        }

        @Override
        public boolean hasNext() {
            if (position < chunk.size()) {
                return true;
            }
            if (done) {
                return false;
            }
            List<Event> next = new ArrayList<>(Pipeline.CHUNK);
            List<String> nextFiles = new ArrayList<>(Pipeline.CHUNK);
            long[] nextPositions = new long[Pipeline.CHUNK];
            while (next.size() < Pipeline.CHUNK && events.hasNext()) {
                Event e = events.next();
                if (training != null) {
                    training.accept(e);
                }
                // every event read before this chunk's was returned: index counts them
                nextPositions[next.size()] = selected != null ? selected.position() : index + next.size() + 1;
                next.add(e);
                nextFiles.add(fileOf.get());
            }
            if (next.isEmpty()) {
                done = true;
                if (selected != null) {
                    counters.outsideChannel().add(new OncePerPart.Part<>(part, selected.outside()));
                }
                if (training != null) {
                    overlap.parts().add(new OncePerPart.Part<>(part, training.overlap()));
                }
                atEnd.run();
                return false;
            }
            chunk = next;
            files = nextFiles;
            if (withMembers == null) {
                scores = model.score(chunk);
            } else {
                CombinedDetector.Scores scored = withMembers.scoreWithMembers(model.encoder().encode(chunk));
                scores = scored.combined();
                memberScores = scored.members();
            }
            for (int i = 0; i < scores.length; i++) {
                if (!Float.isFinite(scores[i])) { // as on one machine: no detector writes a score that is not finite
                    String event = onePerFile ? nextPositions[i] + " of the file" : chunk.get(i).eventId();
                    throw new InputException(files.get(i) + ": event " + event + ": " + model.detector().name() + " gave it the score "
                            + scores[i] + "; its values lie outside anything the model can score (no score was written)");
                }
            }
            position = 0;
            return true;
        }

        @Override
        public ScoredEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Event e = chunk.get(position);
            String file = files.get(position);
            float[] members = null;
            if (memberScores != null) {
                members = new float[memberScores.length];
                for (int m = 0; m < members.length; m++) {
                    members[m] = memberScores[m][position];
                }
            }
            float score = scores[position++];
            return new ScoredEvent(file, index++, e.eventId(), e.processId(), e.weight(), score, members);
        }
    }
}
