package org.darkscope.cli;

import java.util.Locale;
import org.darkscope.detect.FixedPoint;
import picocli.CommandLine.Option;

/** The fixed-point type of {@code trigger quantize} and {@code trigger export}: hls4ml's {@code ap_fixed<W,I,Q,O>}. */
final class FixedPointOptions {
    /** The detectors whose score is a plain dense network, which quantize and export take. */
    static final String DENSE_DETECTORS = "ae, vae with its reconstruction score, deep-svdd (not on object-set), classifier, hyperclass";

    @Option(names = "--bits", defaultValue = "16", paramLabel = "W", description = "Total bits W (default: ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "--integer-bits", defaultValue = "6", paramLabel = "I",
            description = "Integer bits I, the sign included (default: ${DEFAULT-VALUE}).")
    int integerBits;

    @Option(names = "--rounding", defaultValue = "trn", paramLabel = "trn|rnd",
            description = "AP_TRN: truncate towards minus infinity (default), or AP_RND: round to nearest.")
    String rounding;

    @Option(names = "--saturation", defaultValue = "wrap", paramLabel = "wrap|sat",
            description = "AP_WRAP: wrap around (default), or AP_SAT: saturate.")
    String saturation;

    /** The type asked for. */
    FixedPoint type() {
        return type(bits);
    }

    /** The type with another width, the rest as asked for. */
    FixedPoint type(int width) {
        FixedPoint.Rounding r;
        FixedPoint.Overflow o;
        try {
            r = FixedPoint.Rounding.valueOf(rounding.toUpperCase(Locale.ROOT));
            o = FixedPoint.Overflow.valueOf(saturation.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--rounding takes trn or rnd and --saturation wrap or sat, got " + rounding + " and " + saturation);
        }
        try {
            return new FixedPoint(width, integerBits, r, o);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
