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
 * signals, and training curves. Figures are XChart PNGs embedded as data URIs.
 */
public final class HtmlReport {
    public static final String PAGE = "report.html";
    private static final int WIDTH = 560;
    private static final int HEIGHT = 380;
    private static final int BINS = 40;

    /** One detector's evaluation, its training history, or the error that stopped it. */
    public record Entry(Evaluation evaluation, Manifest.History history, String error) {
    }

    private HtmlReport() {
    }

    /** Writes {@code directory/report.html}. {@code entries} may hold failed detectors (error set). */
    public static void write(Path directory, List<Entry> entries) {
        write(directory, entries, List.of());
    }

    /** Writes {@code directory/report.html} with learning curves (none when {@code curve} is empty). */
    public static void write(Path directory, List<Entry> entries, List<LearningCurve.Point> curve) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>darkscope report</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;color:#222} table{border-collapse:collapse} ")
                .append("td,th{border:1px solid #bbb;padding:4px 8px;text-align:right} th{background:#eee} ")
                .append("td.name{text-align:left} .best{font-weight:bold;background:#e6f4e6} img{margin:6px}")
                .append("</style></head><body>\n<h1>darkscope report</h1>\n");
        List<String> signals = signalNames(entries);
        html.append("<h2>Results</h2>\n").append(table(entries, signals));
        html.append("<p>AUC: area under the ROC curve. eps_S@eps_B: signal efficiency at background efficiency eps_B "
                + "(* = below one background event: interpolated, not resolved by the sample). "
                + "SI: maximum significance improvement eps_S/sqrt(eps_B). Bold: best per signal.</p>\n");
        html.append("<h2>ROC curves</h2>\n");
        for (String signal : signals) {
            html.append(image(rocChart(entries, signal), "ROC curve, " + signal));
        }
        html.append("<h2>Score distributions</h2>\n");
        for (Entry entry : entries) {
            if (entry.evaluation() != null) {
                html.append(image(scoreChart(entry.evaluation()), "scores of " + entry.evaluation().detector()));
            }
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
                        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.2f |\n", e.evaluation().detector(), signal,
                                f.auc() == best ? "**" + auc + "**" : auc, efficiency(f, "1e-2"), efficiency(f, "1e-3"),
                                efficiency(f, "1e-4"), f.maxSignificanceImprovement()));
                    }
                }
            }
        }
        for (Entry e : entries) {
            if (e.error() != null) {
                md.append("\nfailed: ").append(e.error()).append('\n');
            }
        }
        md.append("\nBold: best AUC per signal. * background efficiency below one background event: interpolated, not resolved.\n");
        return md.toString();
    }

    private static String efficiency(FiguresOfMerit f, String label) {
        return String.format(Locale.ROOT, "%.4f%s", f.signalEfficiency().get(label), f.resolved().get(label) ? "" : "*");
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
                            .append("</td><td>").append(efficiency(f, "1e-2")).append("</td><td>").append(efficiency(f, "1e-3"))
                            .append("</td><td>").append(efficiency(f, "1e-4")).append("</td><td>")
                            .append(String.format(Locale.ROOT, "%.2f", f.maxSignificanceImprovement())).append("</td>");
                });
            }
            t.append("</tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        return chart;
    }

    /** Background rejection 1/eps_B against signal efficiency, one line per detector. */
    static XYChart rocChart(List<Entry> entries, String signal) {
        XYChart chart = chart("ROC: " + signal, "signal efficiency eps_S", "background rejection 1/eps_B");
        chart.getStyler().setYAxisLogarithmic(true);
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

    /** Normalised score histograms of background and each signal. */
    static XYChart scoreChart(Evaluation evaluation) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        List<float[]> samples = new ArrayList<>();
        List<String> names = new ArrayList<>();
        samples.add(evaluation.backgroundScores());
        names.add("background");
        for (Evaluation.Signal s : evaluation.signals()) {
            samples.add(s.scores());
            names.add(s.name());
        }
        for (float[] sample : samples) {
            for (float v : sample) {
                if (Float.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        XYChart chart = chart("Scores: " + evaluation.detector(), "anomaly score", "fraction of events");
        double range = hi - lo;
        chart.getStyler().setXAxisDecimalPattern(range >= 100 ? "#,##0" : range >= 1 ? "0.##" : "0.####");
        double width = (hi - lo) / BINS;
        for (int k = 0; k < samples.size(); k++) {
            double[] x = new double[BINS];
            double[] y = new double[BINS];
            for (int b = 0; b < BINS; b++) {
                x[b] = lo + (b + 0.5) * width;
            }
            for (float v : samples.get(k)) {
                int b = (int) Math.min(BINS - 1, Math.max(0, Math.floor((v - lo) / width)));
                y[b] += 1.0 / samples.get(k).length;
            }
            XYSeries series = chart.addSeries(names.get(k), x, y);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            series.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** Loss and validation loss per epoch. */
    static XYChart trainingChart(String detector, Manifest.History history) {
        XYChart chart = chart("Training: " + detector, "epoch", "loss per event");
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
        }
        return chart;
    }

    private static String image(XYChart chart, String alt) {
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            return "<img alt=\"" + escape(alt) + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\">\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
