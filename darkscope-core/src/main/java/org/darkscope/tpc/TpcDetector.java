package org.darkscope.tpc;

import java.util.List;

/**
 * The detector the simulation models: geometry, field, light and charge response. {@link #XENON1T}
 * holds XENON1T's published values (science run 1); {@link #parameters()} lists each with its unit
 * and source, for the data card.
 *
 * @param radiusCm              the TPC's inner radius (96 cm diameter)
 * @param driftLengthCm         cathode to gate
 * @param fiducialRadiusCm      events are drawn uniformly inside this radius ...
 * @param fiducialBottomCm      ... above this height over the cathode ...
 * @param fiducialTopCm         ... and below this one
 * @param pmtDiameterCm         3-inch photomultipliers
 * @param topArrayHeightCm      vertical distance from the S2 light (the gas gap) to the top array
 * @param bottomArrayDepthCm    vertical distance from the cathode down to the bottom array
 * @param driftFieldVPerCm      the drift field
 * @param driftVelocityCmPerUs  the electrons' drift velocity
 * @param electronLifetimeUs    the drifting electrons' mean lifetime (attachment to impurities)
 * @param transverseDiffusionCm2PerS the electrons' transverse diffusion coefficient
 * @param photonDetectionEfficiency detected photons per S1 photon (photons detected, before double-PE emission)
 * @param doublePeProbability   the chance a detected photon gives two photoelectrons
 * @param s1BottomFraction      S1 light on the bottom array at mid-depth
 * @param s1BottomFractionSlope how that fraction grows from mid-depth to the cathode (and falls to the gate)
 * @param extractionEfficiency  electrons extracted into the gas
 * @param singleElectronGainPe  S2 photoelectrons per extracted electron (mean)
 * @param singleElectronWidthPe their spread
 * @param s2BottomFraction      S2 light on the bottom array
 * @param singlePeResolution    the spread of one photoelectron's area, in photoelectrons
 * @param workFunctionEv        energy per quantum (photon or electron) in liquid xenon
 * @param fanoFactor            the spread of the number of quanta, variance over mean
 */
