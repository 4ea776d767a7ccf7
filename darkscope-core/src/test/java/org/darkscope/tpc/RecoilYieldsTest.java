package org.darkscope.tpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The yields against their formulas, worked out here by hand, and the simulation's mean S1 and S2 against the yields. */
class RecoilYieldsTest {
    private final TpcDetector xe = TpcDetector.XENON1T;
    private final RecoilYields yields = new RecoilYields(xe);

    @Test
    void lindhardQuenchingAtTenKeV() {
        // epsilon = 11.5 * 10 * 54^(-7/3); g = 3 eps^0.15 + 0.7 eps^0.6 + eps; L = k g / (1 + k g), k = 0.1735
        double eps = 115 / Math.exp(7.0 / 3 * Math.log(54));
        double g = 3 * Math.exp(0.15 * Math.log(eps)) + 0.7 * Math.exp(0.6 * Math.log(eps)) + eps;
        assertEquals(0.1735 * g / (1 + 0.1735 * g), RecoilYields.lindhard(10), 1e-12);
        assertEquals(0.214, RecoilYields.lindhard(10), 5e-4); // the global fit's L at 10 keV, about 0.21
    }

    @Test
    void electronRecoilsTurnEveryQuantumIntoAPhotonOrAnElectron() {
        for (double kev : new double[] {1, 5, 12}) {
            RecoilYields.Quanta q = yields.mean(RecoilYields.Recoil.ELECTRON, kev);
            assertEquals(kev * 1000 / 13.7, q.photons() + q.electrons(), 1e-9);
            // Thomas-Imel: N_i = N / 1.06, xi = N_i 0.011 / 4, electrons = N_i ln(1 + xi) / xi
            double ions = kev * 1000 / 13.7 / 1.06;
            double xi = ions * 0.011 / 4;
            assertEquals(ions * Math.log(1 + xi) / xi, q.electrons(), 1e-9);
        }
    }

    @Test
    void nuclearRecoilsLoseQuantaToQuenchingAndHaveTheSmallerChargeToLightRatioAtTheSameS1() {
        RecoilYields.Quanta nr = yields.mean(RecoilYields.Recoil.NUCLEAR, 20);
        assertTrue(nr.photons() + nr.electrons() < 20 * 1000 * RecoilYields.lindhard(20) / 13.7);
        // an electron recoil of the same photons: more electrons per photon (the basis of S2/S1 discrimination)
        double kev = 1;
        while (yields.mean(RecoilYields.Recoil.ELECTRON, kev).photons() < nr.photons()) {
            kev += 0.01;
        }
        RecoilYields.Quanta er = yields.mean(RecoilYields.Recoil.ELECTRON, kev);
        double separation = Math.log10(er.electrons() / er.photons()) - Math.log10(nr.electrons() / nr.photons());
        assertTrue(separation > 0.3 && separation < 0.5, "log10(S2/S1) of ER above NR by " + separation);
    }

    /** Mean S1 = photons x detection efficiency x (1 + double-PE); mean corrected S2 = electrons x extraction x gain. */
    @Test
    void theSimulationsMeanS1AndS2FollowTheYields() {
        TpcSimulation simulation = new TpcSimulation(xe);
        SplittableRandom random = new SplittableRandom(7);
        for (RecoilYields.Recoil recoil : RecoilYields.Recoil.values()) {
            double kev = recoil == RecoilYields.Recoil.ELECTRON ? 5 : 20;
            int n = 20_000;
            double s1 = 0;
            double s1Squares = 0;
            double s2 = 0;
            double s2Squares = 0;
            for (int i = 0; i < n; i++) {
                TpcEvent e = simulation.simulate(recoil, kev, 10, -20, 30, random);
                double corrected = e.s2() * e.s2Correction();
                s1 += e.s1();
                s1Squares += e.s1() * e.s1();
                s2 += corrected;
                s2Squares += corrected * corrected;
            }
            RecoilYields.Quanta q = yields.mean(recoil, kev);
            double expectedS1 = q.photons() * xe.photonDetectionEfficiency() * (1 + xe.doublePeProbability());
            double expectedS2 = q.electrons() * xe.extractionEfficiency() * xe.singleElectronGainPe();
            double s1Error = Math.sqrt((s1Squares / n - s1 * s1 / n / n) / n);
            double s2Error = Math.sqrt((s2Squares / n - s2 * s2 / n / n) / n);
            // 4 standard errors, plus 0.5 % for the recombination's curvature (r taken at the mean ion count in the formula)
            assertEquals(expectedS1, s1 / n, 4 * s1Error + 0.005 * expectedS1, recoil + " S1");
            assertEquals(expectedS2, s2 / n, 4 * s2Error + 0.005 * expectedS2, recoil + " S2");
        }
    }
}
