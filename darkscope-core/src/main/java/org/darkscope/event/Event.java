package org.darkscope.event;

import java.util.List;

/**
 * One collision event in the Dark Machines format: identifiers, the event weight, missing
 * transverse energy and the reconstructed objects ordered by decreasing pT. Energies in MeV.
 *
 * @param eventId   the event ID as written in the file
 * @param processId the process that produced the event (truth; a search never reads it)
 * @param weight    cross-section per generated event in pb, as defined by the challenge
 * @param met       missing transverse energy in MeV
 * @param metPhi    azimuth of the missing transverse momentum
 * @param objects   reconstructed objects, ordered by decreasing pT
 */
public record Event(String eventId, String processId, double weight, double met, double metPhi,
                    List<PhysicsObject> objects) {

    public Event {
        objects = List.copyOf(objects);
    }

    /** HT: scalar sum of the pT of every jet and b-jet in the event record, in MeV. */
    public double ht() {
        double ht = 0;
        for (PhysicsObject o : objects) {
            if (o.type().isJet()) {
                ht += o.pt();
            }
        }
        return ht;
    }

    /** x component of the missing transverse momentum, in MeV. */
    public double metX() {
        return met * Math.cos(metPhi);
    }

    /** y component of the missing transverse momentum, in MeV. */
    public double metY() {
        return met * Math.sin(metPhi);
    }

    /** Number of objects of the given type. */
    public int count(ObjectType type) {
        int n = 0;
        for (PhysicsObject o : objects) {
            if (o.type() == type) {
                n++;
            }
        }
        return n;
    }

    /** Number of jets (j and b) with pT above {@code minPt} (MeV). */
    public int countJets(double minPt) {
        int n = 0;
        for (PhysicsObject o : objects) {
            if (o.type().isJet() && o.pt() > minPt) {
                n++;
            }
        }
        return n;
    }

    /** Number of light leptons (e, mu of either charge) with pT above {@code minPt} (MeV). */
    public int countLeptons(double minPt) {
        int n = 0;
        for (PhysicsObject o : objects) {
            if (o.type().isLepton() && o.pt() > minPt) {
                n++;
            }
        }
        return n;
    }

    /** Jets and b-jets, in pT order. */
    public List<PhysicsObject> jets() {
        return objects.stream().filter(o -> o.type().isJet()).toList();
    }

    /** Light leptons, in pT order. */
    public List<PhysicsObject> leptons() {
        return objects.stream().filter(o -> o.type().isLepton()).toList();
    }

    /** Missing transverse energy in GeV. */
    public double metGev() {
        return Units.gev(met);
    }

    /** HT in GeV. */
    public double htGev() {
        return Units.gev(ht());
    }
}
