package org.darkscope.feature;

import org.darkscope.event.Units;

/** Feature transforms shared by the encodings. */
final class Features {
    private Features() {
    }

    /**
     * log(1 + x / GeV) of an energy or momentum in MeV: compresses the steeply falling spectra to
     * a scale a network can learn, and maps a padded (absent) object's 0 to 0.
     */
    static float logGev(double mev) {
        // log(1 + x) rather than log1p: x is an energy in GeV, never near the small values where
        // log1p is more accurate, and Math.log is a fast intrinsic while log1p is not.
        return (float) Math.log(1.0 + Units.gev(mev));
    }
}
