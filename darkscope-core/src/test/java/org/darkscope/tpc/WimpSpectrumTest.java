package org.darkscope.tpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The halo's closed form against a Monte Carlo of the same halo, and the recoil spectrum's sampling against its own integral. */
class WimpSpectrumTest {
    private static double gaussian(SplittableRandom r) {
        return Counts.gaussian(r);
    }

    /** eta(v_min) = mean of 1/v over WIMPs with v > v_min: velocities Maxwellian (dispersion v0/sqrt 2) below v_esc in the galaxy, seen from the moving Earth. */
    @Test
    void etaAgreesWithAMonteCarloOfTheTruncatedBoostedMaxwellian() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 2_000_000;
        double[] vmins = {0, 150, 300, 500, 700};
        double[] sums = new double[vmins.length];
        int kept = 0;
        double sigma = WimpSpectrum.V0_KM_S / Math.sqrt(2);
        while (kept < n) {
            double vx = sigma * gaussian(r);
            double vy = sigma * gaussian(r);
            double vz = sigma * gaussian(r);
            if (vx * vx + vy * vy + vz * vz >= WimpSpectrum.VESC_KM_S * WimpSpectrum.VESC_KM_S) {
                continue;
            }
            kept++;
            double v = Math.sqrt(vx * vx + vy * vy + (vz - WimpSpectrum.VE_KM_S) * (vz - WimpSpectrum.VE_KM_S));
            for (int i = 0; i < vmins.length; i++) {
                if (v > vmins[i]) {
                    sums[i] += 1 / v;
                }
            }
        }
        for (int i = 0; i < vmins.length; i++) {
            double mc = sums[i] / n;
            assertEquals(mc, WimpSpectrum.eta(vmins[i]), 0.002 * mc + 2e-7, "v_min = " + vmins[i]);
        }
        assertEquals(0, WimpSpectrum.eta(WimpSpectrum.VESC_KM_S + WimpSpectrum.VE_KM_S + 1));
    }

    @Test
    void helmIsOneAtZeroMomentumAndFalls() {
        assertEquals(1, WimpSpectrum.helm2(1e-12), 1e-9);
        assertTrue(WimpSpectrum.helm2(10) < 1 && WimpSpectrum.helm2(50) < WimpSpectrum.helm2(10));
    }

    @Test
    void drawnEnergiesFollowTheSpectrum() {
        WimpSpectrum spectrum = new WimpSpectrum(500, 1, 100);
        // the spectrum's mean energy by direct integration, 0.01 keV steps
        double weight = 0;
        double moment = 0;
        for (double e = 1.005; e < 100; e += 0.01) {
            weight += spectrum.rate(e, 1e-45);
            moment += e * spectrum.rate(e, 1e-45);
        }
        SplittableRandom r = new SplittableRandom(5);
        int n = 200_000;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = spectrum.draw(r);
            assertTrue(e >= 1 && e <= 100);
            sum += e;
        }
        assertEquals(moment / weight, sum / n, 0.1);
        assertEquals(weight * 0.01, spectrum.totalRate(1e-45), 1e-3 * weight * 0.01);
        // heavier WIMPs reach higher energies
        assertTrue(new WimpSpectrum(50, 1, 200).maxKeV() < new WimpSpectrum(500, 1, 200).maxKeV());
    }
}
