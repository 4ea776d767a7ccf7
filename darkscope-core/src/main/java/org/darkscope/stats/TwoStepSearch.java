package org.darkscope.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The two-step search of ATLAS's general search (arXiv:1807.07447): the data are split at random
 * (seeded) into a discovery part and a confirmation part; the most significant region is chosen
 * on the discovery part alone, and tested once on the confirmation part, where there is no look-
 * elsewhere effect to correct for. The confirmation part is normalised in its own control region
 * (or with its share of the luminosity).
 */
public final class TwoStepSearch {
    private TwoStepSearch() {
    }

    /** The data split: indices of the discovery and of the confirmation events, disjoint, each in increasing order. */
    public record Split(int[] discovery, int[] confirmation) {
        /** Splits {@code n} events, {@code fraction} of them (rounded) for confirmation. */
        public static Split of(int n, double fraction, long seed) {
            requireFraction(fraction);
            int[] order = RandomOrder.permutation(n, new SplittableRandom(seed ^ 0x5DEECE66DL));
            int confirmation = (int) Math.round(n * fraction);
            int[] c = Arrays.copyOfRange(order, 0, confirmation);
            int[] d = Arrays.copyOfRange(order, confirmation, n);
            Arrays.sort(c);
            Arrays.sort(d);
            return new Split(d, c);
        }
    }

    /** Refuses a confirmation fraction outside (0, 1): both parts must hold events. */
    public static void requireFraction(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("confirmation fraction " + fraction + " is not in (0, 1) (the share of the data that"
                    + " tests the region chosen on the rest)");
        }
    }

    /** The confirmation of the region chosen on the discovery part. */
    public record Confirmation(String region, double threshold, long observed, double expected, double expectedUncertainty,
                               double p, double z, long events) {
    }

    /** Discovery search and confirmation. */
    public record Result(RegionSearch.Result discovery, Confirmation confirmation, Split split) {
    }

    public static Result run(float[] reference, double[] referenceWeights, float[] data, double confirmFraction,
                             SearchSettings settings) {
        Split split = Split.of(data.length, confirmFraction, settings.seed());
        float[] discoveryScores = select(data, split.discovery());
        float[] confirmationScores = select(data, split.confirmation());
        SearchSettings discoverySettings = new SearchSettings(settings.backgroundEfficiencies(), settings.controlQuantile(),
                settings.backgroundUncertainty(), settings.luminosity() * (1 - confirmFraction), settings.toys(), settings.seed());
        RegionSearch.Result discovery = RegionSearch.run(reference, referenceWeights, discoveryScores, discoverySettings);
        SignalRegion chosen = discovery.best();
        // The confirmation step sees only the confirmation events, and one region fixed in advance.
        SearchSettings confirmationSettings = new SearchSettings(settings.backgroundEfficiencies(), settings.controlQuantile(),
                settings.backgroundUncertainty(), settings.luminosity() * confirmFraction, settings.toys(), settings.seed());
        SignalRegion tested = RegionSearch.testRegion(chosen.name(), (float) chosen.threshold(), reference, referenceWeights,
                confirmationScores, confirmationSettings);
        Confirmation confirmation = new Confirmation(chosen.name(), tested.threshold(), tested.observed(), tested.expected(),
                tested.expectedUncertainty(), tested.localP(), tested.localZ(), confirmationScores.length);
        return new Result(discovery, confirmation, split);
    }

    static float[] select(float[] values, int[] indices) {
        float[] out = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = values[indices[i]];
        }
        return out;
    }
}
