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
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;
import org.darkscope.metric.Evaluation;
import org.darkscope.metric.FiguresOfMerit;
import org.darkscope.metric.RocCurve;
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

    /**
     * Scores {@code inputs}; writes {@code out/parquet} and, with {@code csv}, {@code out/csv};
     * returns the number of events.
     */
    public static long score(SparkSession spark, String model, List<String> inputs, ParseMode mode, String out, boolean csv,
                             DistributedScoring.BadLineCounters counters) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        org.apache.hadoop.fs.Path outPath = new org.apache.hadoop.fs.Path(out);
        FileSystem fs;
        try {
            fs = outPath.getFileSystem(sc.hadoopConfiguration());
            if (fs.exists(outPath)) {
                throw new IllegalArgumentException(out + " exists; choose a new output directory");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + out + ": " + e.getMessage(), e);
        }
        String name = DistributedScoring.shipModel(sc, model);
        JavaRDD<Row> rows = DistributedScoring.score(sc, inputs, name, mode, counters)
                .map(e -> RowFactory.create(e.file(), e.eventId(), e.process(), e.weight(), e.score()));
        try {
            // Score once into Parquet; the CSV, if asked for, is converted from that: no second scoring
            // pass and no cache, which would have to hold every event of a billion-event data set.
            spark.createDataFrame(rows, SCORES_SCHEMA).write().mode(SaveMode.ErrorIfExists).parquet(out + "/parquet");
            Dataset<Row> scores = spark.read().parquet(out + "/parquet");
            if (csv) {
                scores.write().mode(SaveMode.ErrorIfExists).option("header", "true")
                        .option("escape", "\"") // RFC 4180: a double quote inside a quoted field is doubled (Spark's default is \\")
                        .csv(out + "/csv");
            }
            return scores.count(); // from the Parquet footers, not a pass over the rows
        } catch (Exception failure) { // Spark throws its checked SparkException through Scala
            try {
                fs.delete(outPath, true); // a failed job leaves no half-written output
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
            throw failure;
        }
    }

    /** The figures of merit of every signal against the background, computed distributed. */
    public static Evaluation evaluate(SparkSession spark, String model, String detector, String background, List<String> signals,
                                      ParseMode mode, DistributedScoring.BadLineCounters counters) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String name = DistributedScoring.shipModel(sc, model);
        JavaPairRDD<Float, double[]> backgroundGroups = groups(
                DistributedScoring.score(sc, List.of(background), name, mode, counters), true).cache();
        long backgroundEvents = (long) backgroundGroups.values().map(g -> g[0]).fold(0.0, Double::sum).doubleValue();
        List<Evaluation.Signal> results = new ArrayList<>();
        for (String signal : signals) {
            JavaPairRDD<Float, double[]> signalGroups = groups(DistributedScoring.score(sc, List.of(signal), name, mode, counters), false);
            JavaPairRDD<Float, double[]> merged = backgroundGroups.union(signalGroups)
                    .reduceByKey((a, b) -> new double[] {a[0] + b[0], a[1] + b[1]})
                    .sortByKey(false);
            long signalEvents = (long) signalGroups.values().map(g -> g[1]).fold(0.0, Double::sum).doubleValue();
            Iterator<Tuple2<Float, double[]>> sorted = merged.toLocalIterator();
            Iterator<double[]> descending = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return sorted.hasNext();
                }

                @Override
                public double[] next() {
                    Tuple2<Float, double[]> t = sorted.next();
                    return new double[] {t._1(), t._2()[0], t._2()[1]};
                }
            };
            RocCurve roc = RocCurve.fromGroups(descending, backgroundEvents, signalEvents);
            results.add(new Evaluation.Signal(EventFiles.sampleName(java.nio.file.Path.of(signal)), new float[0], roc,
                    FiguresOfMerit.of(roc)));
        }
        backgroundGroups.unpersist();
        return new Evaluation(detector, background, new float[0], results);
    }

    /** Events per distinct score: (score, {background count, signal count}). */
    private static JavaPairRDD<Float, double[]> groups(JavaRDD<ScoredEvent> scored, boolean background) {
        return scored.mapToPair(e -> new Tuple2<>(normalised(e.score()), background ? new double[] {1, 0} : new double[] {0, 1}))
                .reduceByKey((a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
    }

    /** -0 and +0 are one score, as in the single-machine sort. */
    private static float normalised(float score) {
        if (Float.isNaN(score)) {
            throw new IllegalArgumentException("score is NaN: a detector produced an undefined score");
        }
        return score == 0f ? 0f : score;
    }

    /** The search: reference scored and collected, data counted at the thresholds in one distributed pass. */
    public static RegionSearch.Result search(SparkSession spark, String model, String background, List<String> data,
                                             ParseMode mode, SearchSettings settings, DistributedScoring.BadLineCounters counters) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String name = DistributedScoring.shipModel(sc, model);
        List<ScoredEvent> reference = DistributedScoring.score(sc, List.of(background), name, mode, counters)
                .collect().stream().sorted((a, b) -> Long.compare(a.index(), b.index())).toList();
        float[] referenceScores = new float[reference.size()];
        double[] referenceWeights = new double[reference.size()];
        for (int i = 0; i < referenceScores.length; i++) {
            referenceScores[i] = reference.get(i).score();
            referenceWeights[i] = reference.get(i).weight();
        }
        float[] thresholds = RegionSearch.thresholds(referenceScores, settings);
        long[] zero = new long[thresholds.length + 1]; // per threshold: events at or above it; last: all events
        long[] counts = DistributedScoring.score(sc, data, name, mode, counters).aggregate(zero, (acc, e) -> {
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
        Map<Float, Long> atLeast = new LinkedHashMap<>();
        for (int i = 0; i < thresholds.length; i++) {
            if (!Float.isNaN(thresholds[i])) {
                atLeast.put(thresholds[i], counts[i]);
            }
        }
        return RegionSearch.run(referenceScores, referenceWeights, DataCounts.of(counts[thresholds.length], atLeast), settings);
    }
}
