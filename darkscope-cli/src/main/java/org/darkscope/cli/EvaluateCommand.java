package org.darkscope.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.metric.Evaluation;
import org.darkscope.report.HtmlReport;
import org.darkscope.report.ReportProvenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code darkscope evaluate}: how well a model would have found each signal. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"AUC, signal efficiency at background efficiency 1e-2/1e-3/1e-4 and max significance improvement.",
                "Example: darkscope evaluate --model vae.model --background test_bkg.csv.gz --signal signal.csv.gz --json eval.json"})
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model bundle directory.")
    Path model;

    @Option(names = "--background", required = true, paramLabel = "FILE", description = "Held-out background events.")
    Path background;

    @Option(names = "--signal", required = true, arity = "1..*", paramLabel = "FILE", description = "Signal event files.")
    List<Path> signals;

    @Option(names = "--json", paramLabel = "OUT", description = "Write the results as JSON.")
    Path json;

    @Option(names = "--report", paramLabel = "DIR", description = "Write an HTML report (ROC curves, score distributions).")
    Path report;

    @Option(names = "--weighted", description = "Weight events by the weight column (for samples that are not unweighted mixtures).")
    boolean weighted;

    @Option(names = TrainingOverlap.OPTION, description = "Go on when the background or a signal holds events the model was"
            + " trained on (refused by default: a model judged on its own training events looks better than it is).")
    boolean allowTrainingOverlap;

    @Mixin
    InputOptions input;

    @Override
    public Integer call() {
        DistinctSamples.require("--background", List.of(background), "--signal", signals);
        List<Path> inputs = java.util.stream.Stream.concat(java.util.stream.Stream.of(model, background), signals.stream()).toList();
        OutputGuard.requireModel(model);
        OutputGuard.requireSeparate("--json", json, "--report", report, HtmlReport.PAGE);
        OutputGuard.checkResult(json, OutputGuard.Kind.RESULT_FILE, inputs);
        OutputGuard.checkResult(report, OutputGuard.Kind.RESULT_DIRECTORY, inputs);
        Evaluation evaluation;
        try (TrainedModel loaded = ModelBundle.load(model)) {
            TrainingOverlap overlap = TrainingOverlap.of(model, loaded,
                    java.util.stream.Stream.concat(java.util.stream.Stream.of(background), signals.stream()).toList(),
                    allowTrainingOverlap, spec.commandLine().getErr());
            evaluation = Evaluator.evaluate(loaded, overlap, background, signals, input.mode(), weighted, spec.commandLine().getErr()::print);
            Evaluator.printTable(spec.commandLine().getOut(), evaluation);
            if (report != null) {
                java.util.Map<Path, Long> read = new java.util.LinkedHashMap<>();
                read.put(background, evaluation.backgroundEvents());
                for (int i = 0; i < signals.size(); i++) {
                    read.put(signals.get(i), (long) evaluation.signals().get(i).scores().length);
                }
                HtmlReport.write(report, List.of(new HtmlReport.Entry(evaluation, loaded.manifest(), null)), List.of(),
                        ReportProvenance.now(spec.commandLine().getParseResult().originalArgs(), read,
                                java.util.Map.of(model.toString(), loaded.manifest())));
                spec.commandLine().getOut().println("wrote " + report.resolve(HtmlReport.PAGE));
            }
        }
        if (json != null) {
            Json.write(json, Evaluator.toJson(evaluation));
            spec.commandLine().getOut().println("wrote " + json);
        }
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
