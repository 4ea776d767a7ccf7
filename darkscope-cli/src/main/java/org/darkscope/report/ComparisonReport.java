package org.darkscope.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.darkscope.Comparison;
import org.darkscope.io.AtomicFile;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The comparison as a table and figures: one row per signal, one column per method (a method
 * trained per signal, the supervised classifier, has two: on the signal itself, the ideal, and
 * on the other signals, their mean), each cell AUC and eps_S at 1e-2, the best of a row in bold;
 * the heat map of the AUCs; and, for the classifier, the matrix "trained on X, tested on Y".
 */
public final class ComparisonReport {
    public static final String PAGE = "report.html";
    public static final String MARKDOWN = "results.md";

    /** A column of the table: its heading, and its AUC and eps_S per signal (NaN where there is none). */
    public record Column(String heading, Map<String, double[]> values) {
    }

    private ComparisonReport() {
    }

    /** Where each cell's statistical error is. */
    private static final String ERRORS = "Each cell's statistical error from the events judged (bootstrap; above 2 million events the asymptotic formulas): auc_error and eps_s_error "
            + "in results.json.";

    /**
     * The table's columns: per method one, its cell per signal; a method with cells trained on the
     * signals themselves gets two, "(own signal)" and "(other signals)", the mean over the others.
     */
    public static List<Column> columns(Comparison.Result result) {
        List<Column> columns = new ArrayList<>();
        for (String method : result.methods()) {
            List<Comparison.Cell> cells = result.cells().stream().filter(c -> c.method().equals(method)).toList();
            boolean perSignal = cells.stream().anyMatch(c -> result.signals().contains(c.trainedOn()));
            if (!perSignal) {
                Map<String, double[]> values = new LinkedHashMap<>();
                cells.forEach(c -> values.put(c.signal(), new double[] {c.auc(), c.epsS()}));
                columns.add(new Column(method, values));
                continue;
            }
            Map<String, double[]> own = new LinkedHashMap<>();
            Map<String, double[]> others = new LinkedHashMap<>();
            for (String signal : result.signals()) {
                cells.stream().filter(c -> c.signal().equals(signal) && c.trainedOn().equals(signal)).findFirst()
                        .ifPresent(c -> own.put(signal, new double[] {c.auc(), c.epsS()}));
                List<Comparison.Cell> rest = cells.stream().filter(c -> c.signal().equals(signal) && !c.trainedOn().equals(signal)).toList();
                if (!rest.isEmpty()) {
                    others.put(signal, new double[] {rest.stream().mapToDouble(Comparison.Cell::auc).average().orElseThrow(),
                            rest.stream().mapToDouble(Comparison.Cell::epsS).average().orElseThrow()});
                }
            }
            columns.add(new Column(method + " (own signal)", own));
            columns.add(new Column(method + " (other signals)", others));
        }
        return columns;
    }

    /** The table in Markdown, the best AUC of each row in bold. */
    public static String markdown(Comparison.Result result) {
        List<Column> columns = columns(result);
        StringBuilder md = new StringBuilder("| signal |");
        columns.forEach(c -> md.append(' ').append(c.heading()).append(" |"));
        md.append("\n|---|").append("---|".repeat(columns.size())).append('\n');
        for (String signal : result.signals()) {
            double best = best(columns, signal);
            md.append("| ").append(signal).append(" |");
            for (Column c : columns) {
                double[] v = c.values().get(signal);
                String text = v == null ? "" : String.format(Locale.ROOT, "%.3f / %.3f", v[0], v[1]);
                md.append(' ').append(v != null && v[0] == best ? "**" + text + "**" : text).append(" |");
            }
            md.append('\n');
        }
        return md.append("\nEach cell: AUC / eps_S at eps_B = 1e-2; the best AUC of a row in bold. ").append(ERRORS).append('\n').toString();
    }

    private static double best(List<Column> columns, String signal) {
        return columns.stream().map(c -> c.values().get(signal)).filter(v -> v != null).mapToDouble(v -> v[0]).max().orElse(Double.NaN);
    }

