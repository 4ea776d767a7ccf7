package org.darkscope.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.darkscope.DarkscopeVersion;
import org.darkscope.io.NpyWriter;
import org.darkscope.tpc.PmtArray;
import org.darkscope.tpc.RecoilYields;
import org.darkscope.tpc.TpcDetector;
import org.darkscope.tpc.TpcImage;
import org.darkscope.tpc.TpcSample;
import org.darkscope.tpc.TpcSimulation;
import org.darkscope.tpc.WimpSpectrum;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code darkscope simulate-tpc}: detector images of a XENON1T-like dual-phase xenon TPC,
 * electron recoils (the background) and a WIMP's nuclear recoils (the signal), as 75x75x3
 * float32 {@code .npy} files with a JSON data card of every parameter and its source.
 */
@Command(name = "simulate-tpc", mixinStandardHelpOptions = true,
        description = {"Simulate detector images of a XENON1T-like xenon TPC: electron recoils (background) and a WIMP's nuclear recoils (signal).",
                "Writes DIR/background.npy and DIR/signal.npy (N x 75 x 75 x 3, float32, photoelectrons; each with its layout in FILE.npy.json) "
                        + "and DIR/data-card.json (every parameter, its value and its source).",
                "Example: darkscope simulate-tpc --background 10000 --signal 2000 --wimp-mass 500 --seed 1 --out tpc"})
final class SimulateTpcCommand implements Callable<Integer> {
    /** The background's flat electron-recoil spectrum, keV: wider than the S1 region of interest on both sides. */
    static final double ER_MIN_KEV = 0.5;
    static final double ER_MAX_KEV = 15;
    /** The signal's recoil energies, keV: the region of interest lies inside. */
    static final double NR_MIN_KEV = 1;
    static final double NR_MAX_KEV = 100;
    /**
     * XENON1T's electron-recoil background rate at low energy, (82 +5 -3 (sys) +- 3 (stat)) events per
     * tonne, year and keVee (XENON, PRL 121 (2018) 111302), for pseudo-data normalised to an exposure.
     */
    static final double ER_RATE_PER_TONNE_YEAR_KEV = 82;
    static final double REFERENCE_CROSS_SECTION_CM2 = 1e-45;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (made if missing).")
    Path out;

    @Option(names = "--background", defaultValue = "10000", paramLabel = "N", description = "Background events (default: ${DEFAULT-VALUE}).")
    int background;

    @Option(names = "--signal", defaultValue = "2000", paramLabel = "N", description = "Signal events (default: ${DEFAULT-VALUE}).")
    int signal;

