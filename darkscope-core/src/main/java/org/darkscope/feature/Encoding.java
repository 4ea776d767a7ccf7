package org.darkscope.feature;

import java.util.List;
import org.darkscope.event.Event;

/**
 * Turns an event into a fixed-length vector of raw (not yet standardised) features. An encoding
 * is stateless; the fitted part, the standardisation, lives in {@link FittedEncoder}.
 */
public interface Encoding {
    /** The name used in model bundles and on the command line. */
    String name();

    /** The tensor shape of one encoded event, e.g. {@code [80]} or {@code [4, 1, 14]}. */
    int[] shape();

    /** Number of floats per event (the product of {@link #shape()}). */
    default int size() {
        return FeatureBatch.product(shape());
    }

    /** Whether a standardiser is fitted on background (false for the physics baselines). */
    default boolean standardized() {
        return true;
    }

    /**
     * The standardiser fitted on {@code rows} raw training vectors: per feature mean and standard
     * deviation where {@link #standardized()}, else the identity.
     */
    default Standardizer fitStandardizer(float[] raw, int rows) {
        return standardized() ? Standardizer.fit(raw, rows, size()) : Standardizer.identity(size());
    }

    /** One name per feature, in order, for reports and debugging. */
    List<String> featureNames();

    /**
     * What feature {@code index} is, with its unit, for those who compute it outside darkscope
     * (an exported model's input); by default its name (the encoding's documentation says more).
     */
    default String featureDefinition(int index) {
        return featureNames().get(index);
    }

    /**
     * Whether feature {@code index} is log(1 + q / GeV) of an energy or momentum q, so that a
     * density over it differs from one per GeV of q ({@link DensityUnits}). By darkscope's naming,
     * these are the features whose names hold {@code log_} ({@code log_met},
     * {@code object1_log_pt}, ...).
     */
    default boolean logarithmic(int index) {
        return featureNames().get(index).contains("log_");
    }

    /**
     * Whether feature {@code index} counts objects, so that its values are integers one apart and
     * a density over it is one over a lattice ({@link FittedEncoder#countSpacing()}). By darkscope's
     * naming, these are the features whose names start with {@code n_} ({@code n_bjet},
     * {@code n_lepton}, ...).
     */
    default boolean count(int index) {
        return featureNames().get(index).startsWith("n_");
    }

    /** Writes the {@link #size()} raw features of {@code event} to {@code out[offset...]}. */
    void encode(Event event, float[] out, int offset);
}