    /** Writes {@code report.html} and {@code results.md} into {@code directory}. */
    public static void write(Path directory, Comparison.Result result, List<String> notes, ReportProvenance provenance) {
        List<Column> columns = columns(result);
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>darkscope compare</title>")
                .append("<style>body{font-family:sans-serif;margin:2em} table{border-collapse:collapse} ")
                .append("td,th{border:1px solid #bbb;padding:4px 8px;text-align:right} td.name{text-align:left}</style></head><body>\n")
                .append("<h1>Who wins? Supervised, weakly supervised and unsupervised, one signal left out at a time</h1>\n");
        notes.forEach(n -> html.append("<p>").append(ReportProvenance.escape(n)).append("</p>\n"));
        html.append("<table><tr><th>signal</th>");
        columns.forEach(c -> html.append("<th>").append(ReportProvenance.escape(c.heading())).append("</th>"));
        html.append("</tr>\n");
        for (String signal : result.signals()) {
            double best = best(columns, signal);
            html.append("<tr><td class=\"name\">").append(ReportProvenance.escape(signal)).append("</td>");
            for (Column c : columns) {
                double[] v = c.values().get(signal);
                String text = v == null ? "" : String.format(Locale.ROOT, "%.3f / %.3f", v[0], v[1]);
                html.append("<td>").append(v != null && v[0] == best ? "<b>" + text + "</b>" : text).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n<p>Each cell: AUC / eps_S at eps_B = 1e-2, on the held-out background and the part of the signal ")
                .append("no model trained on; the best AUC of a row in bold. ").append(ReportProvenance.escape(ERRORS)).append("</p>\n")
                .append(HtmlReport.image(heatMap("AUC, signal x method", "method", "signal", columns.stream().map(Column::heading).toList(), result.signals(),
                        (x, y) -> {
                            double[] v = columns.get(x).values().get(result.signals().get(y));
                            return v == null ? null : v[0];
                        }), "AUC heat map"));
        for (String method : result.methods()) {
            List<Comparison.Cell> cells = result.cells().stream()
                    .filter(c -> c.method().equals(method) && result.signals().contains(c.trainedOn())).toList();
            if (cells.isEmpty()) {
                continue;
            }
            html.append("<h2>").append(ReportProvenance.escape(method)).append(": trained on X, tested on Y (AUC)</h2>\n")
                    .append(HtmlReport.image(heatMap(method + ": AUC", "trained on", "tested on", result.signals(), result.signals(),
                            (x, y) -> cells.stream().filter(c -> c.trainedOn().equals(result.signals().get(x))
                                    && c.signal().equals(result.signals().get(y))).map(Comparison.Cell::auc).findFirst().orElse(null)),
                            method + " matrix"));
        }
        html.append(provenance.html()).append("</body></html>\n");
        AtomicFile.write(directory.resolve(PAGE), html.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFile.write(directory.resolve(MARKDOWN), markdown(result).getBytes(StandardCharsets.UTF_8));
    }

    /** A value of the heat map at column {@code x}, row {@code y}; null where there is none. */
    private interface Value {
        Double at(int x, int y);
    }

    private static HeatMapChart heatMap(String title, String xTitle, String yTitle, List<String> columns, List<String> rows, Value value) {
        int longest = columns.stream().mapToInt(String::length).max().orElse(10);
        HeatMapChart chart = new HeatMapChartBuilder().width(Math.max(640, columns.size() * Math.max(110, 6 * longest) + 360))
                .height(190 + 70 * rows.size()).title(title).build(); // the builder sets the theme's fonts and colours
        chart.getStyler().setXAxisLabelRotation(columns.size() > 3 || longest > 14 ? 20 : 0);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        chart.getStyler().setShowValue(true).setValueFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 13))
                .setHeatMapValueDecimalPattern("0.00").setMin(0).setMax(1)
                .setRangeColors(new java.awt.Color[] {new java.awt.Color(0x2c7bb6), java.awt.Color.WHITE, new java.awt.Color(0xd7191c)})
                .setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        List<Number[]> cells = new ArrayList<>();
        for (int x = 0; x < columns.size(); x++) {
            for (int y = 0; y < rows.size(); y++) {
                Double v = value.at(x, y);
                if (v != null) {
                    cells.add(new Number[] {x, y, v});
                }
            }
        }
        chart.addSeries("AUC", columns, rows, cells);
        return chart;
    }
}
