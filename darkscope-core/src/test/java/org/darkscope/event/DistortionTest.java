package org.darkscope.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each distortion of the signal-agnostic protocol does what its description says, and only that. */
class DistortionTest {
    private static final Event EVENT = new Event("7", "ttbar", 0.1, 300_000, 0.5, List.of(
            new PhysicsObject(ObjectType.JET, 500_000, 400_000, 0.1, 1.0),
            new PhysicsObject(ObjectType.MUON, 120_000, 100_000, -0.5, 2.0),
            new PhysicsObject(ObjectType.BJET, 90_000, 80_000, 1.5, -1.0)));

    @Test
    void metScaleAndJetScaleScaleOnlyWhatTheySay() {
        Event met = Distortion.MET_SCALE.apply(EVENT, new SplittableRandom(1));
        assertEquals(450_000, met.met(), 1e-9);
        assertEquals(EVENT.metPhi(), met.metPhi());
        assertEquals(EVENT.objects(), met.objects());
        Event jets = Distortion.JET_SCALE.apply(EVENT, new SplittableRandom(1));
        assertEquals(1.2 * EVENT.ht(), jets.ht(), 1e-6);
        assertEquals(EVENT.objects().get(1), jets.objects().get(1)); // the muon untouched
        assertEquals(EVENT.met(), jets.met());
    }

    @Test
    void addedObjectsAndInvisibleMomentumLieInTheirStatedRanges() {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 200; i++) {
            Event jet = Distortion.EXTRA_JET.apply(EVENT, random);
            assertEquals(4, jet.objects().size());
            assertEquals(3, jet.jets().size());
            double added = jet.ht() - EVENT.ht();
            assertTrue(added >= 100_000 && added <= 400_000, "added jet pT " + added);
            for (int k = 1; k < jet.objects().size(); k++) {
                assertTrue(jet.objects().get(k - 1).pt() >= jet.objects().get(k).pt(), "objects stay in pT order");
            }
            Event lepton = Distortion.EXTRA_LEPTON.apply(EVENT, random);
            assertEquals(2, lepton.leptons().size());
            PhysicsObject l = lepton.leptons().stream().filter(o -> !EVENT.objects().contains(o)).findFirst().orElseThrow();
            assertTrue(l.pt() >= 30_000 && l.pt() <= 200_000 && Math.abs(l.eta()) <= 2.5);
            assertEquals(l.pt() * Math.cosh(l.eta()), l.e(), 1e-6 * l.e());
            Event invisible = Distortion.INVISIBLE.apply(EVENT, random);
            double dx = invisible.metX() - EVENT.metX();
            double dy = invisible.metY() - EVENT.metY();
            double pt = Math.hypot(dx, dy);
            assertTrue(pt >= 100_000 - 1e-6 && pt <= 400_000 + 1e-6, "invisible pT " + pt);
            assertEquals(EVENT.objects(), invisible.objects());
        }
    }

    @Test
    void sameSeedSameDistortion() {
        for (Distortion d : Distortion.values()) {
            assertEquals(d.apply(EVENT, new SplittableRandom(9)), d.apply(EVENT, new SplittableRandom(9)), d.cliName());
        }
    }
}
