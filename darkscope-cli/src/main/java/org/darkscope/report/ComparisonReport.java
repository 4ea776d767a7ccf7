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

    /** A column of the table: its heading, and its figures per signal (none where there is no cell). */
    public record Column(String heading, Map<String, Figures> values) {
    }

    /**
     * A cell's AUC and eps_S at 1e-2, each with its statistical error; eps_S's limit in place of its
     * error where none or every signal event passes (NaN elsewhere), whether the background resolves
     * eps_B, and whether its threshold falls on a score that background and signal share.
     */
    public record Figures(double auc, double aucError, double epsS, double epsSError, double epsSLimit, boolean resolved,
                          boolean onSharedScore) {
        static Figures of(Comparison.Cell cell) {
            return new Figures(cell.auc(), cell.aucError(), cell.epsS(), cell.epsSError(), cell.epsSLimit(), cell.resolved(),
                    cell.onSharedScore());
        }

        /**
         * The mean of {@code cells}' figures, each error the mean of theirs: figures judged on the same
         * events are correlated, and the mean of the errors bounds the error of the mean whatever the
         * correlation (it is its value for figures that move together). A cell with a limit in place of
         * its error adds the limit's distance from its efficiency; where every cell has none (or every)
         * signal event passing, the mean has the mean of their limits in place of an error. Marked where
         * any cell is.
         */
        static Figures mean(List<Comparison.Cell> cells) {
            double epsS = cells.stream().mapToDouble(Comparison.Cell::epsS).average().orElseThrow();
            boolean allLimits = cells.stream().allMatch(c -> !Double.isNaN(c.epsSLimit()) && c.epsS() == epsS);
            return new Figures(cells.stream().mapToDouble(Comparison.Cell::auc).average().orElseThrow(),
                    cells.stream().mapToDouble(Comparison.Cell::aucError).average().orElseThrow(),
                    epsS,
                    allLimits ? Double.NaN : cells.stream().mapToDouble(Figures::errorOrLimitDistance).average().orElseThrow(),
                    allLimits ? cells.stream().mapToDouble(Comparison.Cell::epsSLimit).average().orElseThrow() : Double.NaN,
                    cells.stream().allMatch(Comparison.Cell::resolved),
                    cells.stream().anyMatch(Comparison.Cell::onSharedScore));
        }

        private static double errorOrLimitDistance(Comparison.Cell cell) {
            return Double.isNaN(cell.epsSLimit()) ? cell.epsSError() : Math.abs(cell.epsSLimit() - cell.epsS());
        }

        /** "0.733 +- 0.006 / 0.080 +- 0.021", "... / 0.000 (< 0.0023)": an error left out where none was drawn; marked {@code *}, {@code ^}. */
        String text() {
            String efficiency = Double.isNaN(epsSLimit) ? withError(epsS, epsSError)
                    : String.format(Locale.ROOT, "%.3f", epsS) + HtmlReport.limit(epsS, epsSLimit);
            return withError(auc, aucError) + " / " + efficiency + (resolved ? "" : "*") + (onSharedScore ? "^" : "");
        }

        private static String withError(double value, double error) {
            return Double.isFinite(error) ? String.format(Locale.ROOT, "%.3f +- %.3f", value, error) : String.format(Locale.ROOT, "%.3f", value);
        }
    }

    private ComparisonReport() {
    }

    /** What a cell holds and where its errors come from. */
    private static final String ERRORS = "Each cell: AUC / eps_S at eps_B = 1e-2, each +- its statistical error from the events judged "
            + "(bootstrap; above 2 million events the asymptotic formulas); a column \"(other signals)\" holds the mean over the other "
            + "signals, its error the mean of theirs (an upper bound: they are judged on the same events; a limit counts as its distance from "
            + "the efficiency). " + HtmlReport.LIMITS + ". * the held-out background is too small to resolve eps_B = 1e-2. "
            + HtmlReport.SHARED_SCORE + " The best AUC of a row in bold.";

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
                Map<String, Figures> values = new LinkedHashMap<>();
                cells.forEach(c -> values.put(c.signal(), Figures.of(c)));
                columns.add(new Column(method, values));
                continue;
            }
            Map<String, Figures> own = new LinkedHashMap<>();
            Map<String, Figures> others = new LinkedHashMap<>();
            for (String signal : result.signals()) {
                cells.stream().filter(c -> c.signal().equals(signal) && c.trainedOn().equals(signal)).findFirst()
                        .ifPresent(c -> own.put(signal, Figures.of(c)));
                List<Comparison.Cell> rest = cells.stream().filter(c -> c.signal().equals(signal) && !c.trainedOn().equals(signal)).toList();
                if (!rest.isEmpty()) {
                    others.put(signal, Figures.mean(rest));
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
        columns.forEach(c -> md.append(' ').append(Markdown.cell(c.heading())).append(" |"));
        md.append("\n|---|").append("---|".repeat(columns.size())).append('\n');
        for (String signal : result.signals()) {
            md.append("| ").append(Markdown.cell(signal)).append(" |");
            cells(columns, signal).forEach(cell -> md.append(' ').append(cell.best() ? "**" + Markdown.cell(cell.text()) + "**"
                    : Markdown.cell(cell.text())).append(" |"));
            md.append('\n');
        }
        return md.append('\n').append(ERRORS).append('\n').toString();
    }

    /** A cell as shown: its text ("" where its column has none) and whether it has the best AUC of its row. */
    private record Shown(String text, boolean best) {
    }

    /** The row of {@code signal}, a cell per column. */
    private static List<Shown> cells(List<Column> columns, String signal) {
        double best = columns.stream().map(c -> c.values().get(signal)).filter(v -> v != null).mapToDouble(Figures::auc).max().orElse(Double.NaN);
        return columns.stream().map(c -> c.values().get(signal))
                .map(v -> v == null ? new Shown("", false) : new Shown(v.text(), v.auc() == best)).toList();
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
            html.append("<tr><td class=\"name\">").append(ReportProvenance.escape(signal)).append("</td>");
            cells(columns, signal).forEach(cell -> html.append("<td>")
                    .append(cell.best() ? "<b>" + ReportProvenance.escape(cell.text()) + "</b>" : ReportProvenance.escape(cell.text())).append("</td>"));
            html.append("</tr>\n");
        }
        html.append("</table>\n<p>On the held-out background and the part of each signal no model trained on. ")
                .append(ReportProvenance.escape(ERRORS)).append("</p>\n")
                .append(HtmlReport.image(heatMap("AUC, signal x method", "method", "signal", columns.stream().map(Column::heading).toList(), result.signals(),
                        (x, y) -> {
                            Figures v = columns.get(x).values().get(result.signals().get(y));
                            return v == null ? null : v.auc();
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
