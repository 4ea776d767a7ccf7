package org.darkscope.spark;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.sql.SparkSession;
import org.darkscope.InputException;
import org.darkscope.bundle.Manifest;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.cli.DistinctSamples;
import org.darkscope.cli.Evaluator;
import org.darkscope.cli.Json;
import org.darkscope.cli.OutputGuard;
import org.darkscope.cli.SearchCommand;
import org.darkscope.cli.SearchOptions;
import org.darkscope.cli.TrainingOverlap;
import org.darkscope.io.ParseMode;
import org.darkscope.metric.Evaluation;
import org.darkscope.report.HtmlReport;
import org.darkscope.report.ReportProvenance;
import org.darkscope.report.SearchReport;
import org.darkscope.stats.RegionSearch;
import org.darkscope.stats.SearchSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code darkscope spark}: the scoring, evaluation and search of the command line as Spark jobs,
 * with the sampling and conversion of distributed data they need, started by {@code spark-submit --class org.darkscope.spark.SparkMain} on a cluster or by
 * {@code bin/darkscope spark} in local mode; {@link ClusterTest} checks them on a standalone cluster
 * started here. Exit codes as the command line's.
 */
@Command(name = "darkscope spark", mixinStandardHelpOptions = true,
        description = "Score, evaluate, search, sample and convert on Apache Spark (local mode unless spark-submit sets a master);"
                + " cluster-test checks them on a standalone cluster started here.",
        subcommands = {SparkMain.Score.class, SparkMain.Evaluate.class, SparkMain.Search.class, SparkMain.Sample.class, SparkMain.Convert.class,
                ClusterTest.class,
                CommandLine.HelpCommand.class})
