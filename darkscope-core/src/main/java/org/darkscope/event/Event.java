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

    /**
     * A 64-bit hash of the event's physics content (MET, its azimuth, every object's type and
     * four-momentum), not of its IDs or weight: the same event has the same fingerprint in any
     * file, so that a test sample holding training events can be recognised. Two different
     * events share one with probability about 2^-64.
     */
    public long fingerprint() {
        long h = mix(Double.doubleToLongBits(met)) ^ 0x9e3779b97f4a7c15L;
        h = mix(h + Double.doubleToLongBits(metPhi));
        for (PhysicsObject o : objects) {
            h = mix(h + o.type().ordinal());
            h = mix(h + Double.doubleToLongBits(o.e()));
            h = mix(h + Double.doubleToLongBits(o.pt()));
            h = mix(h + Double.doubleToLongBits(o.eta()));
            h = mix(h + Double.doubleToLongBits(o.phi()));
        }
        return h;
    }

    /** The finaliser of MurmurHash3 (Appleby), a bijection on 64 bits that spreads every input bit over the output. */
    public static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
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
