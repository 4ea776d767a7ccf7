package org.darkscope.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.darkscope.Comparison;
import org.junit.jupiter.api.Test;

/** The comparison's table shows a limit where eps_S has one, and the marks of evaluate's tables. */
class ComparisonReportTest {
    private static final double NONE = Double.NaN;

    /**
     * Three signals; {@code knn} trained on background finds none of signal a's events at eps_B =
     * 1e-2 (its upper limit in place of an error) and reads b's on a shared score; the classifier,
     * trained on each signal, keeps every event of its own a (a lower limit) and is judged on a by
     * the two others, one of which has a limit: the mean's error takes that limit's distance.
     */
    @Test
    void aLimitStandsInPlaceOfAnErrorAndSharedScoresAreMarked() {
        List<Comparison.Cell> cells = List.of(
                new Comparison.Cell("a", "knn", "background", 0.61, 0.01, 0, 0, 0.0023, true, false),
                new Comparison.Cell("b", "knn", "background", 0.72, 0.01, 0.081, 0.02, NONE, true, true),
                new Comparison.Cell("c", "knn", "background", 0.55, 0.01, 0.02, 0.005, NONE, false, false),
                new Comparison.Cell("a", "classifier", "a", 0.99, 0.002, 1, 0, 0.9950, true, false),
                new Comparison.Cell("a", "classifier", "b", 0.80, 0.01, 0.30, 0.04, NONE, true, false),
                new Comparison.Cell("a", "classifier", "c", 0.90, 0.01, 1, 0, 0.9940, true, false));
        String md = ComparisonReport.markdown(new Comparison.Result(List.of("a", "b", "c"), List.of("knn", "classifier"), cells));
        assertTrue(md.contains("| 0.610 +- 0.010 / 0.000 (< 0.0023) |"), md);
        assertTrue(md.contains("| **0.720 +- 0.010 / 0.081 +- 0.020^** |"), md);
        assertTrue(md.contains("| **0.550 +- 0.010 / 0.020 +- 0.005\\*** |"), md);
        assertTrue(md.contains("| **0.990 +- 0.002 / 1.000 (> 0.9950)** |"), md);
        // the other signals' mean on a: eps_S (0.30 + 1) / 2, its error (0.04 + (1 - 0.994)) / 2
        String mean = String.format(Locale.ROOT, "0.850 +- 0.010 / %.3f +- %.3f", (0.30 + 1) / 2, (0.04 + (1 - 0.994)) / 2);
        assertTrue(md.contains("| " + mean + " |"), mean + " in " + md);
        assertTrue(md.contains(HtmlReport.SHARED_SCORE) && md.contains(HtmlReport.LIMITS), md);
    }

    /** Where every cell of a mean has none of its signal passing, the mean has the mean of their limits. */
    @Test
    void aMeanOfLimitsIsALimit() {
        List<Comparison.Cell> cells = List.of(
                new Comparison.Cell("a", "classifier", "a", 0.70, 0.01, 0.2, 0.03, NONE, true, false),
                new Comparison.Cell("a", "classifier", "b", 0.60, 0.01, 0, 0, 0.0030, true, false),
                new Comparison.Cell("a", "classifier", "c", 0.50, 0.01, 0, 0, 0.0050, true, true),
                new Comparison.Cell("b", "classifier", "b", 0.70, 0.01, 0.2, 0.03, NONE, true, false),
                new Comparison.Cell("c", "classifier", "c", 0.70, 0.01, 0.2, 0.03, NONE, true, false));
        ComparisonReport.Figures mean = ComparisonReport.columns(new Comparison.Result(List.of("a", "b", "c"), List.of("classifier"), cells))
                .get(1).values().get("a");
        assertEquals(0, mean.epsS());
        assertEquals(0.0040, mean.epsSLimit(), 1e-15);
        assertTrue(Double.isNaN(mean.epsSError()) && mean.onSharedScore() && mean.resolved(), mean.toString());
        assertEquals("0.550 +- 0.010 / 0.000 (< 0.0040)^", mean.text());
    }
}
