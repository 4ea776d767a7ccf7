package org.darkscope.event;

/**
 * A reconstructed object as written in the event record: its type and its four-momentum given as
 * energy, transverse momentum, pseudorapidity and azimuth. Energies and momenta in MeV.
 */
public record PhysicsObject(ObjectType type, double e, double pt, double eta, double phi) {

    public double px() {
        return pt * Math.cos(phi);
    }

    public double py() {
        return pt * Math.sin(phi);
    }

    public double pz() {
        return pt * Math.sinh(eta);
    }

    /** |p| = pT cosh(eta). */
    public double p() {
        return pt * Math.cosh(eta);
    }

    /** Invariant mass sqrt(E^2 - p^2), in MeV; 0 where resolution makes E^2 - p^2 negative. */
    public double mass() {
        return Kinematics.mass(e, px(), py(), pz());
    }
}
