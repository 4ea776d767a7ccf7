package org.darkscope.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.darkscope.Pipeline;
import org.darkscope.bundle.TrainedModel;
import org.darkscope.event.Distortion;
import org.darkscope.event.Event;
import org.darkscope.io.EventReader;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;
import org.darkscope.metric.Evaluation;
import org.darkscope.metric.FigureDifference;
import org.darkscope.metric.FiguresOfMerit;
import org.darkscope.report.DifferencesTable;
import org.darkscope.report.HtmlReport;
import org.darkscope.select.Channel;
import org.darkscope.select.SelectedEvents;

/** Scores a background file and signal files with a model, and turns the result into JSON and a table. */
public final class Evaluator {
    private Evaluator() {
    }

    /**
     * What a model is judged on: a background file and signal files, read in {@code mode}, with the
     * event-weight column applied if {@code weighted}.
     */
    record Samples(Path background, List<Path> signals, ParseMode mode, boolean weighted) {
        Samples {
            signals = List.copyOf(signals);
        }
    }

    /**
     * Scores and evaluates, streaming each file (only scores and weights are kept); a file holding
     * training events is refused by {@code overlap}; what reading each file found (skipped lines,
     * events outside the channel) goes to {@code say}; each signal's statistical errors are drawn
     * only if {@code errors}; how far scoring has got goes to {@code progress}.
     */
    static Evaluation evaluate(TrainedModel model, TrainingOverlap overlap, Samples samples, boolean errors,
                               java.util.function.Consumer<String> say, Pipeline.Progress progress) {
        Pipeline.ScoredSample reference = Pipeline.scoreFile(model, overlap.trainingEvents(), samples.background(), samples.mode(),
                Pipeline.Selection.IN_CHANNEL, fingerprint -> { }, progress);
        overlap.check(samples.background(), reference.overlap());
        say.accept(reference.describeReading(samples.weighted()));
        double[] referenceWeights = samples.weighted() ? reference.measurementWeights() : null;
        List<Evaluation.Signal> results = new ArrayList<>();
        for (Path signal : samples.signals()) {
            Pipeline.ScoredSample scored = Pipeline.scoreFile(model, overlap.trainingEvents(), signal, samples.mode(),
                    Pipeline.Selection.IN_CHANNEL, fingerprint -> { }, progress);
            overlap.check(signal, scored.overlap());
            say.accept(scored.describeReading(samples.weighted()));
            results.add(Evaluation.signal(EventFiles.sampleName(signal), reference.scores(), referenceWeights, scored.scores(),
                    samples.weighted() ? scored.measurementWeights() : null, errors));
        }
        return new Evaluation(model.manifest().detector(), samples.background().toString(), reference.scores(), referenceWeights, results);
    }

    /**
     * The signal-agnostic protocol's evaluation: the events of {@code background} are dealt
     * alternately into a reference half (even positions) and a half that every {@link Distortion}
     * distorts (odd positions), so that reference and pseudo-signal never share an event. Each
     * distortion draws from its own generator seeded by {@code seed} and its position in
     * {@link Distortion#values()}: the same file distorts the same way every time. What reading
     * found goes to {@code say}.
     */
    static Evaluation evaluateDistortions(TrainedModel model, Path background, ParseMode mode, long seed,
                                          java.util.function.Consumer<String> say) {
        Distortion[] distortions = Distortion.values();
        SplittableRandom[] randoms = new SplittableRandom[distortions.length];
        Scores reference = new Scores();
        Scores[] distorted = new Scores[distortions.length];
        for (int d = 0; d < distortions.length; d++) {
            randoms[d] = new SplittableRandom(seed + d);
            distorted[d] = new Scores();
        }
        List<Event> even = new ArrayList<>();
        List<Event> odd = new ArrayList<>();
        long index = 0;
        Channel channel = Channel.byName(model.manifest().channel());
        try (EventReader file = EventReader.open(background, mode)) {
            SelectedEvents reader = new SelectedEvents(file, channel, false); // distorted and judged in the model's channel
            while (reader.hasNext() || !even.isEmpty()) {
                if (reader.hasNext()) {
                    (index++ % 2 == 0 ? even : odd).add(reader.next());
                }
                if (even.size() + odd.size() == Pipeline.CHUNK || !reader.hasNext()) {
                    reference.add(Pipeline.scoreEvents(model, even));
                    for (int d = 0; d < distortions.length; d++) {
                        List<Event> copies = new ArrayList<>(odd.size());
                        for (Event e : odd) {
                            copies.add(distortions[d].apply(e, randoms[d]));
                        }
                        distorted[d].add(Pipeline.scoreEvents(model, copies));
                    }
                    even.clear();
                    odd.clear();
                }
            }
            say.accept(EventFiles.describeSkipped(List.of(file.report())) + Pipeline.describeOutsideChannel(background,
                    reader.outside(), reader.outside() + index, channel, Pipeline.Selection.IN_CHANNEL));
        }
        List<Evaluation.Signal> results = new ArrayList<>();
        for (int d = 0; d < distortions.length; d++) {
            results.add(Evaluation.signal(distortions[d].sampleName(), reference.array(), null, distorted[d].array(), null));
        }
        return new Evaluation(model.manifest().detector(), background + " (even events; odd events distorted)",
                reference.array(), null, results);
    }

