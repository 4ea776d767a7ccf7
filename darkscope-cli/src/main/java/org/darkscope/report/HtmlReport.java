package org.darkscope.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.darkscope.bundle.Manifest;
import org.darkscope.io.AtomicFile;
import org.darkscope.metric.Evaluation;
import org.darkscope.metric.FiguresOfMerit;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A static HTML page that opens from disk without a server: the results table (detectors x
 * signals, best per signal marked), ROC curves per signal in the challenge's style (background
 * rejection 1/eps_B against signal efficiency, log scale), score distributions of background and
 * signals (over the central 99.9 % of all scores, on a log axis where they span decades, what lies
 * outside counted in the legend), and training curves; and the report's provenance. Figures are
 * XChart PNGs embedded as data URIs.
 */
public final class HtmlReport {
    public static final String PAGE = "report.html";
    private static final int WIDTH = 560;
    private static final int HEIGHT = 380;
    private static final int BINS = 40;
    /** The score histograms show the scores between these quantiles of all scores. */
    static final double LOW_QUANTILE = 0.0005;
    static final double HIGH_QUANTILE = 0.9995;

    /** One detector's evaluation and its model's manifest, or the error that stopped it. */
    public record Entry(Evaluation evaluation, Manifest manifest, String error) {
        Manifest.History history() {
            return manifest == null ? null : manifest.history();
        }
    }

    private HtmlReport() {
    }

    /**
     * Writes {@code directory/report.html}: {@code entries} (which may hold failed detectors), the
     * learning curves (none when {@code curve} is empty) and the provenance.
     */
    public static void write(Path directory, List<Entry> entries, List<LearningCurve.Point> curve, ReportProvenance provenance) {
        write(directory, entries, curve, "", List.of(), null, provenance);
    }

