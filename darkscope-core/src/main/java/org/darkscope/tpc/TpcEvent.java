package org.darkscope.tpc;

/**
 * One simulated interaction: what happened (recoil, energy, position) and what the
 * photomultipliers saw, in photoelectrons (PE) per PMT.
 *
 * @param s1Top    S1 light on each top PMT
 * @param s1Bottom S1 light on each bottom PMT
 * @param s2Top    S2 light on each top PMT
 * @param s2Bottom S2 light on the whole bottom array (not imaged: nearly uniform)
 * @param s2Correction exp(drift time / electron lifetime): the S2 had no electron been lost in the drift, over the S2
 */
public record TpcEvent(RecoilYields.Recoil recoil, double energyKeV, double xCm, double yCm, double heightCm, long photons,
                       long electrons, double[] s1Top, double[] s1Bottom, double[] s2Top, double s2Bottom, double s2Correction) {
    /** The S1 area over both arrays. */
    public double s1() {
        return sum(s1Top) + sum(s1Bottom);
    }

    /** The S2 area on the top array. */
    public double s2TopArea() {
        return sum(s2Top);
    }

    /** The S2 area over both arrays. */
    public double s2() {
        return sum(s2Top) + s2Bottom;
    }

    /** PMTs with at least half a photoelectron of S1. */
    public int s1Pmts() {
        int n = 0;
        for (double[] array : new double[][] {s1Top, s1Bottom}) {
            for (double pe : array) {
                if (pe >= 0.5) {
                    n++;
                }
            }
        }
        return n;
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }
}
