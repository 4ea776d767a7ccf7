package org.darkscope.event;

/**
 * Units. Event files store energies and momenta in MeV (the Dark Machines convention); cuts and
 * features are written in GeV, the unit physicists quote.
 */
public final class Units {
    /** MeV in one GeV. */
    public static final double MEV_PER_GEV = 1000.0;

    private Units() {
    }

    /** Converts MeV, as stored in events, to GeV. */
    public static double gev(double mev) {
        return mev / MEV_PER_GEV;
    }
}
