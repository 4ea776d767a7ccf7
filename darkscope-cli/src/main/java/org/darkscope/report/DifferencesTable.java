package org.darkscope.report;

import java.util.List;
import java.util.Locale;
import org.darkscope.metric.FigureDifference;

/**
 * Detectors against others judged on the same events, signal by signal: the AUC and eps_S at 1e-2
 * of each minus the other's, with the paired error (bootstrap, or the asymptotic formulas above 2 million events; * where the background does not
 * resolve eps_B); in bold a difference beyond two of its errors. {@code benchmark} and the demo set
 * every detector that learns against the baselines ("does it beat the cut?"), {@code evaluate
 * --versus} a model against the models named.
 */
public final class DifferencesTable {
    /** The eps_B at which the table shows the difference of signal efficiencies. */
    private static final String EPS_B = "1e-2";

    private DifferencesTable() {
    }

    /** One detector on one signal against each of the others. */
    public record Row(String detector, String signal, List<FigureDifference> differences) {
        public Row {
            differences = List.copyOf(differences);
        }
    }

    /** What the table shows, above it, after its {@code heading}. */
    private static String caption(String heading) {
        return heading + ", on the same events: the detector's figure minus the other's, +- the paired error (bootstrap; asymptotic above 2 million events); "
                + "in bold a difference beyond two errors, one the events judged can tell.";
    }

    /** The Markdown section of {@code rows} under {@code heading}, a column pair per other detector (empty without rows). */
    public static String markdown(String heading, List<Row> rows) {
        List<List<Cell>> table = table(rows);
        if (table.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n" + caption(heading) + "\n\n");
        for (int r = 0; r < table.size(); r++) {
            md.append("| ").append(String.join(" | ", table.get(r).stream().map(c -> c.strong() ? "**" + Markdown.cell(c.text()) + "**" : Markdown.cell(c.text())).toList()))
                    .append(" |\n");
            if (r == 0) {
                md.append("|").append("---|".repeat(table.get(0).size())).append('\n');
            }
        }
        return md.toString();
    }

    /** The report's section of {@code rows} under {@code heading} (empty without rows). */
    static String html(String heading, List<Row> rows) {
        List<List<Cell>> table = table(rows);
        if (table.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder("<h2>" + HtmlReport.escape(heading) + "</h2>\n<p>" + HtmlReport.escape(caption(heading))
                + "</p>\n<table>");
        for (int r = 0; r < table.size(); r++) {
            html.append("<tr>");
            for (int c = 0; c < table.get(r).size(); c++) {
                String tag = r == 0 ? "th" : "td";
                Cell cell = table.get(r).get(c);
                String text = HtmlReport.escape(cell.text());
                html.append('<').append(tag).append(r > 0 && c < 2 ? " class=\"name\">" : ">")
                        .append(cell.strong() ? "<b>" + text + "</b>" : text).append("</").append(tag).append('>');
            }
            html.append("</tr>\n");
        }
        return html.append("</table>\n").toString();
    }

    /** A cell's text, and whether it is a difference beyond two of its errors. */
    private record Cell(String text, boolean strong) {
        static Cell plain(String text) {
            return new Cell(text, false);
        }

        static Cell difference(double value, Double error, String format) {
            if (error == null || error.isNaN()) {
                return plain(String.format(Locale.ROOT, "%+" + format, value) + (error == null ? "*" : ""));
            }
            return new Cell(String.format(Locale.ROOT, "%+" + format + " +- %" + format, value, error), Math.abs(value) > 2 * error);
        }
    }

    /** The header and one line per row: detector, signal, the AUC's difference to each other, eps_S's (none without rows). */
    private static List<List<Cell>> table(List<Row> rows) {
        List<String> others = rows.stream().flatMap(r -> r.differences().stream()).map(FigureDifference::minus).distinct().toList();
        if (others.isEmpty()) {
            return List.of();
        }
        List<List<Cell>> table = new java.util.ArrayList<>();
        List<Cell> header = new java.util.ArrayList<>(List.of(Cell.plain("detector"), Cell.plain("signal")));
        others.forEach(b -> header.add(Cell.plain("AUC - " + b)));
        others.forEach(b -> header.add(Cell.plain("eps_S@" + EPS_B + " - " + b)));
        table.add(header);
        for (Row row : rows) {
            List<Cell> line = new java.util.ArrayList<>(List.of(Cell.plain(row.detector()), Cell.plain(row.signal())));
            for (String other : others) {
                line.add(find(row, other).map(d -> Cell.difference(d.auc(), d.errors().auc(), ".3f")).orElse(Cell.plain("")));
            }
            for (String other : others) {
                line.add(find(row, other).map(d -> Cell.difference(d.signalEfficiency().get(EPS_B), d.errors().signalEfficiency().get(EPS_B),
                        ".4f")).orElse(Cell.plain("")));
            }
            table.add(line);
        }
        return table;
    }

    private static java.util.Optional<FigureDifference> find(Row row, String other) {
        return row.differences().stream().filter(d -> d.minus().equals(other)).findFirst();
    }
}
