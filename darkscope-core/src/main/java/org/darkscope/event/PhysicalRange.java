package org.darkscope.event;

/**
 * The range of every number of an event record that physics allows, in one place: the reader
 * treats a value outside it as bad input (file, line, which value), so that a finite but absurd
 * number (a pT of 1.7e308 MeV, an eta of 1e30) never reaches a detector. The bounds are generous:
 * they catch corrupt and mistyped values, not rare events.
 */
public final class PhysicalRange {
    /**
     * The largest energy, transverse momentum or MET, in MeV: 100 TeV, the centre-of-mass energy
     * of the largest hadron collider studied (FCC-hh); no object of a collider event carries more.
     */
    public static final double MAX_MEV = 1e8;
    /**
     * The largest |eta|: 20. Detectors end near |eta| = 5, and a particle of 7 TeV at |eta| = 20
     * would have a pT of 30 keV; a larger value is an error, not a particle.
     */
    public static final double MAX_ETA = 20;
    /** The largest |phi|: 2 pi (the files write -pi..pi; 0..2pi is accepted too), with rounding room. */
    public static final double MAX_PHI = 2 * Math.PI + 1e-6;
    /**
     * How far below its pT an object's E may lie, relative: 1e-3, room for values rounded to a few
     * digits and a calibration's small negative m^2, far below what a swap of the two columns gives.
     */
    public static final double E_BELOW_PT = 1e-3;

    private PhysicalRange() {
    }

    /** An energy, momentum or MET within [0, {@link #MAX_MEV}]. */
    public static boolean energy(double mev) {
        return mev >= 0 && mev <= MAX_MEV;
    }

    /**
     * Whether an object's energy covers its transverse momentum, as every particle's does (E^2 =
     * m^2 + pT^2 cosh^2 eta >= pT^2), within {@link #E_BELOW_PT}: an object with E below pT has its
     * columns swapped or is corrupt.
     */
    public static boolean energyCoversPt(double e, double pt) {
        return e >= pt * (1 - E_BELOW_PT);
    }

    /** What to say of an object whose E lies below its pT. */
    public static String energyBelowPt(double e, double pt) {
        return "E " + e + " below its pt " + pt + ": every particle has E >= pt (E^2 = m^2 + pt^2 cosh^2 eta);"
                + " the object's fields are type,E,pt,eta,phi: are E and pt swapped?";
    }

    public static boolean eta(double eta) {
        return Math.abs(eta) <= MAX_ETA;
    }

    public static boolean phi(double phi) {
        return Math.abs(phi) <= MAX_PHI;
    }

    /** The bounds in words, for messages. */
    public static final String ENERGY_BOUND = "0 <= value <= " + MAX_MEV + " MeV (100 TeV)";
    public static final String ETA_BOUND = "|eta| <= " + MAX_ETA;
    public static final String PHI_BOUND = "|phi| <= 2 pi";
}