    /**
     * As {@link #write(Path, List, List, ReportProvenance)}, with the detectors against others
     * ({@code differences}, under {@code differencesHeading}) and the pseudo-data figures where
     * {@code pseudoData} is given.
     */
    public static void write(Path directory, List<Entry> entries, List<LearningCurve.Point> curve, String differencesHeading,
                             List<DifferencesTable.Row> differences, PseudoData pseudoData, ReportProvenance provenance) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>darkscope report</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;color:#222} table{border-collapse:collapse} ")
                .append("td,th{border:1px solid #bbb;padding:4px 8px;text-align:right} th{background:#eee} ")
                .append("td.name{text-align:left} .best{font-weight:bold;background:#e6f4e6} img{margin:6px} table{margin:6px 0}")
                .append("</style></head><body>\n<h1>darkscope report</h1>\n");
        List<String> signals = signalNames(entries);
        html.append("<h2>Results</h2>\n").append(table(entries, signals));
        html.append("<p>AUC: area under the ROC curve. eps_S@eps_B: signal efficiency at background efficiency eps_B "
                + "(* = below one background event: interpolated, not resolved by the sample). "
                + "SI: maximum significance improvement eps_S/sqrt(eps_B). Bold: best per signal. " + ERRORS
                + caveats(entries) + "</p>\n");
        html.append(DifferencesTable.html(differencesHeading, differences));
        html.append("<h2>ROC curves</h2>\n");
        for (String signal : signals) {
            html.append(image(rocChart(entries, signal), "ROC curve, " + signal));
        }
        html.append("<h2>Score distributions</h2>\n");
        for (Entry entry : entries) {
            if (entry.evaluation() != null && entry.evaluation().backgroundScores().length == 0) {
                html.append("<p>").append(escape(entry.evaluation().detector())).append(": judged by Spark, which keeps the ROC curve's "
                        + "groups of equal score and no event's score: no distributions.</p>\n");
            } else if (entry.evaluation() != null) {
                html.append(image(scoreChart(entry.evaluation()), "scores of " + entry.evaluation().detector()));
            }
        }
        if (pseudoData != null) {
            html.append(pseudoData.html(entries));
        }
        html.append("<h2>Training curves</h2>\n");
        for (Entry entry : entries) {
            if (entry.evaluation() != null && entry.history() != null && !entry.history().epochs().isEmpty()) {
                html.append(image(trainingChart(entry.evaluation().detector(), entry.history()),
                        "training of " + entry.evaluation().detector()));
            }
        }
        if (!curve.isEmpty()) {
            html.append("<h2>Learning curves</h2>\n<p>Each detector trained on the first N background events; "
                    + "ht and met need no training and are flat.</p>\n");
            for (String signal : LearningCurve.signals(curve)) {
                html.append(image(LearningCurve.chart(curve, signal, false), "AUC against training events, " + signal));
                html.append(image(LearningCurve.chart(curve, signal, true), "eps_S against training events, " + signal));
            }
        }
        html.append(provenance.html());
        html.append("</body></html>\n");
        AtomicFile.write(directory.resolve(PAGE), html.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> signalNames(List<Entry> entries) {
        List<String> names = new ArrayList<>();
        for (Entry e : entries) {
            if (e.evaluation() != null) {
                for (Evaluation.Signal s : e.evaluation().signals()) {
                    if (!names.contains(s.name())) {
                        names.add(s.name());
                    }
                }
            }
        }
        return names;
    }

    /** The results table as Markdown (results.md), best AUC per signal in bold. */
    public static String markdown(List<Entry> entries) {
        List<String> signals = signalNames(entries);
        StringBuilder md = new StringBuilder("| detector | signal | AUC | eps_S@1e-2 | eps_S@1e-3 | eps_S@1e-4 | max SI |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (String signal : signals) {
            double best = bestAuc(entries, signal);
            for (Entry e : entries) {
                if (e.evaluation() == null) {
                    continue;
                }
                for (Evaluation.Signal s : e.evaluation().signals()) {
                    if (s.name().equals(signal)) {
                        FiguresOfMerit f = s.figures();
                        String auc = String.format(Locale.ROOT, "%.3f", f.auc());
                        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.2f |\n", Markdown.cell(e.evaluation().detector()),
                                Markdown.cell(signal),
                                (f.auc() == best ? "**" + auc + "**" : auc) + aucError(s), efficiency(s, "1e-2"), efficiency(s, "1e-3"),
                                efficiency(s, "1e-4"), f.maxSignificanceImprovement()));
                    }
                }
            }
        }
        for (Entry e : entries) {
            if (e.error() != null) {
                md.append("\nfailed: ").append(e.error()).append('\n');
            }
        }
        md.append("\nBold: best AUC per signal. * background efficiency below one background event: interpolated, not resolved. ")
                .append(ERRORS).append(caveats(entries)).append('\n');
        return md.toString();
    }

    /** What the errors beside the figures are. */
    private static final String ERRORS = "+-: the statistical error from the events judged (bootstrap; above 2 million events the asymptotic formulas), not the spread of training.";

    /** What the table's figures need said where they occur: limits in place of errors, signals of a few events. */
    private static String caveats(List<Entry> entries) {
        List<Evaluation.Signal> judged = entries.stream().filter(e -> e.evaluation() != null)
                .flatMap(e -> e.evaluation().signals().stream()).toList();
        List<String> few = judged.stream().filter(Evaluation.Signal::fewEvents).map(Evaluation.Signal::name).distinct().toList();
        return (judged.stream().anyMatch(Evaluation.Signal::hasEfficiencyLimit) ? " " + LIMITS + "." : "")
                + (judged.stream().anyMatch(Evaluation.Signal::onSharedScore) ? " " + SHARED_SCORE : "")
                + (few.isEmpty() ? "" : " " + String.join(", ", few) + ": " + FEW_EVENTS);
    }

    /** What the mark {@code ^} beside an efficiency says. */
    public static final String SHARED_SCORE = "^ the threshold falls on a score that background and signal events share: eps_S is"
            + " interpolated across them, the efficiency of a threshold keeping a random share of them, which no cut on the score gives.";

    /** What is said of a signal with fewer than {@link Evaluation#FEW_EVENTS} events. */
    public static final String FEW_EVENTS = "fewer than " + Evaluation.FEW_EVENTS + " signal events, whose errors are rough themselves (the"
            + " bootstrap's is on average a third too small with 3 events; docs/reference.md, figures of merit).";

    /** What a limit in place of an error is (a clause, without its full stop). */
    public static final String LIMITS = "< x (> x): no signal event passes (every one does), and the error would say nothing of"
            + " how few fix that; in its place the 95 % upper (lower) limit";

    /** " (< 0.0023)" beside an efficiency of 0, " (> 0.9977)" beside one of 1: its limit ({@link Evaluation.Signal#signalEfficiencyLimit}). */
    static String limit(double efficiency, double limit) {
        return String.format(Locale.ROOT, " (%s %.4f)", limitSign(efficiency), limit);
    }

    /** The side of an efficiency's limit: {@code <} above an efficiency of 0 (an upper limit), {@code >} below one of 1. */
    public static String limitSign(double efficiency) {
        return efficiency == 0 ? "<" : ">";
    }

    /** eps_S at {@code label}, with its statistical error where it has one, or its limit ({@link Evaluation.Signal#signalEfficiencyLimit}). */
    private static String efficiency(Evaluation.Signal s, String label) {
        FiguresOfMerit f = s.figures();
        double error = s.signalEfficiencyError(label);
        double limit = s.signalEfficiencyLimit(label);
        String value = f.marked(label);
        if (!Double.isNaN(limit)) {
            return value + limit(f.signalEfficiency().get(label), limit);
        }
        return value + (Double.isNaN(error) ? "" : String.format(Locale.ROOT, " +- %.4f", error));
    }

    private static String aucError(Evaluation.Signal s) {
        return Double.isNaN(s.aucError()) ? "" : String.format(Locale.ROOT, " +- %.3f", s.aucError());
    }

    private static double bestAuc(List<Entry> entries, String signal) {
        return entries.stream().filter(e -> e.evaluation() != null).flatMap(e -> e.evaluation().signals().stream())
                .filter(s -> s.name().equals(signal)).mapToDouble(s -> s.figures().auc()).max().orElse(Double.NaN);
    }

    private static String table(List<Entry> entries, List<String> signals) {
        StringBuilder t = new StringBuilder("<table><tr><th>detector</th>");
        for (String s : signals) {
            t.append("<th colspan=\"5\">").append(escape(s)).append("</th>");
        }
        t.append("</tr><tr><th></th>");
        for (int i = 0; i < signals.size(); i++) {
            t.append("<th>AUC</th><th>eps_S@1e-2</th><th>eps_S@1e-3</th><th>eps_S@1e-4</th><th>SI</th>");
        }
        t.append("</tr>\n");
        for (Entry e : entries) {
            if (e.evaluation() == null) {
                t.append("<tr><td class=\"name\">").append(escape(e.error())).append("</td></tr>\n");
                continue;
            }
            t.append("<tr><td class=\"name\">").append(escape(e.evaluation().detector())).append("</td>");
            for (String signal : signals) {
                double best = bestAuc(entries, signal);
                e.evaluation().signals().stream().filter(s -> s.name().equals(signal)).findFirst().ifPresent(s -> {
                    FiguresOfMerit f = s.figures();
                    t.append(f.auc() == best ? "<td class=\"best\">" : "<td>").append(String.format(Locale.ROOT, "%.3f", f.auc()))
                            .append(aucError(s)).append("</td><td>").append(efficiency(s, "1e-2")).append("</td><td>")
                            .append(efficiency(s, "1e-3")).append("</td><td>").append(efficiency(s, "1e-4")).append("</td><td>")
                            .append(String.format(Locale.ROOT, "%.2f", f.maxSignificanceImprovement())).append("</td>");
                });
            }
            t.append("</tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    /** Height of one line of a legend, in pixels. */
    private static final int LEGEND_LINE = 17;

    /** A chart with its legend below the plot, where it covers no curve, and room for {@code series} lines of it. */
    static XYChart chart(String title, String x, String y, int series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT + LEGEND_LINE * series).title(title).xAxisTitle(x).yAxisTitle(y)
                .build();
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        return chart;
    }

    /** Background rejection 1/eps_B against signal efficiency, one line per detector. */
    static XYChart rocChart(List<Entry> entries, String signal) {
        XYChart chart = chart("ROC: " + signal, "signal efficiency eps_S", "background rejection 1/eps_B",
                (int) entries.stream().filter(e -> e.evaluation() != null).count());
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("0.0#");
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(1.0);
        for (Entry e : entries) {
            if (e.evaluation() == null) {
                continue;
            }
            for (Evaluation.Signal s : e.evaluation().signals()) {
                if (!s.name().equals(signal)) {
                    continue;
                }
                double[] fpr = s.roc().backgroundEfficiencies();
                double[] tpr = s.roc().signalEfficiencies();
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (int i = 0; i < fpr.length; i++) {
                    if (fpr[i] > 0) {
                        xs.add(tpr[i]);
                        ys.add(1 / fpr[i]);
                    }
                }
                if (!xs.isEmpty()) {
                    chart.addSeries(String.format(Locale.ROOT, "%s (AUC %.3f)", e.evaluation().detector(), s.figures().auc()), xs, ys)
                            .setMarker(SeriesMarkers.NONE);
                }
            }
        }
        return chart;
    }

    /**
     * Normalised score histograms of background and each signal, over the central 99.9 % of all
     * their scores (a density's -log p can reach 1e17 for one event far outside the training range,
     * which would squeeze every other event into one bin): 40 bins, log-spaced where the scores are
     * positive and span more than three decades; each sample's fractions below and above the range
     * are given in the legend.
     */
    static XYChart scoreChart(Evaluation evaluation) {
        List<float[]> samples = new ArrayList<>();
        List<String> names = new ArrayList<>();
        samples.add(evaluation.backgroundScores());
        names.add("background");
        for (Evaluation.Signal s : evaluation.signals()) {
            samples.add(s.scores());
            names.add(s.name());
        }
        double[] range = centralRange(samples);
        double lo = range[0];
        double hi = range[1];
        // log-spaced where positive scores span decades or crowd into the lowest tenth of the range (a long tail)
        boolean log = lo > 0 && (hi / lo > 1000 || range[2] - lo < 0.1 * (hi - lo));
        XYChart chart = chart("Scores: " + evaluation.detector(), "anomaly score (central 99.9 %)", "fraction of events", samples.size());
        chart.getStyler().setXAxisLogarithmic(log);
        double span = hi - lo;
        chart.getStyler().setXAxisDecimalPattern(log ? "0.#E0" : decimalPattern(span));
        double[] edges = new double[BINS + 1];
        for (int b = 0; b <= BINS; b++) {
            edges[b] = log ? lo * Math.pow(hi / lo, (double) b / BINS) : lo + span * b / BINS;
        }
        for (int k = 0; k < samples.size(); k++) {
            float[] sample = samples.get(k);
            double[] x = new double[BINS];
            double[] y = new double[BINS];
            for (int b = 0; b < BINS; b++) {
                x[b] = log ? Math.sqrt(edges[b] * edges[b + 1]) : (edges[b] + edges[b + 1]) / 2;
            }
            int below = 0;
            int above = 0;
            for (float v : sample) {
                if (v < lo) {
                    below++;
                } else if (v > hi) {
                    above++;
                } else {
                    int b = java.util.Arrays.binarySearch(edges, v);
                    b = b >= 0 ? Math.min(b, BINS - 1) : -b - 2;
                    y[Math.max(0, Math.min(BINS - 1, b))] += 1.0 / sample.length;
                }
            }
            String outside = below + above == 0 ? "" : String.format(Locale.ROOT, " (%.2f %% below, %.2f %% above the range)",
                    100.0 * below / sample.length, 100.0 * above / sample.length);
            XYSeries series = chart.addSeries(names.get(k) + outside, x, y);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            series.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** Labels with as many decimals as a range of {@code span} needs, no more: 0.39, not 0.3924. */
    static String decimalPattern(double span) {
        if (span >= 10_000) { // five digits and more crowd the axis: 2.5E4
            return "0.#E0";
        }
        if (span >= 100) {
            return "#,##0";
        }
        int decimals = Math.max(1, (int) Math.ceil(-Math.log10(span)) + 1);
        return "0." + "#".repeat(decimals);
    }

    /**
     * The {@link #LOW_QUANTILE} and {@link #HIGH_QUANTILE} quantiles of all finite scores pooled
     * (a range of 1 around a single value), and their median.
     */
    static double[] centralRange(List<float[]> samples) {
        int n = samples.stream().mapToInt(a -> a.length).sum();
        float[] all = new float[n];
        int at = 0;
        for (float[] sample : samples) {
            for (float v : sample) {
                if (Float.isFinite(v)) {
                    all[at++] = v;
                }
            }
        }
        all = java.util.Arrays.copyOf(all, at);
        java.util.Arrays.sort(all);
        if (at == 0) {
            return new double[] {0, 1, 0.5};
        }
        double lo = all[(int) Math.floor(LOW_QUANTILE * (at - 1))];
        double hi = all[(int) Math.ceil(HIGH_QUANTILE * (at - 1))];
        double median = all[(at - 1) / 2];
        return hi > lo ? new double[] {lo, hi, median} : new double[] {lo - 0.5, lo + 0.5, lo};
    }

    /** Loss and validation loss per epoch. */
    static XYChart trainingChart(String detector, Manifest.History history) {
        XYChart chart = chart("Training: " + detector, "epoch", "loss per event", 2);
        List<Double> epochs = new ArrayList<>();
        List<Double> loss = new ArrayList<>();
        List<Double> validation = new ArrayList<>();
        for (Manifest.Epoch e : history.epochs()) {
            if (Double.isFinite(e.loss()) && Double.isFinite(e.validationLoss())) {
                epochs.add((double) e.epoch());
                loss.add(e.loss());
                validation.add(e.validationLoss());
            }
        }
        if (!epochs.isEmpty()) {
            chart.addSeries("loss", epochs, loss).setMarker(SeriesMarkers.NONE);
            chart.addSeries("validation loss", epochs, validation).setMarker(SeriesMarkers.NONE);
            List<Double> all = new ArrayList<>(loss);
            all.addAll(validation);
            double min = all.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double max = all.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            if (min > 0 && max / min > 100) {
                chart.getStyler().setYAxisLogarithmic(true); // a spike of 1e8 would flatten the rest on a linear axis
            } else if (min <= 0 && all.size() > 4) {
                double[] sorted = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                double typical = sorted[(int) (0.9 * (sorted.length - 1))];
                if (max - min > 10 * (typical - min)) {
                    chart.getStyler().setYAxisMax(typical + 2 * (typical - min)); // losses that go negative: clip the spike
                    chart.setTitle("Training: " + detector + " (spikes clipped)");
                }
            }
        }
        return chart;
    }

    static String image(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, String alt) {
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            return "<img alt=\"" + escape(alt) + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\">\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String escape(String text) {
        return ReportProvenance.escape(text);
    }
}