    /** Scores collected chunk by chunk. */
    private static final class Scores {
        private float[] values = new float[Pipeline.CHUNK];
        private int n;

        void add(float[] part) {
            if (n + part.length > values.length) {
                values = java.util.Arrays.copyOf(values, Math.max(2 * values.length, n + part.length));
            }
            System.arraycopy(part, 0, values, n, part.length);
            n += part.length;
        }

        float[] array() {
            return java.util.Arrays.copyOf(values, n);
        }
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
            ObjectNode shared = node.putObject("eps_b_on_shared_score");
            s.figures().onSharedScore().forEach(shared::put);
            if (s.errors() != null) {
                node.put("error_method", s.errors().method().label());
                putFinite(node, "auc_error", s.errors().auc());
                ObjectNode epsErrors = node.putObject("eps_s_error");
                s.errors().signalEfficiency().forEach((label, error) -> putFinite(epsErrors, label, error));
                putLimits(node, s);
            }
        }
        List<Evaluation.Signal> distorted = distorted(evaluation);
        if (!distorted.isEmpty()) {
            ObjectNode summary = root.putObject("distortions");
            summary.put("mean_auc", distorted.stream().mapToDouble(s -> s.figures().auc()).average().orElseThrow());
            ObjectNode eps = summary.putObject("mean_eps_s");
            for (String label : distorted.get(0).figures().signalEfficiency().keySet()) {
                eps.put(label, distorted.stream().mapToDouble(s -> s.figures().signalEfficiency().get(label)).average().orElseThrow());
            }
        }
        return root;
    }

    /**
     * A difference to another detector on the same events: {@code minus} (the detector subtracted),
     * {@code auc}, {@code error_method}, {@code auc_error}, {@code eps_s} and {@code eps_s_error} (resolved eps_B only).
     */
    static ObjectNode toJson(FigureDifference difference) {
        ObjectNode node = Json.object();
        node.put("minus", difference.minus());
        node.put("auc", difference.auc());
        node.put("error_method", difference.errors().method().label());
        putFinite(node, "auc_error", difference.errors().auc());
        ObjectNode eps = node.putObject("eps_s");
        difference.signalEfficiency().forEach(eps::put);
        ObjectNode epsErrors = node.putObject("eps_s_error");
        difference.errors().signalEfficiency().forEach((label, error) -> putFinite(epsErrors, label, error));
        return node;
    }

    /**
     * Adds to each signal of an evaluate object ({@link #toJson(Evaluation)}) its {@code differences}
     * to other detectors on the same events, from the rows of that signal.
     */
    static void putDifferences(ObjectNode evaluation, List<DifferencesTable.Row> rows) {
        for (DifferencesTable.Row row : rows) {
            for (com.fasterxml.jackson.databind.JsonNode signal : evaluation.get("signals")) {
                if (signal.get("name").asText().equals(row.signal())) {
                    ArrayNode node = ((ObjectNode) signal).putArray("differences");
                    row.differences().forEach(d -> node.add(toJson(d)));
                }
            }
        }
    }

    /**
     * {@code eps_s_upper_limit} and {@code eps_s_lower_limit}, each present only where it applies:
     * per eps_B, the 95 % limit where no signal event passes, or every one ({@link Evaluation.Signal#signalEfficiencyLimit}).
     */
    private static void putLimits(ObjectNode node, Evaluation.Signal s) {
        for (String label : s.figures().signalEfficiency().keySet()) {
            double limit = s.signalEfficiencyLimit(label);
            if (!Double.isNaN(limit)) {
                String key = limitKey(s.figures().signalEfficiency().get(label));
                (node.has(key) ? (ObjectNode) node.get(key) : node.putObject(key)).put(label, limit);
            }
        }
    }

    /** The JSON key of the limit of an efficiency of 0 ({@code eps_s_upper_limit}) or 1 ({@code eps_s_lower_limit}). */
    static String limitKey(double efficiency) {
        return efficiency == 0 ? "eps_s_upper_limit" : "eps_s_lower_limit";
    }

    /** {@code value} under {@code key}, null where it is not a number (JSON has none such). */
    private static void putFinite(ObjectNode node, String key, double value) {
        if (Double.isFinite(value)) {
            node.put(key, value);
        } else {
            node.putNull(key);
        }
    }

    /** The pseudo-signals of the signal-agnostic protocol among an evaluation's signals. */
    static List<Evaluation.Signal> distorted(Evaluation evaluation) {
        List<String> names = java.util.Arrays.stream(Distortion.values()).map(Distortion::sampleName).toList();
        return evaluation.signals().stream().filter(s -> names.contains(s.name())).toList();
    }

    /** A table a person reads: one row per signal. */
    public static void printTable(PrintWriter out, Evaluation evaluation) {
        out.printf("%s against %s (%d background events)%n", evaluation.detector(), evaluation.backgroundName(),
                evaluation.backgroundEvents());
        out.printf("  %-34s %7s %7s %9s %9s %9s %8s%n", "signal", "events", "AUC", "eS@1e-2", "eS@1e-3", "eS@1e-4", "max SI");
        for (Evaluation.Signal s : evaluation.signals()) {
            FiguresOfMerit f = s.figures();
            out.printf("  %-34s %7d %7.3f %9s %9s %9s %8.2f%n", s.name(), s.roc().signalEvents(), f.auc(),
                    f.marked("1e-2"), f.marked("1e-3"), f.marked("1e-4"), f.maxSignificanceImprovement());
            if (!Double.isNaN(s.aucError())) {
                out.println(String.format("  %-34s %7s %7.3f %9s %9s %9s", "  +- statistical (" + s.errors().method().label() + ")", "", s.aucError(),
                        error(s, "1e-2"), error(s, "1e-3"), error(s, "1e-4")).stripTrailing());
            }
        }
        List<Evaluation.Signal> distorted = distorted(evaluation);
        if (!distorted.isEmpty()) {
            out.printf(java.util.Locale.ROOT, "  %-34s %7s %7.3f %9.4f%n", "mean over distortions", "",
                    distorted.stream().mapToDouble(s -> s.figures().auc()).average().orElseThrow(),
                    distorted.stream().mapToDouble(s -> s.figures().signalEfficiency().get("1e-2")).average().orElseThrow());
        }
        if (evaluation.signals().stream().anyMatch(s -> s.figures().resolved().containsValue(false))) {
            out.println("  * background efficiency below 1/(background events): interpolated, not resolved by the sample");
        }
        if (evaluation.signals().stream().anyMatch(Evaluation.Signal::onSharedScore)) {
            out.println("  " + HtmlReport.SHARED_SCORE);
        }
        List<String> few = evaluation.signals().stream().filter(Evaluation.Signal::fewEvents).map(Evaluation.Signal::name).toList();
        if (!few.isEmpty()) {
            out.println("  " + String.join(", ", few) + ": " + HtmlReport.FEW_EVENTS);
        }
        if (evaluation.signals().stream().anyMatch(Evaluation.Signal::hasEfficiencyLimit)) {
            out.println("  " + HtmlReport.LIMITS + ".");
        }
    }

    private static String error(Evaluation.Signal s, String label) {
        double limit = s.signalEfficiencyLimit(label);
        if (!Double.isNaN(limit)) {
            return String.format("%s%.4f", HtmlReport.limitSign(s.figures().signalEfficiency().get(label)), limit);
        }
        double error = s.signalEfficiencyError(label);
        return Double.isNaN(error) ? "" : String.format("%.4f", error);
    }
}