public final class SparkMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        java.util.Locale.setDefault(java.util.Locale.ROOT); // numbers the English way, as darkscope's
        System.exit(org.darkscope.cli.Main.onProcessStreams((out, err) -> run(out, err, args)));
    }

    /** Runs a job and returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new SparkMain());
        cli.setOut(out);
        cli.setErr(err);
        org.darkscope.cli.UsageErrors.install(cli);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Throwable cause = rootInputException(e);
            int code = cause instanceof InputException ? 3
                    : e instanceof IllegalArgumentException || e instanceof org.darkscope.cli.UsageException ? 2 : 1;
            commandLine.getErr().println("darkscope spark " + commandLine.getCommandName() + ": error: "
                    + (cause != null ? cause.getMessage() : failure(e)));
            commandLine.getErr().flush();
            return code;
        });
        return cli.execute(args);
    }

    /**
     * A failure in one line and its first cause: Spark's message of a failed job holds the task's
     * whole chain of causes and their stack traces (and the row being written), the line that
     * matters ("No space left on device") last; here the message's first line and the deepest
     * cause, named in the message or carried.
     */
    static String failure(Throwable e) {
        String message = String.valueOf(e.getMessage());
        String first = message.lines().findFirst().orElse("");
        String prefix = "Caused by: ";
        String cause = message.lines().filter(l -> l.startsWith(prefix)).reduce((a, b) -> b).map(l -> l.substring(prefix.length()))
                .orElse(null);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (cause == null && root != e && root.getMessage() != null && !first.contains(root.getMessage())) {
            cause = root.toString();
        }
        return cause == null ? first : first + " (caused by " + cause + ")";
    }

    /** The exceptions of bad input a failed Spark task may carry, by the name Spark's message gives them. */
    private static final List<String> INPUT_EXCEPTIONS = List.of("org.darkscope.io.EventFormatException: ",
            "org.darkscope.InputException: ");

    /** The InputException a failed Spark task carried (its message names file and line), if any. */
    private static Throwable rootInputException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InputException) {
                return t;
            }
            if (t.getClass().getSimpleName().equals("InvalidInputException")) { // Hadoop's: an input path that does not exist
                return new InputException(t.getMessage());
            }
            String message = t instanceof SparkException ? t.getMessage() : null;
            for (String name : INPUT_EXCEPTIONS) {
                if (message != null && message.contains(name)) {
                    return new InputException(message.substring(message.indexOf(name) + name.length()).lines().findFirst().orElse(""));
                }
            }
        }
        return null;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Refuses (exit 2) the reference background named again as a signal or as the data, and one input
     * named twice among them, where its events would count twice: the same path (a local one in any
     * spelling); a copy under another name is not recognised on a cluster.
     */
    static void requireDistinct(String background, String option, List<String> others) {
        requireDistinct(List.of("--background", option), List.of(List.of(background), others));
    }

    /** Refuses (exit 2) one path among a job's {@code inputs} given twice ({@link #requireDistinct(String, String, List)}). */
    static void requireDistinct(List<String> inputs) {
        requireDistinct(List.of("INPUT"), List.of(inputs));
    }

    private static void requireDistinct(List<String> options, List<List<String>> samples) {
        String repeat = DistinctSamples.firstRepeat(options, samples, (a, b) -> location(a).equals(location(b)));
        if (repeat != null) {
            throw new IllegalArgumentException(repeat);
        }
    }

    /**
     * Checks the local {@code --json} on the driver before the job, as the commands on one machine
     * do, so that a distributed run never fails at its end for want of a place to write: never one
     * of the local inputs (the model bundle, a sample) nor inside one, its directory already there.
     */
    static void checkJson(java.nio.file.Path json, String model, String background, List<String> others) {
        List<String> inputs = new ArrayList<>(List.of(model, background));
        inputs.addAll(others);
        OutputGuard.checkResult(json, OutputGuard.Kind.RESULT_FILE, local(inputs));
    }

    /**
     * Checks a job's {@code --report} directory (null: none asked for) before the job: on the
     * driver's file system, not inside an input, apart from {@code --json} and its page.
     */
    static void checkReport(java.nio.file.Path report, String page, java.nio.file.Path json, String model, String background,
                            List<String> others) {
        if (report != null) {
            OutputGuard.requireSeparate("--json", json, "--report", report, page);
            List<String> inputs = new ArrayList<>(List.of(model, background));
            inputs.addAll(others);
            OutputGuard.checkResult(report, OutputGuard.Kind.RESULT_DIRECTORY, local(inputs));
        }
    }

    /** A job's report's provenance: {@code darkscope spark} and its arguments, the inputs as given with their events, not hashed. */
    static ReportProvenance provenance(CommandLine.Model.CommandSpec spec, java.util.Map<String, Long> read, String model, Manifest manifest) {
        List<String> command = new ArrayList<>(List.of("spark"));
        command.addAll(spec.commandLine().getParseResult().originalArgs());
        return ReportProvenance.distributed(command, read, java.util.Map.of(model, manifest));
    }

    /**
     * Checks a job's output directory on the driver's file system before the job (one on a cluster's,
     * hdfs:// or s3a://, is Spark's to check): not inside a local input (a bundle's directory, a
     * data set's), its parent already there and writable. Spark refuses one that exists.
     */
    static void checkOutputDirectory(String out, List<String> inputs) {
        if (!onCluster(out)) {
            OutputGuard.check(java.nio.file.Path.of(out), OutputGuard.Kind.RESULT_DIRECTORY, true, local(inputs));
        }
    }

    /** The inputs on the driver's file system (those without a scheme such as hdfs://), as paths. */
    private static List<java.nio.file.Path> local(List<String> inputs) {
        return inputs.stream().filter(input -> !onCluster(input)).map(java.nio.file.Path::of).toList();
    }

    /** Whether {@code path} names a cluster's file system (a scheme such as hdfs:// or s3a://), not the driver's. */
    private static boolean onCluster(String path) {
        return path.contains("://");
    }

    private static String location(String input) {
        return onCluster(input) ? input : java.nio.file.Path.of(input).toAbsolutePath().normalize().toString();
    }

    /** What the jobs read: the help's words for their INPUT. */
    static final String INPUT = "Event files, directories of them, or globs (local, hdfs://, s3a://).";

    /** Options of every job that scores with a model: the bundle, and the session's options. */
    static final class Common extends Session {
        @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model bundle directory (local or hdfs://, s3a://).")
        String model;

        /** The bundle's manifest, read on the driver (through Hadoop where the bundle is on a cluster's file system). */
        Manifest manifest(SparkSession spark) {
            return SparkJobs.manifest(org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()), model);
        }

        /** Checks the bundle on the driver first, so a corrupt one fails before any task runs. */
        String detector() {
            if (!onCluster(model)) {
                return ModelBundle.readManifest(java.nio.file.Path.of(model)).detector();
            }
            return "model";
        }
    }

    /** The option of the jobs that judge a model: going on where a sample holds its training events. */
    static final class Judging {
        @Option(names = TrainingOverlap.OPTION, description = "Judge even on samples holding events the model was trained on.")
        boolean allowTrainingOverlap;

        /** Refuses (exit 2), once its events are counted, a sample holding training events; with the option, says so. */
        SparkJobs.OverlapCheck overlapCheck(PrintWriter err) {
            return (sample, overlap) -> TrainingOverlap.check(sample, overlap, allowTrainingOverlap, err);
        }
    }

    /** Options of every job: the master, strict or lenient reading; the session the job runs in. */
    static class Session {
        @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
        String master;

        @Option(names = "--skip-bad-lines", description = "Skip, count and report unparseable lines (default: fail the job).")
        boolean skipBadLines;

        ParseMode mode() {
            return skipBadLines ? ParseMode.LENIENT : ParseMode.STRICT;
        }

        SparkSession session(String job) {
            SparkConf conf = new SparkConf().setAppName("darkscope " + job);
            if (master != null) {
                conf.setMaster(master);
            } else if (!conf.contains("spark.master")) {
                conf.setMaster("local[*]");
            }
            conf.setIfMissing("spark.ui.enabled", "false");
            // A gzip file cannot be split, so each file is one task; without this, binaryFiles packs
            // several files into one task and a few large tasks can leave cores idle at the end.
            conf.setIfMissing("spark.files.maxPartitionBytes", "1");
            if (conf.get("spark.master").startsWith("local")) {
                // one machine: the driver listens on loopback only, never on a network interface
                conf.setIfMissing("spark.driver.host", "127.0.0.1");
                conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            }
            return SparkSession.builder().config(conf).getOrCreate();
        }

        /** A job's result, and the seconds spent starting its Spark session, in the job and stopping the session. */
        record Timed<T>(T result, double startSeconds, double jobSeconds, double stopSeconds) {
            /** Spark's start and stop, which the job's time leaves out. */
            String sparkSeconds() {
                return String.format(java.util.Locale.ROOT, "Spark's start %.2f s and stop %.2f s apart", startSeconds, stopSeconds);
            }
        }

        /** A job in its own session: bad-line counters made before, skipped lines reported after. */
        <T> Timed<T> run(String job, PrintWriter err,
                         java.util.function.BiFunction<SparkSession, DistributedScoring.ReadCounters, T> work) {
            long start = System.nanoTime();
            long jobStart;
            long jobEnd;
            T result;
            try (SparkSession spark = session(job)) {
                jobStart = System.nanoTime();
                DistributedScoring.ReadCounters counters = DistributedScoring.counters(
                        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()));
                result = work.apply(spark, counters);
                jobEnd = System.nanoTime();
                long skipped = counters.skippedLines();
                if (skipped > 0) {
                    err.println("skipped " + skipped + " bad line(s)");
                    counters.firstSkipped().forEach(m -> err.println("  " + m));
                }
                long outside = counters.outside();
                if (outside > 0) {
                    err.println(outside + " event(s) lie outside the model's channel: not judged");
                }
            }
            return new Timed<>(result, (jobStart - start) / 1e9, (jobEnd - jobStart) / 1e9, (System.nanoTime() - jobEnd) / 1e9);
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
            description = "Score event files (files, directories, globs; CSV or the Parquet of spark convert) to OUT/parquet (and OUT/csv).")
    static final class Score implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Common common = new Common();

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (must not exist).")
        String out;

        @Option(names = "--csv", description = "Also write the scores as CSV to OUT/csv (a second pass, over the Parquet output).")
        boolean csv;

        @Option(names = "--members", description = "A combined model: after the score, each member's -log10 p (its background tail"
                + " probability), in columns neglog10p_MEMBER, as darkscope score --members.")
        boolean members;

        @Parameters(arity = "1..*", paramLabel = "INPUT", description = INPUT)
        List<String> inputs = new ArrayList<>();

        @Override
        public Integer call() {
            requireDistinct(inputs);
            common.detector();
            List<String> read = new ArrayList<>(inputs);
            read.add(common.model);
            checkOutputDirectory(out, read);
            Session.Timed<Long> scored = common.run("score", spec.commandLine().getErr(),
                    (spark, counters) -> SparkJobs.score(spark, common.model, inputs, common.mode(), out, csv, counters, members));
            spec.commandLine().getOut().printf("scored %d events in %.2f s (%.0f events/s), %s; wrote %s%n", scored.result(),
                    scored.jobSeconds(), scored.result() / scored.jobSeconds(), scored.sparkSeconds(),
                    csv ? out + "/parquet and " + out + "/csv" : out + "/parquet");
            return 0;
        }
    }

    @Command(name = "sample", mixinStandardHelpOptions = true,
            description = {"A seeded random sample of distributed events, written to one file here, to train a model on one machine.",
                    "Example: darkscope spark sample --fraction 0.001 --seed 1 --out train.csv.gz hdfs:///data/chan1/"})
    static final class Sample implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--fraction", required = true, paramLabel = "F", description = "Fraction of the events kept, in (0, 1].")
        double fraction;

        @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Which events (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Event file to write (.gz: compressed); must not exist.")
        java.nio.file.Path out;

        @Mixin
        Session session = new Session();

        @Parameters(arity = "1..*", paramLabel = "INPUT", description = INPUT)
        List<String> inputs = new ArrayList<>();

        @Override
        public Integer call() {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("--fraction must be in (0, 1], got " + fraction);
            }
            requireDistinct(inputs);
            if (java.nio.file.Files.exists(out)) {
                throw new IllegalArgumentException(out + " exists: choose another --out (a sample never replaces a file)");
            }
            OutputGuard.check(out, OutputGuard.Kind.DATA, false, local(inputs)); // its directory there and writable, no input's
            Session.Timed<Long> kept = session.run("sample", spec.commandLine().getErr(), (spark, counters) -> DistributedSample.sample(
                    org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()), inputs, fraction, seed,
                    session.mode(), out, counters));
            spec.commandLine().getOut().printf("kept %d events (fraction %s, seed %d) in %.2f s, %s; wrote %s%n", kept.result(), fraction,
                    seed, kept.jobSeconds(), kept.sparkSeconds(), out);
            return 0;
        }
    }

    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = {"Convert event files to Parquet (the CSV's columns, objects as a list), which every job reads as it reads CSV.",
                    "Example: darkscope spark convert --out hdfs:///data/chan1.parquet hdfs:///data/chan1/"})
    static final class Convert implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (must not exist).")
        String out;

        @Mixin
        Session session = new Session();

        @Parameters(arity = "1..*", paramLabel = "INPUT", description = INPUT)
        List<String> inputs = new ArrayList<>();

        @Override
        public Integer call() {
            requireDistinct(inputs);
            checkOutputDirectory(out, inputs);
            Session.Timed<Long> converted = session.run("convert", spec.commandLine().getErr(),
                    (spark, counters) -> SparkJobs.convert(spark, inputs, session.mode(), out, counters));
            spec.commandLine().getOut().printf("converted %d events in %.2f s, %s; wrote %s%n", converted.result(),
                    converted.jobSeconds(), converted.sparkSeconds(), out);
            return 0;
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Figures of merit, computed distributed.")
    static final class Evaluate implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Common common = new Common();

        @Option(names = "--background", required = true, paramLabel = "FILE", description = "Background the model was not trained on.")
        String background;

        @Option(names = "--signal", required = true, arity = "1..*", paramLabel = "FILE",
                description = "Signal samples, each judged against the background.")
        List<String> signals;

        @Option(names = "--json", paramLabel = "OUT", description = "Also write the results as JSON (on the driver's file system).")
        java.nio.file.Path json;

        @Option(names = "--weighted", description = "Weight events by the weight column (for samples that are not unweighted mixtures).")
        boolean weighted;

        @Option(names = "--report", paramLabel = "DIR", description = "Also write an HTML report (the table, ROC curves, provenance; "
                + "Spark keeps no scores for their distributions) on the driver's file system.")
        java.nio.file.Path report;

        @Mixin
        Judging judging = new Judging();

        @Override
        public Integer call() {
            requireDistinct(background, "--signal", signals);
            checkJson(json, common.model, background, signals);
            checkReport(report, HtmlReport.PAGE, json, common.model, background, signals);
            String detector = common.detector();
            PrintWriter err = spec.commandLine().getErr();
            Manifest[] manifest = {null};
            Evaluation evaluation = common.run("evaluate", err, (spark, counters) -> {
                Evaluation judged = SparkJobs.evaluate(spark, common.model, detector, background, signals, common.mode(), weighted, counters,
                        judging.overlapCheck(err));
                manifest[0] = report == null ? null : common.manifest(spark);
                return judged;
            }).result();
            Evaluator.printTable(spec.commandLine().getOut(), evaluation);
            if (json != null) {
                Json.write(json, Evaluator.toJson(evaluation));
            }
            if (report != null) {
                java.util.Map<String, Long> read = new java.util.LinkedHashMap<>();
                read.put(background, evaluation.backgroundEvents());
                for (int i = 0; i < signals.size(); i++) {
                    read.put(signals.get(i), evaluation.signals().get(i).roc().signalEvents());
                }
                HtmlReport.write(report, List.of(new HtmlReport.Entry(evaluation, manifest[0], null)), List.of(),
                        provenance(spec, read, common.model, manifest[0]));
                spec.commandLine().getOut().println("wrote " + report.resolve(HtmlReport.PAGE));
            }
            return 0;
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true,
            description = "Signal-region counts computed distributed, statistics on the driver (no two-step split).")
    static final class Search implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Common common = new Common();

        @Option(names = "--background", required = true, paramLabel = "FILE", description = "Reference background.")
        String background;

        @Option(names = "--data", required = true, arity = "1..*", paramLabel = "INPUT", description = "The data (files, directories, globs).")
        List<String> data;

        @Option(names = "--json", paramLabel = "OUT",
                description = "Also write the regions, local and global significances as JSON (on the driver's file system).")
        java.nio.file.Path json;

        @Option(names = "--report", paramLabel = "DIR", description = "Also write search.html (observed against expected per region, "
                + "the toys' distribution, provenance) on the driver's file system.")
        java.nio.file.Path report;

        @Mixin
        SearchOptions search = new SearchOptions();

        @Mixin
        Judging judging = new Judging();

        @Override
        public Integer call() {
            SearchSettings settings = search.settings(); // first: a setting out of range is refused before anything is read
            requireDistinct(background, "--data", data);
            checkJson(json, common.model, background, data);
            checkReport(report, SearchReport.PAGE, json, common.model, background, data);
            String detector = common.detector();
            PrintWriter err = spec.commandLine().getErr();
            Manifest[] manifest = {null};
            SparkJobs.Searched searched = common.run("search", err, (spark, counters) -> {
                SparkJobs.Searched s = SparkJobs.search(spark, common.model, background, data, common.mode(), settings,
                        search.countsWeights(), counters, judging.overlapCheck(err));
                manifest[0] = report == null ? null : common.manifest(spark);
                return s;
            }).result();
            RegionSearch.Result result = searched.result();
            SearchCommand.print(spec.commandLine().getOut(), detector, result, null);
            if (json != null) {
                Json.write(json, SearchCommand.toJson(detector, result, null));
            }
            if (report != null) {
                java.util.Map<String, Long> read = new java.util.LinkedHashMap<>();
                read.put(background, searched.referenceEvents());
                read.put(String.join(", ", data), result.dataEvents());
                SearchReport.write(report, detector, result, null, provenance(spec, read, common.model, manifest[0]));
                spec.commandLine().getOut().println("wrote " + report.resolve(SearchReport.PAGE));
            }
            return 0;
        }
    }
}
