package org.darkscope.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.darkscope.InputException;
import org.darkscope.Pipeline;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.detect.Hyperparameters;
import org.darkscope.io.AtomicFile;
import org.darkscope.io.ParseMode;
import org.darkscope.metric.Evaluation;
import org.darkscope.report.HtmlReport;
import org.darkscope.select.Channel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code darkscope benchmark}: several detectors, same data, one table and one report. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = {"Train each detector on the same background, evaluate on the same held-out background and signals.",
                "Writes DIR/results.json, DIR/results.md, DIR/report.html and the bundles under DIR/models.",
                "Example: darkscope benchmark --train train.csv.gz --background test.csv.gz --signal sig.csv.gz --detectors ht,met,vae --out bench"})
final class BenchmarkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--train", required = true, arity = "1..*", paramLabel = "FILE", description = "Background to train on.")
    List<Path> train;

    @Option(names = "--background", required = true, paramLabel = "FILE", description = "Held-out background to evaluate on.")
    Path background;

    @Option(names = "--signal", required = true, arity = "1..*", paramLabel = "FILE", description = "Signal files.")
    List<Path> signals;

    @Option(names = "--detectors", required = true, split = ",", paramLabel = "a,b,...", description = "Detectors to compare.")
    List<String> detectors;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--channel", defaultValue = "chan1", description = "Selection for training events (default: ${DEFAULT-VALUE}).")
    String channel;

    @Mixin
    TrainingOptions training;

    @Mixin
    InputOptions input;

    @Override
    public Integer call() {
        return run(spec.commandLine().getOut(), spec.commandLine().getErr(), train, background, signals, detectors, out,
                Channel.byName(channel), training, input.mode());
    }

    /** Runs the benchmark (also the heart of {@code demo}). */
    static int run(PrintWriter o, PrintWriter err, List<Path> train, Path background, List<Path> signals, List<String> detectors,
                   Path out, Channel channel, TrainingOptions training, ParseMode mode) {
        List<HtmlReport.Entry> entries = new ArrayList<>();
        ObjectNode root = Json.object();
        ArrayNode results = root.putArray("results");
        ArrayNode failures = root.putArray("failures");
        for (String detector : detectors) {
            Path model = out.resolve("models").resolve(detector);
            o.println("== " + detector);
            o.flush();
            try {
                ProgressBar progress = new ProgressBar(err, detector);
                Pipeline.train(new Pipeline.TrainRequest(detector, Hyperparameters.empty(), null, train, channel, -1, 0.2, mode,
                        training.config(progress)), model);
                progress.finish();
                try (TrainedModel loaded = ModelBundle.load(model)) {
                    Evaluation evaluation = Evaluator.evaluate(loaded, background, signals, mode, false, err);
                    Evaluator.printTable(o, evaluation);
                    results.add(Evaluator.toJson(evaluation));
                    entries.add(new HtmlReport.Entry(evaluation, loaded.manifest().history(), null));
                }
            } catch (InputException e) {
                throw e; // bad data fails every detector alike: stop with exit code 3
            } catch (RuntimeException e) {
                String message = detector + ": " + (e.getMessage() != null ? e.getMessage() : e.toString());
                err.println("benchmark: " + message + " (going on with the other detectors)");
                ObjectNode failure = failures.addObject();
                failure.put("detector", detector);
                failure.put("error", String.valueOf(e.getMessage()));
                entries.add(new HtmlReport.Entry(null, null, "failed: " + message));
            }
            o.flush();
        }
        Json.write(out.resolve("results.json"), root);
        AtomicFile.write(out.resolve("results.md"), HtmlReport.markdown(entries).getBytes(StandardCharsets.UTF_8));
        HtmlReport.write(out, entries);
        o.println();
        o.print(HtmlReport.markdown(entries));
        o.println("wrote " + out.resolve("results.json") + ", " + out.resolve("results.md") + ", " + out.resolve(HtmlReport.PAGE));
        o.flush();
        return failures.isEmpty() ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }
}
