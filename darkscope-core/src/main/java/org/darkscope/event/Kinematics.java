package org.darkscope.event;

import java.util.Collection;

/** Collider kinematics shared by events, selections and encoders. */
public final class Kinematics {
    private Kinematics() {
    }

    /** Azimuthal difference wrapped into [-pi, pi]. */
    public static double deltaPhi(double phi1, double phi2) {
        return Math.IEEEremainder(phi1 - phi2, 2 * Math.PI);
    }

    /** Angular distance Delta R = sqrt(Delta eta^2 + Delta phi^2). */
    public static double deltaR(PhysicsObject a, PhysicsObject b) {
        double deta = a.eta() - b.eta();
        double dphi = deltaPhi(a.phi(), b.phi());
        return Math.sqrt(deta * deta + dphi * dphi);
    }

    /**
     * The smallest |Delta phi| between the missing transverse momentum and any of the
     * {@code jets} leading jets (j or b) of {@code event}; pi where the event has no jet.
     * Small values mark MET from a mismeasured jet (ATLAS and CMS jets+MET searches cut on it,
     * e.g. ATLAS, JHEP 02 (2021) 143, arXiv:2010.14293).
     */
    public static double minDeltaPhiJetsMet(Event event, int jets) {
        double min = Math.PI;
        int seen = 0;
        for (PhysicsObject o : event.objects()) {
            if (o.type().isJet()) {
                min = Math.min(min, Math.abs(deltaPhi(o.phi(), event.metPhi())));
                if (++seen == jets) {
                    break;
                }
            }
        }
        return min;
    }

    /** Invariant mass of the summed four-momenta of {@code objects}, in MeV. */
    public static double invariantMass(Collection<PhysicsObject> objects) {
        double e = 0;
        double px = 0;
        double py = 0;
        double pz = 0;
        for (PhysicsObject o : objects) {
            e += o.e();
            px += o.px();
            py += o.py();
            pz += o.pz();
        }
        return mass(e, px, py, pz);
    }

    /** sqrt(E^2 - |p|^2), clamped at zero for slightly space-like (mismeasured) momenta. */
    public static double mass(double e, double px, double py, double pz) {
        double m2 = e * e - px * px - py * py - pz * pz;
        return m2 > 0 ? Math.sqrt(m2) : 0.0;
    }
}
