package org.darkscope.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.darkscope.Pipeline;
import org.darkscope.bundle.EventFingerprints;
import org.darkscope.bundle.Manifest;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.detect.CombinedDetector;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;
import org.darkscope.metric.Evaluation;
import org.darkscope.metric.FiguresOfMerit;
import org.darkscope.metric.RocCurve;
import org.darkscope.metric.StatisticalErrors;
import org.darkscope.stats.DataCounts;
import org.darkscope.stats.RegionSearch;
import org.darkscope.stats.SearchSettings;
import scala.Tuple2;

/**
 * The three jobs: score to Parquet (and CSV on request), evaluate (exact ROC by a distributed sort and merge of
 * the distinct scores), search (data counted at the thresholds in one pass, statistics on the
 * driver). Each gives the same numbers as the single-machine command on the same files.
 */
public final class SparkJobs {
    /** Columns of the scores output. */
    public static final StructType SCORES_SCHEMA = new StructType()
            .add("file", DataTypes.StringType)
            .add("event_id", DataTypes.StringType)
            .add("process", DataTypes.StringType)
            .add("weight", DataTypes.DoubleType)
            .add("score", DataTypes.FloatType);

    private SparkJobs() {
    }

    /** The CSV parts of {@link #score}'s output directory {@code out} on this machine (written with {@code csv}), in order of name. */
    static List<java.nio.file.Path> csvParts(java.nio.file.Path out) throws IOException {
        try (java.util.stream.Stream<java.nio.file.Path> parts = java.nio.file.Files.list(out.resolve("csv"))) {
            return parts.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
        }
    }