public record TpcDetector(double radiusCm, double driftLengthCm, double fiducialRadiusCm, double fiducialBottomCm,
                          double fiducialTopCm, double pmtDiameterCm, double topArrayHeightCm, double bottomArrayDepthCm,
                          double driftFieldVPerCm, double driftVelocityCmPerUs, double electronLifetimeUs,
                          double transverseDiffusionCm2PerS, double photonDetectionEfficiency, double doublePeProbability,
                          double s1BottomFraction, double s1BottomFractionSlope, double extractionEfficiency,
                          double singleElectronGainPe, double singleElectronWidthPe, double s2BottomFraction,
                          double singlePeResolution, double workFunctionEv, double fanoFactor) {
    static final String INSTRUMENT = "XENON, Eur. Phys. J. C 77 (2017) 881, arXiv:1708.07051";
    static final String SR1_RECONSTRUCTION = "XENON, Phys. Rev. D 100 (2019) 052014, arXiv:1906.04717";
    static final String SR1_MODELS = "XENON, Phys. Rev. D 99 (2019) 112009, arXiv:1902.11297";
    static final String SR1_RESULT = "XENON, Phys. Rev. Lett. 121 (2018) 111302, arXiv:1805.12562";
    static final String SIMPLIFIED = "this simulation's choice, not a published value";

    /** XENON1T in its first science run (the 1 tonne-year result). */
    public static final TpcDetector XENON1T = new TpcDetector(48.0, 97.0, 42.0, 5.0, 92.0, 7.62, 6.0, 5.0,
            81.0, 0.1335, 641.0, 50.0, 0.1165, 0.219, 0.60, 0.25, 0.96, 28.2, 7.2, 0.42, 0.28, 13.7, 0.059);

    /** The drift time, in microseconds, of electrons freed {@code heightCm} above the cathode up to the gate. */
    public double driftTimeUs(double heightCm) {
        return (driftLengthCm - heightCm) / driftVelocityCmPerUs;
    }

    /** The fraction of S1 light reaching the bottom array from {@code heightCm} above the cathode. */
    public double s1BottomFraction(double heightCm) {
        return s1BottomFraction + s1BottomFractionSlope * (0.5 - heightCm / driftLengthCm) * 2;
    }

    /** One parameter for the data card: its name, value, unit and where the value comes from. */
    public record Parameter(String name, double value, String unit, String source) {
    }

    /** Every parameter with its unit and source. */
    public List<Parameter> parameters() {
        return List.of(
                new Parameter("radius", radiusCm, "cm", INSTRUMENT + " (96 cm diameter)"),
                new Parameter("drift_length", driftLengthCm, "cm", INSTRUMENT + " (97 cm)"),
                new Parameter("fiducial_radius", fiducialRadiusCm, "cm", "NEST's XENON1T detector file (420 mm); the published fiducial volume is a 1.3 t superellipsoid: " + SIMPLIFIED),
                new Parameter("fiducial_bottom", fiducialBottomCm, "cm above the cathode", SIMPLIFIED),
                new Parameter("fiducial_top", fiducialTopCm, "cm above the cathode", SIMPLIFIED),
                new Parameter("pmt_diameter", pmtDiameterCm, "cm", INSTRUMENT + " (Hamamatsu R11410-21, 3 inch)"),
                new Parameter("top_pmts", PmtArray.TOP_COUNT, "", INSTRUMENT),
                new Parameter("bottom_pmts", PmtArray.BOTTOM_COUNT, "", INSTRUMENT),
                new Parameter("top_array_height", topArrayHeightCm, "cm above the S2 light", SIMPLIFIED),
                new Parameter("bottom_array_depth", bottomArrayDepthCm, "cm below the cathode", SIMPLIFIED),
                new Parameter("drift_field", driftFieldVPerCm, "V/cm", SR1_RESULT),
                new Parameter("drift_velocity", driftVelocityCmPerUs, "cm/us", SR1_RECONSTRUCTION),
                new Parameter("electron_lifetime", electronLifetimeUs, "us", SR1_RECONSTRUCTION + " (as in NEST's XENON1T detector file)"),
                new Parameter("transverse_diffusion", transverseDiffusionCm2PerS, "cm^2/s",
                        "a typical measured value in liquid xenon at 0.1-1 kV/cm (e.g. Sorensen, NIM A 635 (2011) 41); approximate"),
                new Parameter("photon_detection_efficiency", photonDetectionEfficiency, "detected photons per photon",
                        SR1_MODELS + " (g1 = 0.142 PE per photon divided by 1 + the double-PE probability, as NEST's XENON1T file)"),
                new Parameter("double_pe_probability", doublePeProbability, "", SR1_MODELS),
                new Parameter("s1_bottom_fraction", s1BottomFraction, "at mid-depth", "NEST's XENON1T detector file (0.6)"),
                new Parameter("s1_bottom_fraction_slope", s1BottomFractionSlope, "change from mid-depth to the cathode", SIMPLIFIED
                        + " (a linear stand-in for the depth dependence of the light collection)"),
                new Parameter("extraction_efficiency", extractionEfficiency, "", SR1_RECONSTRUCTION + " (approximate)"),
                new Parameter("single_electron_gain", singleElectronGainPe, "PE per extracted electron", SR1_RECONSTRUCTION),
                new Parameter("single_electron_width", singleElectronWidthPe, "PE", SR1_RECONSTRUCTION),
                new Parameter("s2_bottom_fraction", s2BottomFraction, "", "chosen so that g2 (bottom) = extraction x gain x fraction = 11.4 PE per electron, "
                        + SR1_RESULT),
                new Parameter("single_pe_resolution", singlePeResolution, "PE", "NEST's XENON1T detector file"),
                new Parameter("work_function", workFunctionEv, "eV", "Dahl, PhD thesis, Princeton (2009); NEST"),
                new Parameter("fano_factor", fanoFactor, "", "NEST (liquid xenon)"));
    }
}
