package org.darkscope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.darkscope.bundle.Manifest;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.metric.Evaluation;
import org.darkscope.metric.FigureDifference;
import org.darkscope.report.DifferencesTable;
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

    @Option(names = "--versus", arity = "1..*", paramLabel = "MODEL", description = "Other model bundles judged on the same events: "
            + "each figure of --model minus theirs, with the paired error (does it beat a cut, or an older model?).")
    List<Path> versus = List.of();

    @Option(names = TrainingOverlap.OPTION, description = "Go on when the background or a signal holds events the model was"
            + " trained on (refused by default: a model judged on its own training events looks better than it is).")
    boolean allowTrainingOverlap;

    @Mixin
    InputOptions input;

    @Override
    public Integer call() {
        DistinctSamples.require("--background", List.of(background), "--signal", signals);
        List<Path> inputs = java.util.stream.Stream.of(List.of(model), judged(), versus).flatMap(List::stream).toList();
        Manifest manifest = ModelBundle.readManifest(model); // read once, for the checks and the loading
        List<Manifest> versusManifests = new java.util.ArrayList<>();
        for (Path other : versus) { // refused before any work: the model itself, or a model of another channel (other events)
            Manifest otherManifest = ModelBundle.readManifest(other);
            if (OutputGuard.sameFile(other, model)) {
                throw new UsageException("--versus " + other + " is the --model itself: compare it with another model");
            }
            if (!otherManifest.channel().equals(manifest.channel())) {
                throw new UsageException("--versus " + other + " was trained in " + otherManifest.channel() + ", --model in "
                        + manifest.channel() + ": each judges the events of its own channel, and they cannot be paired");
            }
            versusManifests.add(otherManifest);
        }
        OutputGuard.requireSeparate("--json", json, "--report", report, HtmlReport.PAGE);
        OutputGuard.checkResult(json, OutputGuard.Kind.RESULT_FILE, inputs);
        OutputGuard.checkResult(report, OutputGuard.Kind.RESULT_DIRECTORY, inputs);
        Evaluation evaluation;
        List<DifferencesTable.Row> differences;
        try (TrainedModel loaded = ModelBundle.load(model, manifest)) {
            TrainingOverlap overlap = TrainingOverlap.of(model, loaded, judged(), allowTrainingOverlap, spec.commandLine().getErr());
            evaluation = Evaluator.evaluate(loaded, overlap, samples(), true, spec.commandLine().getErr()::print,
                    new ScoringProgress(spec.commandLine().getErr(), "evaluate"));
            Evaluator.printTable(spec.commandLine().getOut(), evaluation);
            differences = versus(evaluation, versusManifests);
            spec.commandLine().getOut().print(DifferencesTable.markdown(AGAINST, differences));
            if (report != null) {
                java.util.Map<Path, Long> read = new java.util.LinkedHashMap<>();
                read.put(background, evaluation.backgroundEvents());
                for (int i = 0; i < signals.size(); i++) {
                    read.put(signals.get(i), (long) evaluation.signals().get(i).scores().length);
                }
                HtmlReport.write(report, List.of(new HtmlReport.Entry(evaluation, loaded.manifest(), null)), List.of(), AGAINST, differences,
                        null, ReportProvenance.now(spec.commandLine().getParseResult().originalArgs(), read,
                                java.util.Map.of(model.toString(), loaded.manifest())));
                spec.commandLine().getOut().println("wrote " + report.resolve(HtmlReport.PAGE));
            }
        }
        if (json != null) {
            ObjectNode root = Evaluator.toJson(evaluation);
            Evaluator.putDifferences(root, differences);
            Json.write(json, root);
            spec.commandLine().getOut().println("wrote " + json);
        }
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }

    /** The files every model is judged on, as the options give them. */
    private Evaluator.Samples samples() {
        return new Evaluator.Samples(background, signals, input.mode(), weighted);
    }

    /** The heading of the table of --model against the --versus models. */
    private static final String AGAINST = "Against the --versus models";

    /**
     * Each --versus model (its {@code manifests} read before, their channel checked) judged on the same
     * files as {@code evaluation}, and each signal's figures of the model minus theirs: one row per
     * signal (none without --versus).
     */
    private List<DifferencesTable.Row> versus(Evaluation evaluation, List<Manifest> manifests) {
        List<Evaluation> judged = new java.util.ArrayList<>();
        for (int v = 0; v < versus.size(); v++) {
            Path other = versus.get(v);
            try (TrainedModel otherModel = ModelBundle.load(other, manifests.get(v))) {
                TrainingOverlap overlap = TrainingOverlap.of(other, otherModel, judged(), allowTrainingOverlap, spec.commandLine().getErr());
                // only the differences are shown, with their paired errors: the other model's own are not drawn
                judged.add(Evaluator.evaluate(otherModel, overlap, samples(), false, text -> { },
                        new ScoringProgress(spec.commandLine().getErr(), "evaluate --versus " + other)));
            }
        }
        // each named by its detector, or by its path where --model or another --versus model has that detector too
        List<String> detectors = java.util.stream.Stream.concat(java.util.stream.Stream.of(evaluation), judged.stream())
                .map(Evaluation::detector).toList();
        List<Evaluation> others = new java.util.ArrayList<>();
        for (int v = 0; v < judged.size(); v++) {
            Evaluation e = judged.get(v);
            String name = java.util.Collections.frequency(detectors, e.detector()) > 1 ? versus.get(v).toString() : e.detector();
            others.add(new Evaluation(name, e.backgroundName(), e.backgroundScores(), e.backgroundWeights(), e.signals()));
        }
        List<DifferencesTable.Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < evaluation.signals().size() && !others.isEmpty(); i++) {
            List<FigureDifference> row = new java.util.ArrayList<>();
            for (Evaluation other : others) {
                row.add(FigureDifference.between(evaluation, evaluation.signals().get(i), other, other.signals().get(i)));
            }
            rows.add(new DifferencesTable.Row(evaluation.detector(), evaluation.signals().get(i).name(), row));
        }
        return rows;
    }

    /** The files judged: the background, then the signals. */
    private List<Path> judged() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(background), signals.stream()).toList();
    }
}
