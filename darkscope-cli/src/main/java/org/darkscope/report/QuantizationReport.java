package org.darkscope.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.darkscope.io.AtomicFile;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The fixed-point scan as a page: AUC per signal and the background accept rate at the float
 * threshold against the width W of {@code ap_fixed<W,I>}, with the float model's values as dashed lines.
 */
public final class QuantizationReport {
    public static final String PAGE = "quantization.html";

    /** One width of the scan: the accept rate and each signal's AUC in fixed point. */
    public record Point(int bits, double acceptRate, List<Double> auc) {
    }

    private QuantizationReport() {
    }

    /**
     * Writes {@code directory/quantization.html}.
     *
     * @param title      what was scanned, e.g. the model and the type's other parameters
     * @param signals    the signals' names, in the order of {@link Point#auc}
     * @param floatAuc   the float model's AUC per signal
     * @param floatRate  the float model's accept rate at the threshold
     */
    public static void write(Path directory, String title, List<String> signals, List<Double> floatAuc, double floatRate,
                             List<Point> scan, ReportProvenance provenance) {
        double[] bits = scan.stream().mapToDouble(Point::bits).toArray();
        XYChart auc = HtmlReport.chart("AUC in fixed point", "W (bits of ap_fixed<W,I>)", "AUC", 2 * signals.size());
        for (int s = 0; s < signals.size(); s++) {
            int index = s;
            java.awt.Color colour = auc.getStyler().getSeriesColors()[s % auc.getStyler().getSeriesColors().length];
            XYSeries fixed = auc.addSeries(signals.get(s) + ", fixed point", bits,
                    scan.stream().mapToDouble(p -> p.auc().get(index)).toArray());
            fixed.setMarker(SeriesMarkers.CIRCLE);
            fixed.setLineColor(colour);
            fixed.setMarkerColor(colour);
            XYSeries reference = auc.addSeries(signals.get(s) + ", float (dashed)", new double[] {bits[0], bits[bits.length - 1]},
                    new double[] {floatAuc.get(s), floatAuc.get(s)});
            reference.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
            reference.setLineColor(colour);
            reference.setMarker(SeriesMarkers.NONE);
        }
        XYChart rate = HtmlReport.chart("Background accept rate at the float threshold", "W (bits of ap_fixed<W,I>)",
                "fraction of background accepted", 2);
        rate.getStyler().setYAxisLogarithmic(true);
        rate.addSeries("fixed point", bits, scan.stream().mapToDouble(p -> Math.max(p.acceptRate(), 1e-6)).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        rate.addSeries("float", new double[] {bits[0], bits[bits.length - 1]}, new double[] {floatRate, floatRate})
                .setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>darkscope quantization</title>")
                .append("<style>body{font-family:sans-serif;margin:2em} table{border-collapse:collapse} ")
                .append("td,th{border:1px solid #bbb;padding:4px 8px;text-align:right} td.name{text-align:left}</style></head><body>\n")
                .append("<h1>Fixed-point scan: ").append(ReportProvenance.escape(title)).append("</h1>\n")
                .append(HtmlReport.image(auc, "AUC against bits")).append(HtmlReport.image(rate, "accept rate against bits"))
                .append("<table><tr><th>W</th><th>accept rate</th>");
        signals.forEach(s -> html.append("<th>AUC ").append(ReportProvenance.escape(s)).append("</th>"));
        html.append("</tr>\n");
        for (Point p : scan) {
            html.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%.4g</td>", p.bits(), p.acceptRate()));
            p.auc().forEach(a -> html.append(String.format(Locale.ROOT, "<td>%.4f</td>", a)));
            html.append("</tr>\n");
        }
        html.append("</table>\n").append(provenance.html()).append("</body></html>\n");
        AtomicFile.write(directory.resolve(PAGE), html.toString().getBytes(StandardCharsets.UTF_8));
    }
}
