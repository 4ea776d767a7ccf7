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

    /** Writes {@code directory/search.html}: the regions, the global p-value, the confirmation if any, and the provenance. */
    public static void write(Path directory, String detector, RegionSearch.Result result, TwoStepSearch.Confirmation confirmation,
                             ReportProvenance provenance) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>darkscope search</title>")
                .append("<style>body{font-family:sans-serif;margin:2em} table{border-collapse:collapse} ")
                .append("td,th{border:1px solid #bbb;padding:4px 8px;text-align:right} .best{font-weight:bold;background:#e6f4e6}</style>")
                .append("</head><body>\n<h1>darkscope search: ").append(detector).append("</h1>\n");
        html.append(String.format(Locale.ROOT, "<p>%d data events; background normalised by %s (factor %.4g, %.1f %% uncertainty).</p>%n",
                result.dataEvents(), result.normalisation().describe(), result.normalisation().factor(),
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
                + "background-only toys (look-elsewhere effect over %d nested regions; %s).</p>%n",
                result.mostSignificant(), result.globalP(), result.globalZIsBound() ? "&ge; " : "", result.globalZ(),
                result.toys(), result.regions().size(), trialsFactor(result)));
        if (confirmation != null) {
            html.append(String.format(Locale.ROOT, "<p>Confirmation on %d independent events, region %s: observed %d, "
                    + "expected %.2f &plusmn; %.2f, p = %.4g, Z = %.2f.</p>%n", confirmation.events(), confirmation.region(),
                    confirmation.observed(), confirmation.expected(), confirmation.expectedUncertainty(), confirmation.p(),
                    confirmation.z()));
        }
        html.append(HtmlReport.image(chart(result.regions()), "observed and expected per region")).append(provenance.html()).append("</body></html>\n");
        AtomicFile.write(directory.resolve(PAGE), html.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Observed (with its Poisson error sqrt(n)) and expected (with its uncertainty) per region, on
     * log axes. The y axis starts at {@value #FLOOR} events: a region expecting less, or observing
     * none, is drawn at the floor (said in the legend) rather than stretching the axis to 0.001.
     */
    static XYChart chart(List<SignalRegion> regions) {
        XYChart chart = HtmlReport.chart("Observed and expected per signal region", "background efficiency of the region", "events", 2);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(8);
        double[] x = regions.stream().mapToDouble(SignalRegion::epsB).toArray();
        double[] expected = regions.stream().mapToDouble(r -> Math.max(r.expected(), FLOOR)).toArray();
        double[] expectedErrors = regions.stream().mapToDouble(r -> Math.min(r.expectedUncertainty(), 0.9 * Math.max(r.expected(), FLOOR)))
                .toArray();
        double[] observed = regions.stream().mapToDouble(r -> Math.max(r.observed(), FLOOR)).toArray();
        double[] observedErrors = regions.stream().mapToDouble(r -> Math.min(Math.sqrt(r.observed()), 0.9 * Math.max(r.observed(), FLOOR)))
                .toArray();
        double max = java.util.stream.DoubleStream.concat(java.util.Arrays.stream(expected), java.util.Arrays.stream(observed)).max()
                .orElse(1);
        chart.getStyler().setYAxisMin(FLOOR);
        chart.getStyler().setYAxisMax(Math.max(10, 3 * max));
        XYSeries e = chart.addSeries("expected background +- its uncertainty (below " + FLOOR + " drawn at it)", x, expected, expectedErrors);
        e.setMarker(SeriesMarkers.DIAMOND);
        XYSeries o = chart.addSeries("observed +- sqrt(n) (0 drawn at " + FLOOR + ")", x, observed, observedErrors);
        o.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        o.setMarker(SeriesMarkers.CIRCLE);
        return chart;
    }

    /** The lowest count the chart draws. */
    static final double FLOOR = 0.3;

    /** "trials factor F", or why the toys give none. */
    public static String trialsFactor(RegionSearch.Result result) {
        return Double.isNaN(result.trialsFactor()) ? "trials factor not estimated (fewer than "
                + RegionSearch.TOYS_FOR_TRIALS_FACTOR + " toys as significant in " + result.mostSignificant() + ": more --toys)"
                : String.format(Locale.ROOT, "trials factor %.3g", result.trialsFactor());
    }
}
