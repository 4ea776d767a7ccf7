package org.darkscope.cli;

import java.util.ArrayList;
import java.util.List;
import org.darkscope.stats.SearchSettings;
import picocli.CommandLine.Option;

/** The statistical options of a search, shared by {@code search} and {@code spark search}. */
public final class SearchOptions {
    @Option(names = "--toys", defaultValue = "1000", paramLabel = "N", description = "Background-only toy experiments (default: ${DEFAULT-VALUE}).")
    int toys;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Seeds the toys and the split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--background-uncertainty", defaultValue = "0.1", paramLabel = "R",
            description = "Relative systematic uncertainty of the background (default: ${DEFAULT-VALUE}).")
    double backgroundUncertainty;

    @Option(names = "--luminosity", defaultValue = "0", paramLabel = "L",
            description = "Normalise absolutely: event weights (pb) x L (fb^-1), instead of in the control region.")
    double luminosity;

    @Option(names = "--weighted", description = "Count the reference by its weight column (one made in slices, or by an NLO generator):"
            + " the thresholds, the control region, the normalisation and each region's background; --luminosity always does.")
    boolean weighted;

    @Option(names = "--control-quantile", defaultValue = "0.9", paramLabel = "Q",
            description = "Control region: scores below this quantile of the background (default: ${DEFAULT-VALUE}).")
    double controlQuantile;

    @Option(names = "--regions", split = ",", paramLabel = "EPS_B,...",
            description = "Signal regions as background efficiencies (default: 1e-1,3e-2,1e-2,3e-3,1e-3,3e-4,1e-4).")
    List<Double> regions = new ArrayList<>(SearchSettings.DEFAULT_EFFICIENCIES);

    /** Whether the reference counts by its weights: {@code --weighted}, or a luminosity (an absolute normalisation reads them). */
    public boolean countsWeights() {
        return weighted || luminosity > 0;
    }

    /** The settings; a {@link UsageException} (exit code 2) naming the option out of range, or the two that contradict each other. */
    public SearchSettings settings() {
        UsageException.naming("--regions", () -> SearchSettings.checkRegions(regions));
        UsageException.naming("--control-quantile", () -> SearchSettings.checkControlQuantile(controlQuantile));
        UsageException.naming("--background-uncertainty", () -> SearchSettings.checkBackgroundUncertainty(backgroundUncertainty));
        UsageException.naming("--luminosity", () -> SearchSettings.checkLuminosity(luminosity));
        UsageException.naming("--toys", () -> SearchSettings.checkToys(toys));
        try {
            return new SearchSettings(regions, controlQuantile, backgroundUncertainty, luminosity, toys, seed);
        } catch (IllegalArgumentException e) { // what is left: the loosest region against the control region
            throw new UsageException("--regions and --control-quantile: " + e.getMessage());
        }
    }
}
