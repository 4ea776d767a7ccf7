package org.darkscope.tpc;

import java.util.SplittableRandom;

/**
 * Scintillation photons and ionisation electrons from a recoil in liquid xenon, in the NEST-like
 * picture: the energy makes E L / W quanta (L = 1 for an electron recoil; Lindhard's quenching
 * for a nuclear recoil), split into excitons and ions, and a field-dependent fraction r of the
 * ions recombines into photons (the Thomas-Imel box model: r = 1 - ln(1 + xi) / xi,
 * xi = N_i sigma / 4).
 *
 * <p>Nuclear recoils follow Lenardo et al.'s global fit (IEEE Trans. Nucl. Sci. 62 (2015) 3387,
 * arXiv:1412.4417): Lindhard's k = 0.1735 with epsilon = 11.5 E/keV Z^(-7/3) and
 * g(epsilon) = 3 epsilon^0.15 + 0.7 epsilon^0.6 + epsilon (Lindhard et al., Mat. Fys. Medd. Dan.
 * Vid. Selsk. 33 (1963) 10); N_ex/N_i = 1.240 F^-0.0472 (1 - exp(-239 epsilon)); sigma = 0.01385
 * F^-0.062 (F in V/cm); photons quenched by Hitachi's biexcitonic factor 1 / (1 + 3.3
 * epsilon^1.14). Electron recoils: N_ex/N_i = 0.06 (Doke et al., Jpn. J. Appl. Phys. 41 (2002)
 * 1538) and sigma = 0.011 at XENON1T's 81 V/cm, this simulation's choice: it puts the medians of
 * log10(S2/S1) of electron and nuclear recoils at S1 of about 20 PE some 0.4 apart, the size of
 * the separation of XENON1T's published bands (not a fit; 48 electrons per keV at 5 keV).
 * Fluctuations: the quanta with the Fano factor, the exciton-ion split and the recombination
 * binomial; the extra recombination fluctuations measured for electron recoils are left out, so
 * the simulated bands are narrower than real ones.
 */
public final class RecoilYields {
    /** The recoiling particle. */
    public enum Recoil { ELECTRON, NUCLEAR }

    /** Mean numbers of photons and electrons. */
    public record Quanta(double photons, double electrons) {
    }

    static final double XENON_Z = 54;
    static final double LINDHARD_K = 0.1735;
    /** Lenardo et al.'s nuclear-recoil N_ex/N_i = A F^B (1 - exp(-C epsilon)). */
    static final double NR_EXCITON_A = 1.240;
    static final double NR_EXCITON_B = -0.0472;
    static final double NR_EXCITON_C = 239;
    /** Lenardo et al.'s nuclear-recoil box parameter sigma = A F^B. */
    static final double NR_BOX_A = 0.01385;
    static final double NR_BOX_B = -0.062;
    /** Hitachi's biexcitonic quenching 1 / (1 + A epsilon^B). */
    static final double HITACHI_A = 3.3;
    static final double HITACHI_B = 1.14;
    static final double ER_EXCITON_RATIO = 0.06;
    static final double ER_BOX_SIGMA = 0.011;

    /** The model in words, for data cards: the formulas above with these numbers. */
    public static final String MODEL = "quanta E L / W; excitons and ions; Thomas-Imel recombination r = 1 - ln(1 + xi) / xi, xi = N_i sigma / 4";
    public static final String NUCLEAR_MODEL = "Lenardo et al., IEEE TNS 62 (2015) 3387, arXiv:1412.4417: Lindhard k = " + LINDHARD_K
            + ", N_ex/N_i = " + NR_EXCITON_A + " F^" + NR_EXCITON_B + " (1 - exp(-" + (int) NR_EXCITON_C + " epsilon)), sigma = "
            + NR_BOX_A + " F^" + NR_BOX_B + ", Hitachi quenching 1 / (1 + " + HITACHI_A + " epsilon^" + HITACHI_B + ")";
    public static final String ELECTRON_MODEL = "N_ex/N_i = " + ER_EXCITON_RATIO + " (Doke et al., Jpn. J. Appl. Phys. 41 (2002) 1538); sigma = "
            + ER_BOX_SIGMA + " at 81 V/cm, this simulation's choice (the ER and NR medians of log10(S2/S1) about 0.4 apart at S1 of 20 PE, "
            + "as XENON1T's bands; not a fit)";

    private final TpcDetector detector;

    public RecoilYields(TpcDetector detector) {
        this.detector = detector;
    }

    /** Lindhard's reduced energy epsilon of a xenon recoil of {@code keV}. */
    static double reducedEnergy(double keV) {
        return 11.5 * keV * Math.pow(XENON_Z, -7.0 / 3);
    }

    /** Lindhard's quenching: the fraction of a nuclear recoil's energy that goes to electrons. */
    public static double lindhard(double keV) {
        double e = reducedEnergy(keV);
        double g = 3 * Math.pow(e, 0.15) + 0.7 * Math.pow(e, 0.6) + e;
        return LINDHARD_K * g / (1 + LINDHARD_K * g);
    }

    /** Thomas-Imel recombination fraction of {@code ions} ions with box parameter {@code sigma}. */
    static double recombination(double ions, double sigma) {
        double xi = ions * sigma / 4;
        return xi < 1e-9 ? 0 : 1 - Math.log1p(xi) / xi;
    }

    double quanta(Recoil recoil, double keV) {
        double visible = recoil == Recoil.NUCLEAR ? lindhard(keV) : 1;
        return keV * 1000 * visible / detector.workFunctionEv();
    }

    double excitonRatio(Recoil recoil, double keV) {
        double f = detector.driftFieldVPerCm();
        return recoil == Recoil.NUCLEAR ? NR_EXCITON_A * Math.pow(f, NR_EXCITON_B) * (1 - Math.exp(-NR_EXCITON_C * reducedEnergy(keV)))
                : ER_EXCITON_RATIO;
    }

    double boxSigma(Recoil recoil) {
        return recoil == Recoil.NUCLEAR ? NR_BOX_A * Math.pow(detector.driftFieldVPerCm(), NR_BOX_B) : ER_BOX_SIGMA;
    }

    double photonSurvival(Recoil recoil, double keV) {
        return recoil == Recoil.NUCLEAR ? 1 / (1 + HITACHI_A * Math.pow(reducedEnergy(keV), HITACHI_B)) : 1;
    }

    /** The mean photons and electrons of a recoil of {@code keV} (the formula, no fluctuation). */
    public Quanta mean(Recoil recoil, double keV) {
        double quanta = quanta(recoil, keV);
        double alpha = excitonRatio(recoil, keV);
        double ions = quanta / (1 + alpha);
        double r = recombination(ions, boxSigma(recoil));
        return new Quanta((quanta - ions + r * ions) * photonSurvival(recoil, keV), ions * (1 - r));
    }

    /** Photons and electrons of one recoil, fluctuated: {photons, electrons}. */
    public long[] draw(Recoil recoil, double keV, SplittableRandom random) {
        double meanQuanta = quanta(recoil, keV);
        long quanta = Math.max(0, Math.round(meanQuanta + Math.sqrt(detector.fanoFactor() * meanQuanta) * Counts.gaussian(random)));
        double alpha = excitonRatio(recoil, keV);
        long ions = Counts.binomial(quanta, 1 / (1 + alpha), random);
        long recombined = Counts.binomial(ions, recombination(ions, boxSigma(recoil)), random);
        long photons = Counts.binomial(quanta - ions + recombined, photonSurvival(recoil, keV), random);
        return new long[] {photons, ions - recombined};
    }
}
