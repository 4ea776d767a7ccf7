package org.darkscope.stats;

import java.util.List;

/**
 * How a search is made.
 *
 * @param backgroundEfficiencies  the signal regions: score thresholds at these reference background efficiencies
 * @param controlQuantile         the control region holds events scoring below this quantile of the reference
 * @param backgroundUncertainty   relative systematic uncertainty of the expected background
 * @param luminosity              integrated luminosity in fb^-1 for absolute normalisation from event weights
 *                                (pb per event); 0 to normalise in the control region
 * @param toys                    background-only toy experiments for the global p-value
 * @param seed                    seeds the toys and the discovery/confirmation split
 */
public record SearchSettings(List<Double> backgroundEfficiencies, double controlQuantile, double backgroundUncertainty,
                             double luminosity, int toys, long seed) {
    /** The default regions: 1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4. */
    public static final List<Double> DEFAULT_EFFICIENCIES = List.of(1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4);
    /** pb^-1 in one fb^-1. */
    public static final double INVERSE_PB_PER_INVERSE_FB = 1000.0;

    public SearchSettings {
        backgroundEfficiencies = List.copyOf(backgroundEfficiencies);
        checkRegions(backgroundEfficiencies);
        checkControlQuantile(controlQuantile);
        checkBackgroundUncertainty(backgroundUncertainty);
        checkLuminosity(luminosity);
        checkToys(toys);
        double largest = backgroundEfficiencies.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        if (luminosity == 0 && largest > 1 - controlQuantile + 1e-12) {
            throw new IllegalArgumentException("the loosest signal region (eps_b " + largest
                    + ") overlaps the control region (scores below the " + controlQuantile + " quantile)");
        }
    }

    /** Refuses signal regions outside (0, 1) or given twice. */
    public static void checkRegions(List<Double> backgroundEfficiencies) {
        for (double e : backgroundEfficiencies) {
            if (!(e > 0 && e < 1)) {
                throw new IllegalArgumentException("signal-region background efficiency " + e + " is not in (0, 1)");
            }
        }
        if (backgroundEfficiencies.stream().distinct().count() < backgroundEfficiencies.size()) {
            throw new IllegalArgumentException("a signal region is given twice in " + backgroundEfficiencies
                    + ": each background efficiency once");
        }
    }

    /** Refuses a control quantile outside (0, 1). */
    public static void checkControlQuantile(double controlQuantile) {
        if (!(controlQuantile > 0 && controlQuantile < 1)) {
            throw new IllegalArgumentException("control quantile " + controlQuantile + " is not in (0, 1)");
        }
    }

    /** Refuses a negative or infinite relative background uncertainty. */
    public static void checkBackgroundUncertainty(double backgroundUncertainty) {
        if (!(backgroundUncertainty >= 0 && Double.isFinite(backgroundUncertainty))) {
            throw new IllegalArgumentException("background uncertainty " + backgroundUncertainty
                    + " is not a relative uncertainty (0 or more; 0.1 is 10 %)");
        }
    }

    /** Refuses a negative or infinite luminosity. */
    public static void checkLuminosity(double luminosity) {
        if (!(luminosity >= 0 && Double.isFinite(luminosity))) {
            throw new IllegalArgumentException("luminosity " + luminosity + " is not a luminosity in fb^-1 (0 or more; 0 normalises in the control region)");
        }
    }

    /** Refuses fewer than one toy experiment. */
    public static void checkToys(int toys) {
        if (toys < 1) {
            throw new IllegalArgumentException(toys + " toys: the global p-value needs at least one background-only toy experiment");
        }
    }

    /** The defaults: challenge regions, control region below the 90 % quantile, 10 % systematic, 1000 toys. */
    public static SearchSettings defaults(long seed) {
        return new SearchSettings(DEFAULT_EFFICIENCIES, 0.9, 0.1, 0, 1000, seed);
    }
}
