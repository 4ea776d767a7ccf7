package org.darkscope.feature;

import java.util.List;
import org.darkscope.event.Event;

/**
 * An encoding together with its standardiser fitted on background. This is what a model bundle
 * stores: scoring new data applies it unchanged and never refits anything.
 */
public final class FittedEncoder {
    private final Encoding encoding;
    private final Standardizer standardizer;

    public FittedEncoder(Encoding encoding, Standardizer standardizer) {
        if (standardizer.mean().length != encoding.size()) {
            throw new IllegalArgumentException("standardiser has " + standardizer.mean().length
                    + " features, encoding " + encoding.name() + " has " + encoding.size());
        }
        this.encoding = encoding;
        this.standardizer = standardizer;
    }

    /** Fits the standardiser of {@code encoding} on {@code background}. */
    public static FittedEncoder fit(Encoding encoding, List<Event> background) {
        return fitAndStandardize(encoding, encodeRaw(encoding, background), background.size());
    }

    /**
     * Fits the standardiser on {@code rows} events already encoded raw by {@code encoding}
     * ({@code raw}, row-major), and standardises them in place: training then holds 4 bytes per
     * feature and event, not the events themselves.
     */
    public static FittedEncoder fitAndStandardize(Encoding encoding, float[] raw, int rows) {
        int size = encoding.size();
        Standardizer standardizer = encoding.fitStandardizer(raw, rows);
        for (int r = 0; r < rows; r++) {
            standardizer.apply(raw, r * size);
        }
        return new FittedEncoder(encoding, standardizer);
    }

    public Encoding encoding() {
        return encoding;
    }

    public Standardizer standardizer() {
        return standardizer;
    }

    /** What turns a density over these standardised features into one per physical unit (per GeV of each energy). */
    public DensityUnits densityUnits() {
        return DensityUnits.of(encoding, standardizer);
    }

    /**
     * Per feature, the distance between consecutive values of a count ({@link Encoding#count}) in
     * the standardised features, one over its scale; 0 for every other feature.
     */
    public double[] countSpacing() {
        double[] spacing = new double[size()];
        for (int f = 0; f < spacing.length; f++) {
            spacing[f] = encoding.count(f) ? 1 / standardizer.scale()[f] : 0;
        }
        return spacing;
    }

    public int size() {
        return encoding.size();
    }

    /** Encodes and standardises one event into {@code out[offset...]}. */
    public void encode(Event event, float[] out, int offset) {
        encoding.encode(event, out, offset);
        standardizer.apply(out, offset);
    }

    /** Encodes and standardises a list of events. */
    public FeatureBatch encode(List<Event> events) {
        float[] values = encodeRaw(encoding, events);
        for (int i = 0; i < events.size(); i++) {
            standardizer.apply(values, i * encoding.size());
        }
        return new FeatureBatch(values, events.size(), encoding.shape());
    }

    /** The serialisable state (encoding name and fitted parameters). */
    public State state() {
        return new State(encoding.name(), standardizer.mean(), standardizer.scale());
    }

    /** Rebuilds an encoder from its saved state. */
    public static FittedEncoder fromState(State state) {
        if (state == null || state.encoding() == null || state.mean() == null || state.scale() == null) {
            throw new IllegalArgumentException("the encoder needs its encoding, mean and scale"
                    + (state == null ? "" : "; missing: " + String.join(", ", java.util.stream.Stream.of(
                            state.encoding() == null ? "encoding" : null, state.mean() == null ? "mean" : null,
                            state.scale() == null ? "scale" : null).filter(java.util.Objects::nonNull).toList())));
        }
        return new FittedEncoder(Encodings.byName(state.encoding()),
                new Standardizer(state.mean(), state.scale()));
    }

    private static float[] encodeRaw(Encoding encoding, List<Event> events) {
        int size = encoding.size();
        float[] values = new float[events.size() * size];
        for (int i = 0; i < events.size(); i++) {
            encoding.encode(events.get(i), values, i * size);
        }
        return values;
    }

    /**
     * What a bundle stores of a fitted encoder.
     *
     * @param encoding the encoding's name
     * @param mean     the standardiser's per-feature means
     * @param scale    the standardiser's per-feature scales
     */
    public record State(String encoding, double[] mean, double[] scale) {
    }
}