    /**
     * Scores {@code inputs}; writes {@code out/parquet} and, with {@code csv}, {@code out/csv};
     * with {@code members}, after the score each member's -log10 p of a combined model, in columns
     * {@code neglog10p_MEMBER} (as {@code darkscope score --members}); returns the number of events.
     *
     * @throws IllegalArgumentException with {@code members}, where the model is not a combined one (before anything is written)
     */
    public static long score(SparkSession spark, String model, List<String> inputs, ParseMode mode, String out, boolean csv,
                             DistributedScoring.ReadCounters counters, boolean members) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        StructType schema = SCORES_SCHEMA;
        if (members) {
            Manifest manifest = manifest(sc, model);
            for (String column : CombinedDetector.memberColumns(model, manifest.detector(), manifest.hyperparameters())) {
                schema = schema.add(column, DataTypes.FloatType);
            }
        }
        int columns = schema.size();
        FileSystem fs = requireNew(sc, out);
        String name = DistributedScoring.shipModel(sc, model);
        // Spark's own rows, built here: the public route (Row objects turned into Spark's internal
        // rows by its encoder, each string encoded per row) cost 7-13 % of the job's rate on 8 M
        // events (bench/spark-score.sh). internalCreateDataFrame is Spark's API for data sources
        // (private[sql] in Scala, public to Java); Spark's version is pinned in the parent pom.
        JavaRDD<InternalRow> rows = DistributedScoring.score(sc, inputs, name, mode, counters, members).mapPartitions(events -> {
            UTF8String[] file = {null};
            String[] fileName = {null};
            return new java.util.Iterator<InternalRow>() {
                @Override
                public boolean hasNext() {
                    return events.hasNext();
                }

                @Override
                public InternalRow next() {
                    ScoredEvent e = events.next();
                    if (!e.file().equals(fileName[0])) { // one file's events come together: its name encoded once
                        fileName[0] = e.file();
                        file[0] = UTF8String.fromString(e.file());
                    }
                    Object[] row = new Object[columns];
                    row[0] = file[0];
                    row[1] = UTF8String.fromString(e.eventId());
                    row[2] = UTF8String.fromString(e.process());
                    row[3] = e.weight();
                    row[4] = e.score();
                    for (int m = 0; e.members() != null && m < e.members().length; m++) {
                        row[5 + m] = e.members()[m];
                    }
                    return new GenericInternalRow(row);
                }
            };
        });
        try {
            // Score once into Parquet; the CSV, if asked for, is converted from that: no second scoring
            // pass and no cache, which would have to hold every event of a billion-event data set.
            spark.internalCreateDataFrame(rows.rdd(), schema, false).write().mode(SaveMode.ErrorIfExists).parquet(out + "/parquet");
            if (csv) {
                spark.read().parquet(DistributedScoring.globLiteral(out + "/parquet")).write().mode(SaveMode.ErrorIfExists).option("header", "true")
                        .option("escape", "\"") // RFC 4180: a double quote inside a quoted field is doubled (Spark's default is \\")
                        .csv(out + "/csv");
            }
            return rowsInFooters(fs, sc, out + "/parquet");
        } catch (Exception failure) { // Spark throws its checked SparkException through Scala
            deleteQuietly(fs, out, failure);
            throw failure;
        }
    }

    /**
     * The manifest of the bundle {@code model}, read on the driver: from its directory here, or,
     * on a cluster's file system (hdfs://, s3a://), through Hadoop into a temporary copy.
     */
    static Manifest manifest(JavaSparkContext sc, String model) {
        if (!model.contains("://")) {
            return ModelBundle.readManifest(java.nio.file.Path.of(model));
        }
        java.nio.file.Path copy = null;
        try {
            copy = java.nio.file.Files.createTempDirectory("darkscope-manifest");
            org.apache.hadoop.fs.Path bundle = new org.apache.hadoop.fs.Path(model);
            FileSystem fs = bundle.getFileSystem(sc.hadoopConfiguration());
            for (String name : List.of(ModelBundle.MANIFEST, ModelBundle.SEAL)) {
                try (java.io.InputStream in = fs.open(new org.apache.hadoop.fs.Path(bundle, name))) {
                    java.nio.file.Files.copy(in, copy.resolve(name));
                }
            }
            return ModelBundle.readManifest(copy);
        } catch (java.io.FileNotFoundException e) {
            throw new org.darkscope.InputException(model + ": not a darkscope model bundle (" + e.getMessage() + ")", e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the manifest of " + model + ": " + e.getMessage(), e);
        } finally {
            try {
                if (copy != null) {
                    ModelBundle.deleteRecursively(copy);
                }
            } catch (java.io.IOException e) {
                // two small files left in the temporary directory: nothing the job needs
            }
        }
    }

    /**
     * The rows of the Parquet files of {@code directory}, summed from their footers on the driver:
     * no Spark job, no pass over the rows.
     */
    static long rowsInFooters(FileSystem fs, JavaSparkContext sc, String directory) {
        long rows = 0;
        try {
            for (org.apache.hadoop.fs.FileStatus file : fs.listStatus(new org.apache.hadoop.fs.Path(directory),
                    p -> p.getName().endsWith(".parquet"))) {
                try (org.apache.parquet.hadoop.ParquetFileReader reader = org.apache.parquet.hadoop.ParquetFileReader.open(
                        org.apache.parquet.hadoop.util.HadoopInputFile.fromStatus(file, sc.hadoopConfiguration()))) {
                    rows += reader.getRecordCount();
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the footers of " + directory + ": " + e.getMessage(), e);
        }
        return rows;
    }

    /**
     * Converts event files to Parquet ({@link EventParquet#SCHEMA}) in {@code out}, one task per
     * file, through the same reader as every job; returns the number of events written.
     */
    public static long convert(SparkSession spark, List<String> inputs, ParseMode mode, String out,
                               DistributedScoring.ReadCounters counters) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        FileSystem fs = requireNew(sc, out);
        String reading = DistributedScoring.reading(inputs);
        JavaRDD<Row> rows = sc.binaryFiles(DistributedScoring.patterns(sc, inputs)).flatMap(file -> {
            org.darkscope.io.EventReader reader = org.darkscope.io.EventReader.open(file._2().open(),
                    DistributedScoring.localPath(file._1()), mode);
            Iterator<Row> converted = EventParquet.rows(reader);
            return new Iterator<Row>() {
                private boolean finished;

                @Override
                public boolean hasNext() {
                    boolean more = converted.hasNext();
                    if (!more && !finished) {
                        finished = true;
                        counters.record(DistributedScoring.part(reading, file._1()), reader);
                        reader.close();
                    }
                    return more;
                }

                @Override
                public Row next() {
                    return converted.next();
                }
            };
        });
        try {
            spark.createDataFrame(rows, EventParquet.SCHEMA).write().mode(SaveMode.ErrorIfExists).parquet(out);
            return spark.read().parquet(DistributedScoring.globLiteral(out)).count(); // from the footers
        } catch (Exception failure) { // Spark throws its checked SparkException through Scala
            deleteQuietly(fs, out, failure);
            throw failure;
        }
    }

    /** The file system of {@code out}, refusing an {@code out} that exists. */
    private static FileSystem requireNew(JavaSparkContext sc, String out) {
        org.apache.hadoop.fs.Path outPath = new org.apache.hadoop.fs.Path(out);
        try {
            FileSystem fs = outPath.getFileSystem(sc.hadoopConfiguration());
            if (fs.exists(outPath)) {
                throw new IllegalArgumentException(out + " exists; choose a new output directory");
            }
            return fs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + out + ": " + e.getMessage(), e);
        }
    }

    /** A failed job leaves no half-written output. */
    private static void deleteQuietly(FileSystem fs, String out, Exception failure) {
        try {
            fs.delete(new org.apache.hadoop.fs.Path(out), true);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Called with each sample and how many of its events the model was trained on, once they are
     * counted: to refuse judging a model on its own training events, or to say so.
     */
    public interface OverlapCheck {
        void check(String sample, EventFingerprints.Overlap overlap);
    }

    /**
     * The figures of merit of every signal against the background, computed distributed; with
     * {@code weighted}, every event counts by its weight (a negative one against its sample, whose
     * total must be positive, or the job is refused naming it), the errors from the groups' weights
     * squared and the limits from Kish's effective number of signal events, as on one machine.
     */
    public static Evaluation evaluate(SparkSession spark, String model, String detector, String background, List<String> signals,
                                      ParseMode mode, boolean weighted, DistributedScoring.ReadCounters counters, OverlapCheck overlapCheck) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String name = DistributedScoring.shipModel(sc, model);
        DistributedScoring.TrainingOverlapCounters backgroundOverlap = DistributedScoring.TrainingOverlapCounters.of(sc);
        JavaPairRDD<Float, double[]> backgroundGroups = groups(DistributedScoring.judged(sc, List.of(background), name, mode,
                counters, backgroundOverlap), true, weighted).cache();
        double[] backgroundTotals = totals(backgroundGroups);
        overlapCheck.check(background, backgroundOverlap.overlap());
        if (weighted) {
            Pipeline.requirePositiveTotal(background, (long) backgroundTotals[BACKGROUND_EVENTS], backgroundTotals[BACKGROUND_WEIGHT]);
        }
        List<Evaluation.Signal> results = new ArrayList<>();
        for (String signal : signals) {
            DistributedScoring.TrainingOverlapCounters signalOverlap = DistributedScoring.TrainingOverlapCounters.of(sc);
            JavaPairRDD<Float, double[]> signalGroups = groups(DistributedScoring.judged(sc, List.of(signal), name, mode,
                    counters, signalOverlap), false, weighted).cache();
            JavaPairRDD<Float, double[]> merged = backgroundGroups.union(signalGroups).reduceByKey(SparkJobs::sum).sortByKey(false);
            double[] signalTotals = totals(signalGroups);
            overlapCheck.check(signal, signalOverlap.overlap());
            if (weighted) {
                Pipeline.requirePositiveTotal(signal, (long) signalTotals[SIGNAL_EVENTS], signalTotals[SIGNAL_WEIGHT]);
            }
            Iterator<Tuple2<Float, double[]>> sorted = merged.toLocalIterator();
            java.util.stream.DoubleStream.Builder backgroundSquares = java.util.stream.DoubleStream.builder();
            java.util.stream.DoubleStream.Builder signalSquares = java.util.stream.DoubleStream.builder();
            Iterator<double[]> descending = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return sorted.hasNext();
                }

                @Override
                public double[] next() {
                    Tuple2<Float, double[]> t = sorted.next();
                    if (weighted) { // in the order the curve reads the groups
                        backgroundSquares.add(t._2()[BACKGROUND_SQUARES]);
                        signalSquares.add(t._2()[SIGNAL_SQUARES]);
                    }
                    return new double[] {t._1(), t._2()[BACKGROUND_WEIGHT], t._2()[SIGNAL_WEIGHT]};
                }
            };
            long backgroundEvents = (long) backgroundTotals[weighted ? BACKGROUND_EVENTS : BACKGROUND_WEIGHT];
            long signalEvents = (long) signalTotals[weighted ? SIGNAL_EVENTS : SIGNAL_WEIGHT];
            RocCurve roc = RocCurve.fromGroups(descending, backgroundEvents, signalEvents, weighted
                    ? Evaluation.kish(backgroundTotals[BACKGROUND_WEIGHT], backgroundTotals[BACKGROUND_SQUARES]) : backgroundEvents);
            StatisticalErrors errors = weighted // no scores kept to draw replicates from: the asymptotic formulas
                    ? StatisticalErrors.asymptotic(roc, relative(backgroundSquares, backgroundTotals[BACKGROUND_WEIGHT]),
                            relative(signalSquares, signalTotals[SIGNAL_WEIGHT]))
                    : StatisticalErrors.asymptotic(roc);
            double effectiveSignalEvents = weighted ? Evaluation.kish(signalTotals[SIGNAL_WEIGHT], signalTotals[SIGNAL_SQUARES]) : signalEvents;
            results.add(new Evaluation.Signal(EventFiles.sampleName(java.nio.file.Path.of(signal)), new float[0], null, roc,
                    FiguresOfMerit.of(roc), errors, effectiveSignalEvents));
            signalGroups.unpersist();
        }
        backgroundGroups.unpersist();
        return new Evaluation(detector, background, new float[0], null, results);
    }

    /** Where a group's figures lie in its array: weights, weights squared and events, of background and of signal. */
    private static final int BACKGROUND_WEIGHT = 0;
    private static final int SIGNAL_WEIGHT = 1;
    private static final int BACKGROUND_SQUARES = 2;
    private static final int SIGNAL_SQUARES = 3;
    private static final int BACKGROUND_EVENTS = 4;
    private static final int SIGNAL_EVENTS = 5;

    /**
     * Events per distinct score: (score, {background events, signal events}), or where
     * {@code weighted} (score, {background weight, signal weight, their squares, background events,
     * signal events}): the squares and the counts only where they differ from the weights, so that
     * an unweighted evaluation shuffles two numbers a group.
     */
    private static JavaPairRDD<Float, double[]> groups(JavaRDD<ScoredEvent> scored, boolean background, boolean weighted) {
        return scored.mapToPair(e -> {
            double[] g = new double[weighted ? 6 : 2];
            double w = weighted ? e.weight() : 1;
            g[background ? BACKGROUND_WEIGHT : SIGNAL_WEIGHT] = w;
            if (weighted) {
                g[background ? BACKGROUND_SQUARES : SIGNAL_SQUARES] = w * w;
                g[background ? BACKGROUND_EVENTS : SIGNAL_EVENTS] = 1;
            }
            return new Tuple2<>(normalised(e.score()), g);
        }).reduceByKey(SparkJobs::sum);
    }

    private static double[] sum(double[] a, double[] b) {
        double[] s = new double[a.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }

    /** The sums over every group of a sample (six numbers: the two of an unweighted evaluation, then zeros). */
    private static double[] totals(JavaPairRDD<Float, double[]> groups) {
        return groups.values().fold(new double[6], (a, b) -> sum(a, java.util.Arrays.copyOf(b, a.length)));
    }

    /** Each group's weights squared over the sample's total weight squared. */
    private static double[] relative(java.util.stream.DoubleStream.Builder squares, double total) {
        return squares.build().map(square -> square / (total * total)).toArray();
    }

    /** -0 and +0 are one score, as in the single-machine sort. */
    private static float normalised(float score) {
        if (Float.isNaN(score)) {
            throw new IllegalArgumentException("score is NaN: a detector produced an undefined score");
        }
        return score == 0f ? 0f : score;
    }

    /** A search's result, and the reference events it was measured against. */
    public record Searched(RegionSearch.Result result, long referenceEvents) {
    }

    /**
     * The search: reference scored and collected, data counted at the thresholds in one distributed
     * pass; the reference counted by its weights where {@code weighted} ({@link RegionSearch}).
     */
    public static Searched search(SparkSession spark, String model, String background, List<String> data,
                                             ParseMode mode, SearchSettings settings, boolean weighted,
                                             DistributedScoring.ReadCounters counters, OverlapCheck overlapCheck) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String name = DistributedScoring.shipModel(sc, model);
        DistributedScoring.TrainingOverlapCounters referenceOverlap = DistributedScoring.TrainingOverlapCounters.of(sc);
        List<ScoredEvent> reference = DistributedScoring.judged(sc, List.of(background), name, mode, counters, referenceOverlap)
                .collect().stream().sorted((a, b) -> Long.compare(a.index(), b.index())).toList();
        overlapCheck.check(background, referenceOverlap.overlap());
        float[] referenceScores = new float[reference.size()];
        double[] referenceWeights = new double[reference.size()];
        for (int i = 0; i < referenceScores.length; i++) {
            referenceScores[i] = reference.get(i).score();
            referenceWeights[i] = reference.get(i).weight();
        }
        double[] counted = weighted ? referenceWeights : null;
        float[] thresholds = RegionSearch.thresholds(referenceScores, counted, settings);
        long[] zero = new long[thresholds.length + 1]; // per threshold: events at or above it; last: all events
        DistributedScoring.TrainingOverlapCounters dataOverlap = DistributedScoring.TrainingOverlapCounters.of(sc);
        long[] counts = DistributedScoring.judged(sc, data, name, mode, counters, dataOverlap)
                .aggregate(zero, (acc, e) -> {
                    for (int i = 0; i < thresholds.length; i++) { // Spark lets aggregate update its own accumulator
                        if (e.score() >= thresholds[i]) {
                            acc[i]++;
                        }
                    }
                    acc[thresholds.length]++;
                    return acc;
                }, (a, b) -> {
                    long[] sum = new long[a.length];
                    for (int i = 0; i < a.length; i++) {
                        sum[i] = a[i] + b[i];
                    }
                    return sum;
                });
        overlapCheck.check(String.join(", ", data), dataOverlap.overlap());
        Map<Float, Long> atLeast = new LinkedHashMap<>();
        for (int i = 0; i < thresholds.length; i++) {
            if (!Float.isNaN(thresholds[i])) {
                atLeast.put(thresholds[i], counts[i]);
            }
        }
        return new Searched(RegionSearch.run(referenceScores, counted, DataCounts.of(counts[thresholds.length], atLeast), settings),
                referenceScores.length);
    }
}
