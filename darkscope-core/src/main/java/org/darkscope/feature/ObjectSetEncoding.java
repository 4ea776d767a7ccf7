package org.darkscope.feature;

import java.util.ArrayList;
import java.util.List;
import org.darkscope.event.Event;
import org.darkscope.event.Kinematics;
import org.darkscope.event.ObjectType;
import org.darkscope.event.PhysicsObject;

/**
 * {@code object-set}: the event as a set of up to {@value #ROWS} rows, one for MET and one for
 * each of the leading objects, for permutation-invariant networks (Deep Sets, M. Zaheer et al.,
 * NeurIPS 2017): the rows are not ordered by anything the network may rely on, and a set network
 * gives the same output for any order. Each row holds {@value #FEATURES} numbers: a presence
 * flag (0 for padding), (log(1 + pT/GeV) - 4), (log(1 + E/GeV) - 4), eta / 2.5 and phi / pi measured
 * as in {@link ConvEncoding}'s symmetric variant (from the leading object, signs fixed by it and
 * by MET), and a one-hot object type (MET, jet, b-jet, electron, muon, photon). The scales are
 * fixed, not fitted: a standardiser fitted per position would treat the same object differently
 * in different rows.
 */
public final class ObjectSetEncoding implements Encoding {
    public static final String NAME = "object-set";
    /** MET and the 15 leading objects. */
    public static final int ROWS = 16;
    public static final int FEATURES = 11;
    private static final double LOG_CENTRE = 4.0;
    private static final double ETA_SCALE = 2.5;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int[] shape() {
        return new int[] {ROWS, FEATURES};
    }

    @Override
    public boolean standardized() {
        return false;
    }

    @Override
    public List<String> featureNames() {
        List<String> names = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            String row = r == 0 ? "met_" : "object" + r + "_";
            for (String f : new String[] {"present", "log_pt", "log_e", "eta_rel", "dphi_leading", "is_met", "is_jet", "is_bjet",
                    "is_electron", "is_muon", "is_photon"}) {
                names.add(row + f);
            }
        }
        return names;
    }

    @Override
    public void encode(Event event, float[] out, int offset) {
        java.util.Arrays.fill(out, offset, offset + ROWS * FEATURES, 0f);
        List<PhysicsObject> objects = event.objects();
        double phi0 = objects.isEmpty() ? event.metPhi() : objects.get(0).phi();
        double etaSign = !objects.isEmpty() && objects.get(0).eta() < 0 ? -1 : 1;
        double phiSign = Kinematics.deltaPhi(event.metPhi(), phi0) < 0 ? -1 : 1;
        row(out, offset, 1 + 0, event.met(), event.met(), 0, phiSign * Kinematics.deltaPhi(event.metPhi(), phi0));
        int n = Math.min(objects.size(), ROWS - 1);
        for (int i = 0; i < n; i++) {
            PhysicsObject o = objects.get(i);
            int base = offset + (i + 1) * FEATURES;
            row(out, base, 1 + typeColumn(o.type()), o.pt(), o.e(), etaSign * o.eta(), phiSign * Kinematics.deltaPhi(o.phi(), phi0));
        }
    }

    private static void row(float[] out, int base, int typeColumn, double pt, double e, double eta, double phi) {
        out[base] = 1f;
        out[base + 1] = (float) (Features.logGev(pt) - LOG_CENTRE);
        out[base + 2] = (float) (Features.logGev(e) - LOG_CENTRE);
        out[base + 3] = (float) (eta / ETA_SCALE);
        out[base + 4] = (float) (phi / Math.PI);
        out[base + 4 + typeColumn] = 1f;
    }

    /** 1 jet, 2 b-jet, 3 electron, 4 muon, 5 photon (0 is MET). */
    private static int typeColumn(ObjectType type) {
        if (type == ObjectType.BJET) {
            return 2;
        }
        if (type.isJet()) {
            return 1;
        }
        if (type.isElectron()) {
            return 3;
        }
        return type.isMuon() ? 4 : 5;
    }
}