    @Option(names = "--wimp-mass", defaultValue = "500", paramLabel = "GEV", description = "WIMP mass in GeV (default: ${DEFAULT-VALUE}).")
    double wimpMass;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = "Replace existing files in DIR.")
    boolean force;

    @Override
    public Integer call() {
        if (background < 1 || signal < 1) {
            throw new UsageException("--background and --signal must be at least 1, got " + background + " and " + signal);
        }
        if (!(wimpMass >= 1 && wimpMass <= 1e5)) {
            throw new UsageException("--wimp-mass must be between 1 and 100000 GeV, got " + wimpMass);
        }
        OutputGuard.checkResult(out, OutputGuard.Kind.RESULT_DIRECTORY, List.of());
        Path backgroundFile = out.resolve("background.npy");
        Path signalFile = out.resolve("signal.npy");
        Path card = out.resolve("data-card.json");
        for (Path file : List.of(backgroundFile, signalFile, card)) {
            if (Files.exists(file) && !force) {
                throw new UsageException(file + " exists: give --force to replace it, or another --out");
            }
        }
        WimpSpectrum spectrum;
        try {
            spectrum = new WimpSpectrum(wimpMass, NR_MIN_KEV, NR_MAX_KEV);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + out + ": " + e.getMessage(), e);
        }
        TpcSimulation simulation = new TpcSimulation(TpcDetector.XENON1T);
        TpcImage image = new TpcImage(simulation);
        long start = System.nanoTime();
        long backgroundDrawn = write(backgroundFile, background, TpcSample.electronRecoils(simulation, ER_MIN_KEV, ER_MAX_KEV),
                seed * 2 + 1, image);
        long signalDrawn = write(signalFile, signal, TpcSample.wimpRecoils(simulation, spectrum), seed * 2 + 2, image);
        Json.write(card, dataCard(simulation.detector(), spectrum, backgroundDrawn, signalDrawn));
        spec.commandLine().getOut().printf("simulated %d background and %d signal events (of %d and %d drawn) in %.1f s; wrote %s, %s and %s%n",
                background, signal, backgroundDrawn, signalDrawn, (System.nanoTime() - start) / 1e9, backgroundFile, signalFile, card);
        return 0;
    }

    private static long write(Path file, int events, TpcSample sample, long seed, TpcImage image) {
        long drawn;
        try (NpyWriter writer = new NpyWriter(file, events, TpcImage.SIZE, TpcImage.SIZE, TpcImage.CHANNELS)) {
            drawn = sample.draw(events, seed, event -> writer.write(image.render(event)));
            writer.commit();
        }
        // the layout, for readers that cannot tell it from the shape (ImageSample reads this sidecar)
        org.darkscope.io.AtomicFile.write(org.darkscope.io.ImageSample.sidecarOf(file),
                "{\"layout\": \"NHWC\"}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return drawn;
    }

    private ObjectNode dataCard(TpcDetector detector, WimpSpectrum spectrum, long backgroundDrawn, long signalDrawn) {
        ObjectNode root = Json.object();
        root.put("darkscope_version", DarkscopeVersion.get());
        root.put("what", "simulated detector images of a dual-phase xenon TPC with XENON1T's published geometry and response; "
                + "no claim of XENON1T fidelity beyond what these parameters give (see 'simplified')");
        root.put("seed", seed);
        ObjectNode images = root.putObject("images");
        images.putArray("shape").add("N").add(TpcImage.SIZE).add(TpcImage.SIZE).add(TpcImage.CHANNELS);
        images.put("dtype", "float32");
        images.put("layout", "NHWC (events, rows, columns, channels), C order");
        images.put("unit", "photoelectrons (PE) per pixel; each PMT a disc of pixels sharing its PE equally, so a channel's sum is its array's area");
        images.put("pixel_cm", 2 * detector.radiusCm() / TpcImage.SIZE);
        images.put("orientation", "the TPC's diameter across, row 0 at +y (north), column 0 at -x");
        ArrayNode channels = images.putArray("channels");
        channels.addObject().put("index", TpcImage.S2_TOP).put("name", "s2_top")
                .put("what", "S2 on the top array, corrected for the electrons lost in the drift (cS2: S2 exp(t / lifetime))")
                .put("why", "where the electrons came up (x, y); the pattern's width grows with the drift (diffusion)");
        channels.addObject().put("index", TpcImage.S1_BOTTOM).put("name", "s1_bottom")
                .put("what", "S1 on the bottom array").put("why", "most S1 light reaches the bottom array; with channel 2 the S1 area");
        channels.addObject().put("index", TpcImage.S1_TOP).put("name", "s1_top")
                .put("what", "S1 on the top array").put("why", "the top-bottom share and the patterns' widths tell the depth");
        images.put("s1", "sum of channels 1 and 2");
        images.put("s2", "sum of channel 0 (the top array's corrected S2)");
        ObjectNode selection = root.putObject("selection");
        selection.put("s1_min_pe", TpcSimulation.S1_MIN_PE).put("s1_max_pe", TpcSimulation.S1_MAX_PE)
                .put("s2_min_pe", TpcSimulation.S2_MIN_PE).put("s1_coincidence_pmts", TpcSimulation.S1_COINCIDENCE)
                .put("source", "XENON1T's 1 tonne-year search region (XENON, PRL 121 (2018) 111302)");
        ObjectNode samples = root.putObject("samples");
        ObjectNode bkg = samples.putObject("background");
        bkg.put("file", "background.npy").put("events", background).put("drawn", backgroundDrawn)
                .put("recoil", "electron").put("spectrum", "flat").put("min_kev", ER_MIN_KEV).put("max_kev", ER_MAX_KEV)
                .put("rate_per_tonne_year_kev", ER_RATE_PER_TONNE_YEAR_KEV)
                .put("rate_source", "XENON1T's electron-recoil background, XENON, PRL 121 (2018) 111302")
                .put("selected_per_tonne_year", ER_RATE_PER_TONNE_YEAR_KEV * (ER_MAX_KEV - ER_MIN_KEV) * background / backgroundDrawn);
        ObjectNode sig = samples.putObject("signal");
        sig.put("file", "signal.npy").put("events", signal).put("drawn", signalDrawn).put("recoil", "nuclear")
                .put("spectrum", "spin-independent WIMP-nucleus scattering, standard halo model (Lewin and Smith 1996), Helm form factor")
                .put("wimp_mass_gev", wimpMass).put("min_kev", spectrum.minKeV()).put("max_kev", spectrum.maxKeV())
                .put("halo", WimpSpectrum.HALO)
                .put("reference_cross_section_cm2", REFERENCE_CROSS_SECTION_CM2)
                .put("rate_per_tonne_year", spectrum.totalRate(REFERENCE_CROSS_SECTION_CM2))
                .put("selected_per_tonne_year", spectrum.totalRate(REFERENCE_CROSS_SECTION_CM2) * signal / signalDrawn);
        ArrayNode parameters = root.putArray("detector");
        for (TpcDetector.Parameter p : detector.parameters()) {
            parameters.addObject().put("name", p.name()).put("value", p.value()).put("unit", p.unit()).put("source", p.source());
        }
        ObjectNode yields = root.putObject("yields");
        yields.put("model", RecoilYields.MODEL);
        yields.put("nuclear_recoils", RecoilYields.NUCLEAR_MODEL);
        yields.put("electron_recoils", RecoilYields.ELECTRON_MODEL);
        root.putArray("simplified")
                .add("one xenon isotope (A = 131) for the WIMP spectrum")
                .add("the PMT layouts' structure and counts are XENON1T's (top: concentric rings, bottom: hexagonal), their radii approximate ("
                        + PmtArray.TOP_COUNT + " top, " + PmtArray.BOTTOM_COUNT + " bottom)")
                .add("light shared among PMTs by solid angle from a point (no reflections, no PMT angular response); "
                        + "diffusion widens the S2 source by adding sigma^2 to the height squared")
                .add("S1 detection efficiency uniform; the S1 bottom fraction linear in depth")
                .add("events uniform in a cylindrical fiducial volume, no surface or wall backgrounds, no accidental coincidences")
                .add("no recombination fluctuations beyond binomial: the bands are narrower than measured")
                .add("no waveforms, no S1 or S2 timing, no position reconstruction; the images are the PMTs' areas");
        return root;
    }
}
