package org.darkscope.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.darkscope.bundle.Manifest;
import org.darkscope.metric.Evaluation;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** The report's figures stay readable whatever the scores: clipped ranges, log axes where needed, legends outside the plot. */
class HtmlReportTest {

    private static Evaluation evaluation(float[] background, float[] signal) {
        return new Evaluation("flow", "background", background, null, List.of(Evaluation.signal("signal", background, null, signal, null)));
    }

    private static float[] gaussian(int n, double mean, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (mean + random.nextGaussian());
        }
        return x;
    }

    private static double largestBin(XYSeries series) {
        double max = 0;
        for (double y : series.getYData()) {
            max = Math.max(max, y);
        }
        return max;
    }

    /** One score of 5e17 (a density's -log p far outside the training range) no longer puts every other event into one bin. */
    @Test
    void anOutlierDoesNotSqueezeTheHistogramIntoOneBin() {
        float[] background = gaussian(5000, 0, 1);
        background[17] = 5e17f;
        XYChart chart = HtmlReport.scoreChart(evaluation(background, gaussian(2000, 2, 2)));
        XYSeries bg = chart.getSeriesMap().values().iterator().next();
        assertTrue(largestBin(bg) < 0.15, "largest bin holds " + largestBin(bg));
        java.util.regex.Matcher tails = java.util.regex.Pattern.compile("\\(([0-9.]+) % below, ([0-9.]+) % above the range\\)")
                .matcher(bg.getName());
        assertTrue(tails.find(), bg.getName());
        double below = Double.parseDouble(tails.group(1)) / 100;
        double above = Double.parseDouble(tails.group(2)) / 100;
        assertTrue(above >= 1.0 / 5000, bg.getName());
        double inside = 0;
        for (double y : bg.getYData()) {
            inside += y;
        }
        assertEquals(1, inside + below + above, 1e-4, "every event is in a bin or counted in the legend");
        assertFalse(chart.getStyler().isXAxisLogarithmic());
    }

    /** Positive scores spanning decades get log-spaced bins on a log axis. */
    @Test
    void scoresSpanningDecadesGetALogAxis() {
        SplittableRandom random = new SplittableRandom(3);
        float[] background = new float[4000];
        for (int i = 0; i < background.length; i++) {
            background[i] = (float) Math.exp(3 * random.nextGaussian());
        }
        XYChart chart = HtmlReport.scoreChart(evaluation(background, gaussian(100, 50, 4)));
        assertTrue(chart.getStyler().isXAxisLogarithmic());
        XYSeries bg = chart.getSeriesMap().values().iterator().next();
        assertTrue(largestBin(bg) < 0.1, "largest bin holds " + largestBin(bg));
    }

    @Test
    void axisLabelsCarryTheDecimalsTheRangeNeeds() {
        assertEquals("0.##", HtmlReport.decimalPattern(0.35));
        assertEquals("0.###", HtmlReport.decimalPattern(0.05));
        assertEquals("0.#", HtmlReport.decimalPattern(44));
        assertEquals("#,##0", HtmlReport.decimalPattern(1300));
        assertEquals("0.#E0", HtmlReport.decimalPattern(90_000));
    }

    @Test
    void rocAxisLabelsAreShortAndTheLegendIsOutsideThePlot() {
        float[] background = gaussian(3000, 0, 5);
        HtmlReport.Entry entry = new HtmlReport.Entry(evaluation(background, gaussian(1000, 1, 6)), null, null);
        XYChart roc = HtmlReport.rocChart(List.of(entry), "signal");
        assertEquals("0.0#", roc.getStyler().getXAxisDecimalPattern());
        assertEquals(org.knowm.xchart.style.Styler.LegendPosition.OutsideS, roc.getStyler().getLegendPosition());
    }

    /** A loss spike of 1e8 puts the training curve on a log axis; losses that go negative get the spike clipped instead. */
    @Test
    void aLossSpikeDoesNotFlattenTheTrainingCurve() {
        List<Manifest.Epoch> epochs = new ArrayList<>();
        for (int e = 1; e <= 20; e++) {
            epochs.add(new Manifest.Epoch(e, e == 3 ? 1.2e8 : 1.0 / e, 1.1 / e, 1e-3, 1000));
        }
        XYChart positive = HtmlReport.trainingChart("ae", new Manifest.History(epochs, 20, List.of(), "done"));
        assertTrue(positive.getStyler().isYAxisLogarithmic());
        List<Manifest.Epoch> negative = new ArrayList<>();
        for (int e = 1; e <= 20; e++) {
            negative.add(new Manifest.Epoch(e, e == 3 ? 1.2e8 : -5 - 0.1 * e, -5 - 0.1 * e, 1e-3, 1000));
        }
        XYChart clipped = HtmlReport.trainingChart("flow", new Manifest.History(negative, 20, List.of(), "done"));
        assertFalse(clipped.getStyler().isYAxisLogarithmic());
        assertTrue(clipped.getStyler().getYAxisMax() != null && clipped.getStyler().getYAxisMax() < 10, "y max " + clipped.getStyler().getYAxisMax());
    }

    /** Where no signal event passes, results.md gives the 95 % upper limit, 1 - 0.05^(1/n), in place of its error, and says so. */
    @Test
    void anEfficiencyOfZeroShowsItsLimitNotAZeroError() {
        float[] background = gaussian(2000, 0, 7);
        float[] soft = gaussian(30, -3, 8); // far below the 1e-2 threshold near 2.3
        String md = HtmlReport.markdown(List.of(new HtmlReport.Entry(evaluation(background, soft), null, null)));
        assertTrue(md.contains("0.0000 (< " + String.format(java.util.Locale.ROOT, "%.4f", 1 - Math.pow(0.05, 1.0 / 30)) + ")"), md);
        assertFalse(md.contains("0.0000 +- 0.0000"), md);
        assertTrue(md.contains("no signal event passes"), md);
        String ordinary = HtmlReport.markdown(List.of(new HtmlReport.Entry(evaluation(background, gaussian(500, 2, 9)), null, null)));
        assertFalse(ordinary.contains("no signal event passes"), ordinary);
        assertFalse(ordinary.contains("rough"), ordinary);
    }

    /** The learning curve's table gives the limit too, and says what it is. */
    @Test
    void theLearningCurveGivesTheLimitOfAnEfficiencyOfZero() {
        float[] background = gaussian(2000, 0, 7);
        LearningCurve.Point point = LearningCurve.Point.of("flow", 1000, 0.5, evaluation(background, gaussian(30, -3, 8)));
        assertEquals(1 - Math.pow(0.05, 1.0 / 30), point.signals().get(0).epsSLimit(), 1e-12);
        String md = LearningCurve.markdown(List.of(point));
        assertTrue(md.contains("0.0000 (< " + String.format(java.util.Locale.ROOT, "%.4f", 1 - Math.pow(0.05, 1.0 / 30)) + ")"), md);
        assertTrue(md.contains("no signal event passes"), md);
    }

    /** A signal of fewer than 10 events is named: its errors are rough themselves; one of 10 is not. */
    @Test
    void aSignalOfAFewEventsIsSaidToHaveRoughErrors() {
        float[] background = gaussian(2000, 0, 7);
        String nine = HtmlReport.markdown(List.of(new HtmlReport.Entry(evaluation(background, gaussian(9, 2, 10)), null, null)));
        assertTrue(nine.contains("signal: fewer than 10 signal events, whose errors are rough themselves"), nine);
        String ten = HtmlReport.markdown(List.of(new HtmlReport.Entry(evaluation(background, gaussian(10, 2, 10)), null, null)));
        assertFalse(ten.contains("rough"), ten);
    }
}
