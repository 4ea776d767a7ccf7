package org.darkscope.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.darkscope.io.AtomicFile;
import org.darkscope.stats.RegionSearch;
import org.darkscope.stats.SignalRegion;
import org.darkscope.stats.TwoStepSearch;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The search as a page: observed against expected per region with uncertainties, local and global significance. */
public final class SearchReport {
    public static final String PAGE = "search.html";

    private SearchReport() {
    }

    public static void write(Path directory, String detector, RegionSearch.Result result, TwoStepSearch.Confirmation confirmation) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>darkscope search</title>")
                .append("<style>body{font-family:sans-serif;margin:2em} table{border-collapse:collapse} ")
                .append("td,th{border:1px solid #bbb;padding:4px 8px;text-align:right} .best{font-weight:bold;background:#e6f4e6}</style>")
                .append("</head><body>\n<h1>darkscope search: ").append(detector).append("</h1>\n");
        html.append(String.format(Locale.ROOT, "<p>%d data events; background normalised by %s (factor %.4g, %.1f %% uncertainty).</p>%n",
                result.dataEvents(), result.normalisation().method(), result.normalisation().factor(),
                100 * result.normalisation().relativeUncertainty()));
        html.append("<table><tr><th>region</th><th>threshold</th><th>eps_B</th><th>observed</th><th>expected</th>")
                .append("<th>local p</th><th>local Z</th></tr>\n");
        for (SignalRegion r : result.regions()) {
            html.append(r.name().equals(result.mostSignificant()) ? "<tr class=\"best\">" : "<tr>")
                    .append(String.format(Locale.ROOT, "<td>%s</td><td>%.4g</td><td>%.2g</td><td>%d</td><td>%.2f &plusmn; %.2f</td>"
                            + "<td>%.3g</td><td>%.2f</td></tr>%n", r.name(), r.threshold(), r.epsB(), r.observed(), r.expected(),
                            r.expectedUncertainty(), r.localP(), r.localZ()));
        }
        html.append("</table>\n");
        html.append(String.format(Locale.ROOT, "<p>Most significant: <b>%s</b>. Global p = %.4g, Z = %s%.2f from %d "
                + "background-only toys (look-elsewhere effect over %d nested regions; trials factor %.3g).</p>%n",
                result.mostSignificant(), result.globalP(), result.globalZIsBound() ? "&ge; " : "", result.globalZ(),
                result.toys(), result.regions().size(), result.trialsFactor()));
        if (confirmation != null) {
            html.append(String.format(Locale.ROOT, "<p>Confirmation on %d independent events, region %s: observed %d, "
                    + "expected %.2f &plusmn; %.2f, p = %.4g, Z = %.2f.</p>%n", confirmation.events(), confirmation.region(),
                    confirmation.observed(), confirmation.expected(), confirmation.expectedUncertainty(), confirmation.p(),
                    confirmation.z()));
        }
        html.append(image(chart(result.regions()))).append("</body></html>\n");
        AtomicFile.write(directory.resolve(PAGE), html.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static XYChart chart(List<SignalRegion> regions) {
        XYChart chart = new XYChartBuilder().width(640).height(420).title("Observed and expected per signal region")
                .xAxisTitle("background efficiency of the region").yAxisTitle("events").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        double[] x = regions.stream().mapToDouble(SignalRegion::epsB).toArray();
        double[] expected = regions.stream().mapToDouble(r -> Math.max(r.expected(), 1e-3)).toArray();
        double[] errors = regions.stream().mapToDouble(r -> Math.min(r.expectedUncertainty(), 0.999 * Math.max(r.expected(), 1e-3))).toArray();
        double[] observed = regions.stream().mapToDouble(r -> Math.max(r.observed(), 0.5)).toArray();
        XYSeries e = chart.addSeries("expected background", x, expected, errors);
        e.setMarker(SeriesMarkers.DIAMOND);
        XYSeries o = chart.addSeries("observed (0 drawn at 0.5)", x, observed);
        o.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        o.setMarker(SeriesMarkers.CIRCLE);
        return chart;
    }

    private static String image(XYChart chart) {
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            return "<img alt=\"observed and expected per region\" src=\"data:image/png;base64,"
                    + Base64.getEncoder().encodeToString(png) + "\">\n";
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
