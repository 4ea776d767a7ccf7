package org.darkscope.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.darkscope.InputException;
import org.darkscope.io.EventFiles;
import org.darkscope.metric.Evaluation;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The second figure of the direct-detection talk: for an exposure (tonne-years) and each sample's
 * rate (selected events per tonne-year), the expected background and the expected pseudo-data
 * (background plus one signal) against the anomaly score, in events per bin. Rates come from the
 * user or from the data card {@code darkscope simulate-tpc} writes beside its samples.
 *
 * @param exposureTonneYears the exposure
 * @param rates              selected events per tonne-year, by sample name (the background's under its own name)
 */
public record PseudoData(double exposureTonneYears, Map<String, Double> rates) {
    private static final int BINS = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The data card's rate for {@code file}: {@code samples.*.selected_per_tonne_year} of the entry
     * whose {@code file} is its name; null where no {@code data-card.json} lies beside it or the card
     * has no entry for it. A card that is not JSON, or whose rate is not a number of at least 0, is
     * bad input naming the card.
     */
    public static Double rateFromDataCard(Path file) {
        Path card = file.toAbsolutePath().resolveSibling("data-card.json");
        if (!Files.isRegularFile(card)) {
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(card.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InputException(card + ": line " + e.getLocation().getLineNr() + ": not a data card (not JSON): "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InputException("cannot read " + card + ": " + e.getMessage(), e);
        }
        for (JsonNode sample : root.path("samples")) {
            if (sample.path("file").asText().equals(file.getFileName().toString()) && sample.has("selected_per_tonne_year")) {
                JsonNode rate = sample.get("selected_per_tonne_year");
                if (!rate.isNumber() || !(rate.asDouble() >= 0) || Double.isInfinite(rate.asDouble())) {
                    throw new InputException(card + ": the rate of " + file.getFileName() + " (selected_per_tonne_year) is " + rate
                            + ", not a number of at least 0");
                }
                return rate.asDouble();
            }
        }
        return null;
    }

    /**
     * The rates of {@code background} and {@code signals}: as given in {@code given} (by sample
     * name), else from their data cards; the names without one are returned in {@code missing}. A
     * name in {@code given} that is no sample's is refused ({@link IllegalArgumentException}): a
     * mistyped name would leave its sample on its data card's rate, or none.
     */
    public static PseudoData of(double exposure, Map<String, Double> given, Path background, List<Path> signals, List<String> missing) {
        Map<String, Path> samples = new LinkedHashMap<>();
        samples.put(EventFiles.sampleName(background), background);
        signals.forEach(s -> samples.put(EventFiles.sampleName(s), s));
        for (String name : given.keySet()) {
            if (!samples.containsKey(name)) {
                throw new IllegalArgumentException("--rate " + name + ": no sample of that name; the samples are "
                        + String.join(", ", samples.keySet()));
            }
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        samples.forEach((name, file) -> {
            Double rate = given.containsKey(name) ? given.get(name) : rateFromDataCard(file);
            if (rate == null) {
                missing.add(name);
            } else {
                rates.put(name, rate);
            }
        });
        return new PseudoData(exposure, rates);
    }

    /** Expected events of background, and of background plus each signal, per score bin. */
    XYChart chart(Evaluation evaluation) {
        List<float[]> samples = new ArrayList<>();
        samples.add(evaluation.backgroundScores());
        evaluation.signals().forEach(s -> samples.add(s.scores()));
        double[] range = HtmlReport.centralRange(samples);
        double lo = range[0];
        double hi = range[1];
        String backgroundName = EventFiles.sampleName(Path.of(evaluation.backgroundName()));
        double backgroundEvents = rates.getOrDefault(backgroundName, 0.0) * exposureTonneYears;
        XYChart chart = HtmlReport.chart(String.format(Locale.ROOT, "Pseudo-data, %s, %.3g tonne-years", evaluation.detector(),
                exposureTonneYears), "anomaly score", "expected events per bin", 1 + evaluation.signals().size());
        chart.getStyler().setXAxisDecimalPattern(HtmlReport.decimalPattern(hi - lo));
        double[] x = new double[BINS];
        for (int b = 0; b < BINS; b++) {
            x[b] = lo + (hi - lo) * (b + 0.5) / BINS;
        }
        double[] expectedBackground = histogram(evaluation.backgroundScores(), lo, hi, backgroundEvents);
        XYSeries bkg = chart.addSeries(String.format(Locale.ROOT, "background (%.1f events)", backgroundEvents), x, expectedBackground);
        bkg.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        bkg.setMarker(SeriesMarkers.NONE);
        for (Evaluation.Signal s : evaluation.signals()) {
            double signalEvents = rates.getOrDefault(s.name(), 0.0) * exposureTonneYears;
            double[] data = histogram(s.scores(), lo, hi, signalEvents);
            for (int b = 0; b < BINS; b++) {
                data[b] += expectedBackground[b];
            }
            XYSeries series = chart.addSeries(String.format(Locale.ROOT, "background + %s (%.1f events)", s.name(), signalEvents), x, data);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            series.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** A sample's scores in {@code BINS} bins of [lo, hi] (the ends gathering what lies beyond), scaled to {@code events} in all. */
    private static double[] histogram(float[] scores, double lo, double hi, double events) {
        double[] counts = new double[BINS];
        for (float v : scores) {
            int b = (int) Math.floor((v - lo) / (hi - lo) * BINS);
            counts[Math.max(0, Math.min(BINS - 1, b))] += events / scores.length;
        }
        return counts;
    }

    /** The report's section: one figure per detector. */
    String html(List<HtmlReport.Entry> entries) {
        StringBuilder html = new StringBuilder("<h2>Pseudo-data</h2>\n<p>Expected events for the exposure, from each sample's rate "
                + "(selected events per tonne-year): ");
        rates.forEach((name, rate) -> html.append(HtmlReport.escape(name)).append(String.format(Locale.ROOT, " %.4g, ", rate)));
        html.setLength(html.length() - 2);
        html.append(". The pseudo-data are the background plus one signal.</p>\n");
        for (HtmlReport.Entry e : entries) {
            if (e.evaluation() != null) {
                html.append(HtmlReport.image(chart(e.evaluation()), "pseudo-data, " + e.evaluation().detector()));
            }
        }
        return html.toString();
    }
}
