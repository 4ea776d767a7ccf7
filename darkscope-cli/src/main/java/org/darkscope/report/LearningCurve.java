package org.darkscope.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.darkscope.metric.Evaluation;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Learning curves: each detector's AUC and eps_S at eps_B = 1e-2 against the number of
 * background events it trained on, with the {@code ht} and {@code met} baselines beside them.
 * The figure that says whether more simulated background would help a detector.
 */
public final class LearningCurve {
    /** eps_B at which the curve's signal efficiency is read. */
    public static final String EPS_B = "1e-2";

    /** One detector at one training size. */
    public record Point(String detector, long trainingEvents, double trainingSeconds, List<SignalPoint> signals) {
        /** The point of an evaluation: every signal's AUC and eps_S at {@value #EPS_B}. */
        public static Point of(String detector, long trainingEvents, double trainingSeconds, Evaluation evaluation) {
            List<SignalPoint> signals = new ArrayList<>();
            for (Evaluation.Signal s : evaluation.signals()) {
                signals.add(new SignalPoint(s.name(), s.figures().auc(), s.aucError(), s.figures().signalEfficiency().get(EPS_B),
                        s.signalEfficiencyError(EPS_B), s.signalEfficiencyLimit(EPS_B)));
            }
            return new Point(detector, trainingEvents, trainingSeconds, signals);
        }
    }

    /**
     * One signal's figures at one point, with their statistical errors from the events judged (NaN
     * where there are none) and eps_S's 95 % limit where no event passes or every one does
     * ({@link Evaluation.Signal#signalEfficiencyLimit}; NaN elsewhere).
     */
    public record SignalPoint(String name, double auc, double aucError, double epsS, double epsSError, double epsSLimit) {
        /** eps_S with its error, or with its limit in place of the error where none passes or all do. */
        String efficiency() {
            if (!Double.isNaN(epsSLimit)) {
                return String.format(Locale.ROOT, "%.4f", epsS) + HtmlReport.limit(epsS, epsSLimit);
            }
            return withError("%.4f", epsS, epsSError);
        }
    }

    private LearningCurve() {
    }

    static List<String> signals(List<Point> points) {
        Set<String> names = new LinkedHashSet<>();
        points.forEach(p -> p.signals().forEach(s -> names.add(s.name())));
        return List.copyOf(names);
    }

    private static List<String> detectors(List<Point> points) {
        Set<String> names = new LinkedHashSet<>();
        points.forEach(p -> names.add(p.detector()));
        return List.copyOf(names);
    }

    /** The curve as a Markdown table (empty without points). */
    public static String markdown(List<Point> points) {
        if (points.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\nLearning curve (AUC / eps_S@" + EPS_B + " against training events, +- the statistical "
                + "error from the events judged, which the points share"
                + (points.stream().flatMap(p -> p.signals().stream()).anyMatch(s -> !Double.isNaN(s.epsSLimit()))
                        ? "; " + HtmlReport.LIMITS : "")
                + "):\n\n")
                .append("| detector | training events | training s |");
        List<String> signals = signals(points);
        signals.forEach(s -> md.append(' ').append(s).append(" |"));
        md.append("\n|---|---|---|").append("---|".repeat(signals.size())).append('\n');
        for (Point p : points) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.2f |", p.detector(), p.trainingEvents(), p.trainingSeconds()));
            for (String signal : signals) {
                md.append(p.signals().stream().filter(s -> s.name().equals(signal)).findFirst()
                        .map(s -> " " + withError("%.3f", s.auc(), s.aucError()) + " / " + s.efficiency() + " |")
                        .orElse(" |"));
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static String withError(String format, double value, double error) {
        return String.format(Locale.ROOT, format, value) + (Double.isNaN(error) ? "" : String.format(Locale.ROOT, " +- " + format, error));
    }

    /**
     * AUC (or, with {@code efficiency}, eps_S@1e-2) against training events for one signal; log x
     * axis; error bars: the statistical error from the events judged, where every point has one.
     */
    static XYChart chart(List<Point> points, String signal, boolean efficiency) {
        String figure = efficiency ? "eps_S@" + EPS_B : "AUC";
        XYChart chart = new XYChartBuilder().width(560).height(380).title(figure + ": " + signal)
                .xAxisTitle("background events trained on").yAxisTitle(figure).build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        chart.getStyler().setYAxisDecimalPattern("0.###");
        for (String detector : detectors(points)) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (Point p : points) {
                if (p.detector().equals(detector)) {
                    p.signals().stream().filter(s -> s.name().equals(signal)).findFirst().ifPresent(s -> {
                        xs.add((double) p.trainingEvents());
                        ys.add(efficiency ? s.epsS() : s.auc());
                        errors.add(efficiency ? s.epsSError() : s.aucError());
                    });
                }
            }
            if (!xs.isEmpty()) {
                XYSeries series = errors.stream().anyMatch(e -> Double.isNaN(e)) ? chart.addSeries(detector, xs, ys)
                        : chart.addSeries(detector, xs, ys, errors);
                series.setMarker(SeriesMarkers.CIRCLE);
                if (detector.equals("ht") || detector.equals("met")) { // the baselines, dashed: they do not train
                    series.setLineStyle(SeriesLines.DASH_DASH);
                    series.setMarker(SeriesMarkers.NONE);
                    series.setLineColor(detector.equals("met") ? java.awt.Color.BLACK : java.awt.Color.GRAY);
                }
            }
        }
        return chart;
    }
}
