package org.darkscope.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RegionSearchTest {
    /** Exponentially distributed scores: the background's. */
    private static float[] background(int n, SplittableRandom random) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (float) -Math.log(1 - random.nextDouble());
        }
        return s;
    }

    private static float[] withSignal(float[] data, int signal, double location, SplittableRandom random) {
        float[] out = Arrays.copyOf(data, data.length + signal);
        for (int i = 0; i < signal; i++) {
            out[data.length + i] = (float) (location + random.nextGaussian() * 0.3);
        }
        return out;
    }

    /**
     * Background-only pseudo-data give global p-values uniform on [0, 1]: over 500 seeded
     * repetitions the Kolmogorov-Smirnov distance to the uniform distribution is below
     * 1.63 / sqrt(500) = 0.073, the 1 % critical value, and the fraction of p-values at or below
     * 0.05 is within three binomial standard deviations of 0.05.
     */
    @Test
    void backgroundOnlyGlobalPValuesAreUniform() {
        int repetitions = 500;
        double[] p = new double[repetitions];
        SplittableRandom random = new SplittableRandom(2024);
        for (int r = 0; r < repetitions; r++) {
            float[] reference = background(20_000, random);
            float[] data = background(2_000, random);
            SearchSettings settings = new SearchSettings(List.of(1e-1, 3e-2, 1e-2, 3e-3, 1e-3), 0.9, 0.0, 0, 200, r);
            p[r] = RegionSearch.run(reference, null, data, settings).globalP();
        }
        Arrays.sort(p);
        double d = 0;
        int atMost5Percent = 0;
        for (int i = 0; i < repetitions; i++) {
            d = Math.max(d, Math.max(Math.abs((i + 1.0) / repetitions - p[i]), Math.abs(p[i] - i / (double) repetitions)));
            if (p[i] <= 0.05) {
                atMost5Percent++;
            }
        }
        assertTrue(d < 1.63 / Math.sqrt(repetitions), "KS distance " + d + " to uniform");
        double sigma = Math.sqrt(0.05 * 0.95 / repetitions);
        assertEquals(0.05, atMost5Percent / (double) repetitions, 3 * sigma, "fraction of global p-values <= 0.05");
    }

    /**
     * The trials factor is the toys' own look-elsewhere factor: exactly 1 with one region, at least
     * 1 with several. (Global p over Z_Bi's local p, conservative against the toys, gave 0.75 for
     * one region on the command line.)
     */
    @Test
    void trialsFactorIsOneForOneRegionAndAtLeastOneForSeveral() {
        SplittableRandom random = new SplittableRandom(11);
        int estimated = 0;
        for (int r = 0; r < 20; r++) {
            float[] reference = background(2_000, random);
            float[] data = withSignal(background(2_000, random), 15, 3.0, random);
            RegionSearch.Result one = RegionSearch.run(reference, null, data, new SearchSettings(List.of(1e-1), 0.5, 0.1, 0, 500, r));
            RegionSearch.Result all = RegionSearch.run(reference, null, data,
                    new SearchSettings(SearchSettings.DEFAULT_EFFICIENCIES, 0.5, 0.1, 0, 500, r));
            if (!Double.isNaN(one.trialsFactor())) {
                estimated++;
                assertEquals(1.0, one.trialsFactor(), "repetition " + r);
            }
            assertTrue(Double.isNaN(all.trialsFactor()) || all.trialsFactor() >= 1, "repetition " + r + ": " + all.trialsFactor());
        }
        assertTrue(estimated >= 15, estimated + " of 20 single-region searches had enough toys as significant");
    }

    @Test
    void strongSignalGivesLargeGlobalZAndWeakSignalSmall() {
        SplittableRandom random = new SplittableRandom(7);
        float[] reference = background(50_000, random);
        float[] data = background(10_000, random);
        SearchSettings settings = new SearchSettings(SearchSettings.DEFAULT_EFFICIENCIES, 0.9, 0.1, 0, 2000, 1);
        RegionSearch.Result strong = RegionSearch.run(reference, null, withSignal(data, 60, 8.0, random), settings);
        RegionSearch.Result weak = RegionSearch.run(reference, null, withSignal(data, 3, 8.0, random), settings);
        RegionSearch.Result none = RegionSearch.run(reference, null, data, settings);
        assertTrue(strong.globalZ() >= 3.0, "strong signal: global Z " + strong.globalZ());
        assertTrue(strong.best().localZ() > strong.globalZ(), "look-elsewhere lowers the significance");
        assertTrue(weak.globalZ() < 2.5, "weak signal: global Z " + weak.globalZ());
        assertTrue(strong.globalZ() > weak.globalZ());
        assertTrue(none.globalP() > 0.01);
        // expected background in the loosest region: 10 % of the reference, normalised by the control-region ratio
        SignalRegion loosest = strong.regions().get(0);
        assertEquals(0.1, loosest.epsB(), 1e-3);
        long dataControl = 0;
        for (float s : withSignal(data, 60, 8.0, new SplittableRandom(0))) {
            if (s < strong.normalisation().controlThreshold()) {
                dataControl++;
            }
        }
        assertEquals(dataControl, strong.normalisation().dataControlEvents());
    }

    @Test
    void luminosityNormalisationUsesWeightsTimesLuminosity() {
        float[] reference = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        double[] weights = new double[10];
        Arrays.fill(weights, 0.002); // pb per event
        float[] data = {9.5f, 10.5f, 3f};
        SearchSettings settings = new SearchSettings(List.of(0.2), 0.9, 0.0, 100, 10, 1); // 100 fb^-1
        RegionSearch.Result r = RegionSearch.run(reference, weights, data, settings);
        SignalRegion region = r.regions().get(0);
        assertEquals(9f, region.threshold());
        assertEquals(2, region.observed());
        // 2 reference events x 0.002 pb x 100 fb^-1 x 1000 pb^-1/fb^-1 = 400 expected
        assertEquals(400, region.expected(), 1e-9);
        assertEquals(400 / Math.sqrt(2), region.expectedUncertainty(), 1e-9);
    }

    /**
     * An NLO reference, normalised by luminosity: each region holds the highest events whose weight
     * comes closest to its efficiency of the total, its expected background is the signed sum of
     * their weights, worked here by hand, and its uncertainty sqrt(sum w^2) / sum w of it; a region
     * no events come closer to than none (1e-2 of the total, against the highest event's negative
     * weight) is not resolved, and a region fixed in advance whose weights sum to 0 or less is refused.
     */
    @Test
    void negativeWeightsCountAgainstARegionsBackground() {
        float[] reference = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        double[] weights = {0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, -0.002}; // the highest weighted negative
        float[] data = {9.5f, 10.5f, 3f, 7.5f};
        SearchSettings settings = new SearchSettings(List.of(1e-2, 0.1, 0.3), 0.9, 0.0, 100, 10, 1); // 100 fb^-1
        RegionSearch.Result r = RegionSearch.run(reference, weights, data, settings);
        assertEquals(List.of("eps_b=1e-2"), r.unresolved(), "0.00016 pb: no set of the highest events comes closer than none");
        // 0.1 of 0.016 pb: the three highest (0.002 pb, closest); 0.3: the four highest (0.004 pb, against 0.006 for five)
        SignalRegion tenth = r.regions().get(1);
        assertEquals(8f, tenth.threshold());
        assertEquals(2, tenth.observed());
        // 0.002 pb x 100 fb^-1 x 1000 pb^-1/fb^-1 = 200 expected, +- sqrt(3 x 0.002^2) / 0.002 of it
        assertEquals(200, tenth.expected(), 1e-9);
        assertEquals(200 * Math.sqrt(3), tenth.expectedUncertainty(), 1e-9);
        assertEquals(0.125, tenth.epsB(), 1e-12, "the region's share of the reference's weight");
        SignalRegion loosest = r.regions().get(0);
        assertEquals(7f, loosest.threshold());
        assertEquals(400, loosest.expected(), 1e-9);
        assertEquals(400, loosest.expectedUncertainty(), 1e-9);
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RegionSearch.testRegion("top", 10f, reference, weights, data, settings));
        assertTrue(refused.getMessage().contains("region top: the reference's weights above its threshold sum to -0.002"), refused.getMessage());
    }

    /**
     * Weights all equal: the search of the events counted once, region by region (thresholds, counts,
     * expected background and its uncertainty, local p), and the same global p to the toys' rounding.
     */
    @Test
    void equalWeightsSearchAsTheEventsCountedOnce() {
        SplittableRandom random = new SplittableRandom(31);
        float[] reference = background(20_000, random);
        float[] data = withSignal(background(2_000, random), 15, 7.0, random);
        double[] weights = new double[reference.length];
        Arrays.fill(weights, 3.0);
        SearchSettings settings = new SearchSettings(SearchSettings.DEFAULT_EFFICIENCIES, 0.9, 0.1, 0, 500, 5);
        RegionSearch.Result counted = RegionSearch.run(reference, null, data, settings);
        RegionSearch.Result weighted = RegionSearch.run(reference, weights, data, settings);
        assertEquals(counted.regions().size(), weighted.regions().size());
        for (int i = 0; i < counted.regions().size(); i++) {
            SignalRegion a = counted.regions().get(i);
            SignalRegion b = weighted.regions().get(i);
            assertEquals(a.threshold(), b.threshold(), a.name());
            assertEquals(a.observed(), b.observed(), a.name());
            assertEquals(a.epsB(), b.epsB(), 1e-12, a.name());
            assertEquals(a.expected(), b.expected(), 1e-9 * a.expected(), a.name());
            assertEquals(a.expectedUncertainty(), b.expectedUncertainty(), 1e-9 * a.expectedUncertainty(), a.name());
            assertEquals(a.localP(), b.localP(), 1e-9 * Math.max(a.localP(), 1e-300), a.name());
        }
        assertEquals(counted.normalisation().factor() / 3, weighted.normalisation().factor(), 1e-12);
        assertEquals(counted.normalisation().relativeUncertainty(), weighted.normalisation().relativeUncertainty(), 1e-12);
        assertEquals(counted.globalP(), weighted.globalP(), 0.01);
    }

    /**
     * A reference made in two slices of equal size whose physical shares are 0.9 and 0.1 (weights
     * in that ratio), against data drawn from the physical mixture: counted by its weights, the
     * background-only global p-values are uniform (300 repetitions, the 1 % Kolmogorov-Smirnov
     * value 1.63 / sqrt(300) = 0.094); counted once, the reference's harder slice, ten times too
     * many, predicts too much background in every region and the p-values crowd towards 1.
     */
    @Test
    void aReferenceMadeInSlicesCountedByItsWeightsGivesUniformGlobalPValues() {
        int repetitions = 300;
        double[] weighted = new double[repetitions];
        double countedMean = 0;
        SplittableRandom random = new SplittableRandom(77);
        for (int r = 0; r < repetitions; r++) {
            float[] reference = new float[6_000];
            double[] weights = new double[reference.length];
            for (int i = 0; i < reference.length; i++) { // the soft slice, exponential of mean 1; the hard one, of mean 2.5
                boolean hard = i % 2 == 1;
                reference[i] = (float) ((hard ? 2.5 : 1) * -Math.log(1 - random.nextDouble()));
                weights[i] = hard ? 0.1 : 0.9;
            }
            float[] data = new float[3_000];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) ((random.nextDouble() < 0.1 ? 2.5 : 1) * -Math.log(1 - random.nextDouble()));
            }
            SearchSettings settings = new SearchSettings(List.of(1e-1, 3e-2, 1e-2, 3e-3), 0.5, 0.0, 0, 200, r);
            weighted[r] = RegionSearch.run(reference, weights, data, settings).globalP();
            countedMean += RegionSearch.run(reference, null, data, settings).globalP() / repetitions;
        }
        Arrays.sort(weighted);
        double d = 0;
        for (int i = 0; i < repetitions; i++) {
            d = Math.max(d, Math.max(Math.abs((i + 1.0) / repetitions - weighted[i]), Math.abs(weighted[i] - i / (double) repetitions)));
        }
        assertTrue(d < 1.63 / Math.sqrt(repetitions), "KS distance " + d + " to uniform");
        assertTrue(countedMean > 0.9, "counted once, the mean global p " + countedMean);
    }

    @Test
    void confirmationNeverSeesDiscoveryEvents() {
        SplittableRandom random = new SplittableRandom(3);
        float[] reference = background(20_000, random);
        float[] data = withSignal(background(6_000, random), 40, 7.0, random);
        SearchSettings settings = new SearchSettings(SearchSettings.DEFAULT_EFFICIENCIES, 0.9, 0.1, 0, 200, 5);
        TwoStepSearch.Result result = TwoStepSearch.run(reference, null, data, 0.5, settings);
        TwoStepSearch.Split split = result.split();
        Set<Integer> discovery = new HashSet<>();
        for (int i : split.discovery()) {
            discovery.add(i);
        }
        for (int i : split.confirmation()) {
            assertTrue(!discovery.contains(i), "event " + i + " in both parts");
        }
        assertEquals(data.length, split.discovery().length + split.confirmation().length);
        // the confirmation count is the count among confirmation events alone
        long observed = 0;
        for (int i : split.confirmation()) {
            if (data[i] >= result.confirmation().threshold()) {
                observed++;
            }
        }
        assertEquals(observed, result.confirmation().observed());
        assertEquals(split.confirmation().length, result.confirmation().events());
        assertEquals(split.discovery().length, result.discovery().dataEvents());
        assertEquals(result.discovery().mostSignificant(), result.confirmation().region());
        assertTrue(result.confirmation().z() > 2, "the injected signal confirms: Z " + result.confirmation().z());
    }

    /** Each setting out of range is refused on its own, saying which and what it must be. */
    @Test
    void eachSettingOutOfRangeIsNamed() {
        List<Double> regions = List.of(1e-2);
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SearchSettings(regions, 0.9, -0.1, 0, 10, 1)).getMessage().startsWith("background uncertainty -0.1 is not"));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SearchSettings(regions, 0.9, 0.1, Double.NaN, 10, 1)).getMessage().startsWith("luminosity NaN is not"));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SearchSettings(regions, 0.9, 0.1, 0, 0, 1)).getMessage().startsWith("0 toys: the global p-value needs"));
        assertEquals(10, new SearchSettings(regions, 0.9, 0, 0, 10, 1).toys());
    }
}
