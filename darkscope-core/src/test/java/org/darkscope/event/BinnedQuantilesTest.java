package org.darkscope.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The streaming quantiles agree with the sorted values to the bin width, and stay within the values seen. */
class BinnedQuantilesTest {
    private static final double[] Q = {0.05, 0.25, 0.5, 0.75, 0.95};

    @Test
    void quantilesAgreeWithTheSortedValuesToTheBinWidth() {
        SplittableRandom random = new SplittableRandom(3);
        double[] values = new double[10_001];
        BinnedQuantiles binned = new BinnedQuantiles();
        BinnedQuantiles firstHalf = new BinnedQuantiles();
        BinnedQuantiles secondHalf = new BinnedQuantiles();
        for (int i = 0; i < values.length; i++) {
            values[i] = 200 * Math.exp(random.nextDouble() * 2); // 200 GeV to 1.5 TeV, falling
            binned.add(values[i]);
            (i % 2 == 0 ? firstHalf : secondHalf).add(values[i]);
        }
        firstHalf.addAll(secondHalf);
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (double q : Q) {
            double exact = sorted[(int) Math.ceil(q * values.length) - 1];
            assertEquals(exact, binned.quantile(q), BinnedQuantiles.BIN_WIDTH_GEV / 2, "q = " + q);
            assertEquals(binned.quantile(q), firstHalf.quantile(q), "merged halves, q = " + q);
        }
        assertEquals(Arrays.stream(values).average().orElseThrow(), binned.mean(), 1e-9);
        assertEquals(sorted[sorted.length - 1], binned.max());
    }

    @Test
    void quantilesNeverLieOutsideTheValuesSeen() {
        BinnedQuantiles one = new BinnedQuantiles();
        one.add(0.2);
        for (double q : Q) {
            assertEquals(0.2, one.quantile(q), "one event at 0.2 GeV, q = " + q);
        }
        BinnedQuantiles narrow = new BinnedQuantiles();
        for (double v : new double[] {1000.1, 1000.2, 1000.3}) {
            narrow.add(v);
        }
        for (double q : Q) {
            double value = narrow.quantile(q);
            assertTrue(value >= 1000.1 && value <= 1000.3, "q = " + q + ": " + value);
        }
        BinnedQuantiles empty = new BinnedQuantiles();
        assertTrue(Double.isNaN(empty.quantile(0.5)) && Double.isNaN(empty.max()));
    }
}
