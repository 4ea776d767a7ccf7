package org.darkscope.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.darkscope.Pipeline;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;
import org.darkscope.metric.Evaluation;
import org.darkscope.metric.FiguresOfMerit;

/** Scores a background file and signal files with a model, and turns the result into JSON and a table. */
public final class Evaluator {
    private Evaluator() {
    }

    /**
     * Scores and evaluates, streaming each file (only scores and weights are kept);
     * {@code weighted} applies the event-weight column.
     */
    static Evaluation evaluate(TrainedModel model, Path background, List<Path> signals, ParseMode mode, boolean weighted,
                               PrintWriter err) {
        Pipeline.ScoredSample reference = Pipeline.scoreFile(model, background, mode);
        err.print(EventFiles.describeSkipped(List.of(reference.report())));
        List<Evaluation.Signal> results = new ArrayList<>();
        for (Path signal : signals) {
            Pipeline.ScoredSample scored = Pipeline.scoreFile(model, signal, mode);
            err.print(EventFiles.describeSkipped(List.of(scored.report())));
            results.add(Evaluation.signal(EventFiles.sampleName(signal), reference.scores(), weighted ? reference.weights() : null,
                    scored.scores(), weighted ? scored.weights() : null));
        }
        return new Evaluation(model.manifest().detector(), background.toString(), reference.scores(), results);
    }

    /** The evaluate object of DESIGN.md: detector, background, signals with auc, eps_s, max_significance_improvement. */
    public static ObjectNode toJson(Evaluation evaluation) {
        ObjectNode root = Json.object();
        root.put("detector", evaluation.detector());
        ObjectNode background = root.putObject("background");
        background.put("file", evaluation.backgroundName());
        background.put("events", evaluation.backgroundEvents());
        ArrayNode signals = root.putArray("signals");
        for (Evaluation.Signal s : evaluation.signals()) {
            ObjectNode node = signals.addObject();
            node.put("name", s.name());
            node.put("events", s.roc().signalEvents());
            node.put("auc", s.figures().auc());
            ObjectNode eps = node.putObject("eps_s");
            s.figures().signalEfficiency().forEach(eps::put);
            node.put("max_significance_improvement", s.figures().maxSignificanceImprovement());
            ObjectNode resolved = node.putObject("eps_b_resolved");
            s.figures().resolved().forEach(resolved::put);
        }
        return root;
    }

    /** A table a person reads: one row per signal. */
    public static void printTable(PrintWriter out, Evaluation evaluation) {
        out.printf("%s against %s (%d background events)%n", evaluation.detector(), evaluation.backgroundName(),
                evaluation.backgroundEvents());
        out.printf("  %-34s %7s %7s %9s %9s %9s %8s%n", "signal", "events", "AUC", "eS@1e-2", "eS@1e-3", "eS@1e-4", "max SI");
        for (Evaluation.Signal s : evaluation.signals()) {
            FiguresOfMerit f = s.figures();
            out.printf("  %-34s %7d %7.3f %9s %9s %9s %8.2f%n", s.name(), s.roc().signalEvents(), f.auc(),
                    cell(f, "1e-2"), cell(f, "1e-3"), cell(f, "1e-4"), f.maxSignificanceImprovement());
        }
        if (evaluation.signals().stream().anyMatch(s -> s.figures().resolved().containsValue(false))) {
            out.println("  * background efficiency below 1/(background events): interpolated, not resolved by the sample");
        }
    }

    static String cell(FiguresOfMerit f, String label) {
        return String.format("%.4f%s", f.signalEfficiency().get(label), f.resolved().get(label) ? "" : "*");
    }
}
