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
        return (float) Math.log1p(Units.gev(mev));
    }
}
