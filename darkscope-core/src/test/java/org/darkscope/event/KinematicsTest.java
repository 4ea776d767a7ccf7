package org.darkscope.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class KinematicsTest {
    @Test
    void momentumComponentsAndMassOfAMassiveObject() {
        // A 91.1876 GeV Z boson with pT 40 GeV at eta 1.2, phi 0.7: E = sqrt(m^2 + pT^2 cosh^2 eta).
        double m = 91187.6;
        double pt = 40000;
        double eta = 1.2;
        double e = Math.sqrt(m * m + Math.pow(pt * Math.cosh(eta), 2));
        PhysicsObject z = new PhysicsObject(ObjectType.JET, e, pt, eta, 0.7);
        assertEquals(pt * Math.cos(0.7), z.px(), 1e-9);
        assertEquals(pt * Math.sin(0.7), z.py(), 1e-9);
        assertEquals(pt * Math.sinh(eta), z.pz(), 1e-9);
        assertEquals(m, z.mass(), 1e-6);
    }

    @Test
    void invariantMassOfBackToBackMasslessPairIsTwiceTheEnergy() {
        PhysicsObject a = new PhysicsObject(ObjectType.ELECTRON, 45000, 45000, 0, 0.3);
        PhysicsObject b = new PhysicsObject(ObjectType.POSITRON, 45000, 45000, 0, 0.3 + Math.PI);
        assertEquals(90000, Kinematics.invariantMass(List.of(a, b)), 1e-6);
        // Massless pair: m^2 = 2 pT1 pT2 (cosh deta - cos dphi).
        PhysicsObject c = new PhysicsObject(ObjectType.MUON, 30000 * Math.cosh(0.5), 30000, 0.5, 1.0);
        PhysicsObject d = new PhysicsObject(ObjectType.ANTIMUON, 20000 * Math.cosh(-1.0), 20000, -1.0, -2.0);
        double expected = Math.sqrt(2 * 30000 * 20000 * (Math.cosh(1.5) - Math.cos(3.0)));
        assertEquals(expected, Kinematics.invariantMass(List.of(c, d)), 1e-6);
    }

    @Test
    void deltaPhiWrapsAndDeltaRCombines() {
        assertEquals(-0.2, Kinematics.deltaPhi(Math.PI - 0.1, -Math.PI + 0.1), 1e-12);
        assertEquals(0.2, Kinematics.deltaPhi(-Math.PI + 0.1, Math.PI - 0.1), 1e-12);
        PhysicsObject a = new PhysicsObject(ObjectType.JET, 1, 1, 0.3, 3.0);
        PhysicsObject b = new PhysicsObject(ObjectType.JET, 1, 1, -0.1, -3.0);
        assertEquals(Math.hypot(0.4, 2 * Math.PI - 6.0), Kinematics.deltaR(a, b), 1e-12);
    }

    @Test
    void htSumsJetsAndBJetsOnlyAndCountsByType() {
        Event e = new Event("1", "t", 1, 250000, 1.0, List.of(
                new PhysicsObject(ObjectType.JET, 1, 300000, 0, 0),
                new PhysicsObject(ObjectType.MUON, 1, 200000, 0, 0),
                new PhysicsObject(ObjectType.BJET, 1, 100000, 0, 0),
                new PhysicsObject(ObjectType.PHOTON, 1, 50000, 0, 0)));
        assertEquals(400.0, e.htGev(), 1e-12);
        assertEquals(250.0, e.metGev(), 1e-12);
        assertEquals(1, e.count(ObjectType.BJET));
        assertEquals(2, e.jets().size());
        assertEquals(1, e.leptons().size());
        assertEquals(250000 * Math.cos(1.0), e.metX(), 1e-9);
    }
}
