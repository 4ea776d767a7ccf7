package org.darkscope.tpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The PMT arrays and the images made of them. */
class TpcImageTest {
    @Test
    void xenon1tsArraysHold127And121PmtsThatDoNotOverlap() {
        for (PmtArray array : new PmtArray[] {PmtArray.top(), PmtArray.bottom()}) {
            for (int i = 0; i < array.size(); i++) {
                assertTrue(Math.hypot(array.x(i), array.y(i)) + TpcDetector.XENON1T.pmtDiameterCm() / 2 < 51, "PMT " + i);
                for (int j = 0; j < i; j++) {
                    double d = Math.hypot(array.x(i) - array.x(j), array.y(i) - array.y(j));
                    assertTrue(d >= TpcDetector.XENON1T.pmtDiameterCm(), "PMTs " + i + " and " + j + " " + d + " cm apart");
                }
            }
        }
        assertEquals(127, PmtArray.top().size());
        assertEquals(121, PmtArray.bottom().size());
    }

    @Test
    void eachChannelSumsToItsArraysAreaAndTheLightIsWhereTheEventIs() {
        TpcSimulation simulation = new TpcSimulation(TpcDetector.XENON1T);
        TpcImage image = new TpcImage(simulation);
        SplittableRandom random = new SplittableRandom(11);
        TpcEvent e = simulation.simulate(RecoilYields.Recoil.ELECTRON, 8, 25, 15, 20, random);
        float[] pixels = image.render(e);
        assertEquals(TpcImage.SIZE * TpcImage.SIZE * TpcImage.CHANNELS, pixels.length);
        double s1Bottom = java.util.Arrays.stream(e.s1Bottom()).sum();
        assertEquals(s1Bottom, TpcImage.channelSum(pixels, TpcImage.S1_BOTTOM), 1e-4 * s1Bottom);
        assertEquals(e.s1() - s1Bottom, TpcImage.channelSum(pixels, TpcImage.S1_TOP), 1e-4 * e.s1());
        assertEquals(e.s2TopArea() * e.s2Correction(), TpcImage.channelSum(pixels, TpcImage.S2_TOP), 1e-4 * e.s2TopArea() * e.s2Correction());
        // the brightest S2 pixel lies within a PMT's pitch of (25, 15) cm: column (25 + 48) / 1.28, row (48 - 15) / 1.28
        int brightest = 0;
        for (int p = 0; p < TpcImage.SIZE * TpcImage.SIZE; p++) {
            if (pixels[p * 3] > pixels[brightest * 3]) {
                brightest = p;
            }
        }
        double x = -48 + (brightest % TpcImage.SIZE + 0.5) * 1.28;
        double y = 48 - (brightest / TpcImage.SIZE + 0.5) * 1.28;
        assertTrue(Math.hypot(x - 25, y - 15) < 8, "brightest S2 pixel at " + x + ", " + y);
    }

    @Test
    void deeperEventsSendMoreS1ToTheBottom() {
        TpcSimulation simulation = new TpcSimulation(TpcDetector.XENON1T);
        SplittableRandom random = new SplittableRandom(2);
        double deep = 0;
        double shallow = 0;
        for (int i = 0; i < 2_000; i++) {
            TpcEvent d = simulation.simulate(RecoilYields.Recoil.ELECTRON, 10, 0, 0, 10, random);
            TpcEvent s = simulation.simulate(RecoilYields.Recoil.ELECTRON, 10, 0, 0, 85, random);
            deep += java.util.Arrays.stream(d.s1Bottom()).sum() / d.s1();
            shallow += java.util.Arrays.stream(s.s1Bottom()).sum() / s.s1();
        }
        assertEquals(TpcDetector.XENON1T.s1BottomFraction(10), deep / 2_000, 0.01);
        assertEquals(TpcDetector.XENON1T.s1BottomFraction(85), shallow / 2_000, 0.01);
    }
}
