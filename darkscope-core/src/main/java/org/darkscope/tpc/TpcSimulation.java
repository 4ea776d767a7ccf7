package org.darkscope.tpc;

import java.util.SplittableRandom;

/**
 * From a recoil to the light on every photomultiplier. S1: the recoil's photons detected with the
 * detector's efficiency, each giving one photoelectron or, with the double-PE probability, two;
 * shared between the arrays by the depth-dependent bottom fraction and among each array's PMTs
 * by solid angle from the interaction point. S2: the electrons drift up (each survives the drift
 * with exp(-t / lifetime)), are extracted, and each makes the single-electron gain's
 * photoelectrons (normal, with its width) at the gas gap, shared between the arrays by the S2
 * bottom fraction and among the top PMTs by solid angle from the electron cloud, widened by the
 * transverse diffusion sigma^2 = 2 D t. The event carries the correction factor exp(t / lifetime)
 * that the experiments apply to S2 (their cS2) from the drift time. Every PMT's area is its photoelectrons' sum, each with the
 * single-PE resolution. Interactions are drawn uniformly in the fiducial cylinder.
 */
public final class TpcSimulation {
    /** XENON1T's region of interest in S1 (PE), the 1 tonne-year search's (XENON, PRL 121 (2018) 111302). */
    public static final double S1_MIN_PE = 3;
    public static final double S1_MAX_PE = 70;
    /** The S2 threshold (PE), the same search's. */
    public static final double S2_MIN_PE = 200;
    /** PMTs that must see S1 light (a three-fold coincidence). */
    public static final int S1_COINCIDENCE = 3;

    private final TpcDetector detector;
    private final RecoilYields yields;
    private final PmtArray top = PmtArray.top();
    private final PmtArray bottom = PmtArray.bottom();

    public TpcSimulation(TpcDetector detector) {
        this.detector = detector;
        this.yields = new RecoilYields(detector);
    }

    public TpcDetector detector() {
        return detector;
    }

    public RecoilYields yields() {
        return yields;
    }

    /** A recoil of {@code keV} at ({@code x}, {@code y}, {@code height} above the cathode), in cm. */
    public TpcEvent simulate(RecoilYields.Recoil recoil, double keV, double x, double y, double height, SplittableRandom random) {
        long[] quanta = yields.draw(recoil, keV, random);
        long detected = Counts.binomial(quanta[0], detector.photonDetectionEfficiency(), random);
        long pe = detected + Counts.binomial(detected, detector.doublePeProbability(), random);
        long onBottom = Counts.binomial(pe, detector.s1BottomFraction(height), random);
        double[] s1Bottom = areas(Counts.multinomial(onBottom, bottom.shares(x, y, height + detector.bottomArrayDepthCm(), 0), random),
                random);
        double toTop = detector.driftLengthCm() - height + detector.topArrayHeightCm();
        double[] s1Top = areas(Counts.multinomial(pe - onBottom, top.shares(x, y, toTop, 0), random), random);

        double drift = detector.driftTimeUs(height);
        long surviving = Counts.binomial(quanta[1], Math.exp(-drift / detector.electronLifetimeUs()), random);
        long extracted = Counts.binomial(surviving, detector.extractionEfficiency(), random);
        double s2 = extracted == 0 ? 0 : Math.max(0, extracted * detector.singleElectronGainPe()
                + Math.sqrt(extracted) * detector.singleElectronWidthPe() * Counts.gaussian(random));
        long s2Pe = Math.round(s2);
        long s2TopPe = Counts.binomial(s2Pe, 1 - detector.s2BottomFraction(), random);
        double spread2 = 2 * detector.transverseDiffusionCm2PerS() * drift * 1e-6;
        double[] s2Top = areas(Counts.multinomial(s2TopPe, top.shares(x, y, detector.topArrayHeightCm(), spread2), random), random);
        double s2Bottom = area(s2Pe - s2TopPe, random);
        double lost = Math.exp(drift / detector.electronLifetimeUs()); // the experiments' correction: cS2 = S2 exp(t / lifetime)
        return new TpcEvent(recoil, keV, x, y, height, quanta[0], quanta[1], s1Top, s1Bottom, s2Top, s2Bottom, lost);
    }

    /** A recoil drawn uniformly in the fiducial cylinder. */
    public TpcEvent simulate(RecoilYields.Recoil recoil, double keV, SplittableRandom random) {
        double r = detector.fiducialRadiusCm() * Math.sqrt(random.nextDouble());
        double phi = 2 * Math.PI * random.nextDouble();
        double height = detector.fiducialBottomCm() + (detector.fiducialTopCm() - detector.fiducialBottomCm()) * random.nextDouble();
        return simulate(recoil, keV, r * Math.cos(phi), r * Math.sin(phi), height, random);
    }

    /** Whether the event passes the search's selection: S1 in [3, 70] PE in at least three PMTs, S2 (uncorrected) at least 200 PE. */
    public static boolean selected(TpcEvent event) {
        double s1 = event.s1();
        return s1 >= S1_MIN_PE && s1 <= S1_MAX_PE && event.s1Pmts() >= S1_COINCIDENCE && event.s2() >= S2_MIN_PE;
    }

    private double[] areas(long[] photoelectrons, SplittableRandom random) {
        double[] out = new double[photoelectrons.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = area(photoelectrons[i], random);
        }
        return out;
    }

    /** The area of {@code n} photoelectrons, each of mean 1 and the single-PE resolution. */
    private double area(long n, SplittableRandom random) {
        if (n == 0) {
            return 0;
        }
        return Math.max(0, n + Math.sqrt(n) * detector.singlePeResolution() * Counts.gaussian(random));
    }

    PmtArray top() {
        return top;
    }

    PmtArray bottom() {
        return bottom;
    }
}
