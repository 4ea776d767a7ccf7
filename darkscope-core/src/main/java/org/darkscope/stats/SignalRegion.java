package org.darkscope.stats;

/**
 * One data-derived signal region, "score >= threshold", and what was found in it.
 *
 * @param name                the region's name, e.g. {@code eps_b=1e-3}
 * @param threshold           the score threshold (taken on the reference background)
 * @param epsB                fraction of the reference background in the region
 * @param referenceEvents     reference background events in the region
 * @param observed            data events in the region
 * @param expected            expected background in the region, normalised to the data
 * @param expectedUncertainty its uncertainty (reference statistics, normalisation, systematic)
 * @param localP              local p-value (Z_Bi)
 * @param localZ              local significance
 */
public record SignalRegion(String name, double threshold, double epsB, long referenceEvents, long observed,
                           double expected, double expectedUncertainty, double localP, double localZ) {
}
