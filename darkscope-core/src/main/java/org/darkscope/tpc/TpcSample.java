package org.darkscope.tpc;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Draws selected events of one kind: recoils of an energy spectrum, uniformly in the fiducial
 * volume, kept when they pass {@link TpcSimulation#selected}. The random sequence is the
 * sample's own (seeded), so the first N events of a sample do not depend on how many are asked for
 * or on the other sample.
 */
public final class TpcSample {
    private final TpcSimulation simulation;
    private final RecoilYields.Recoil recoil;
    private final ToDoubleFunction<SplittableRandom> energy;

    public TpcSample(TpcSimulation simulation, RecoilYields.Recoil recoil, ToDoubleFunction<SplittableRandom> energy) {
        this.simulation = simulation;
        this.recoil = recoil;
        this.energy = energy;
    }

    /** Electron recoils with a flat energy spectrum between {@code minKeV} and {@code maxKeV}: the background. */
    public static TpcSample electronRecoils(TpcSimulation simulation, double minKeV, double maxKeV) {
        return new TpcSample(simulation, RecoilYields.Recoil.ELECTRON, r -> minKeV + (maxKeV - minKeV) * r.nextDouble());
    }

    /** Nuclear recoils of a WIMP spectrum: the signal. */
    public static TpcSample wimpRecoils(TpcSimulation simulation, WimpSpectrum spectrum) {
        return new TpcSample(simulation, RecoilYields.Recoil.NUCLEAR, spectrum::draw);
    }

    /** Simulates until {@code events} pass the selection, handing each to {@code sink}; returns the number drawn. */
    public long draw(int events, long seed, Consumer<TpcEvent> sink) {
        SplittableRandom random = new SplittableRandom(seed);
        long drawn = 0;
        int kept = 0;
        while (kept < events) {
            TpcEvent event = simulation.simulate(recoil, energy.applyAsDouble(random), random);
            drawn++;
            if (TpcSimulation.selected(event)) {
                sink.accept(event);
                kept++;
            }
        }
        return drawn;
    }
}
