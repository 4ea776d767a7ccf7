package org.darkscope.feature;

import java.util.ArrayList;
import java.util.List;
import org.darkscope.event.Event;
import org.darkscope.event.Kinematics;
import org.darkscope.event.PhysicsObject;

/**
 * The 1x14x4 event image of the convolutional VAE (talk "Artificial Intelligence and Dark
 * Matter"): 14 rows of (E, pT, eta, phi), the first row the missing energy (E = pT = MET, eta = 0,
 * phi = MET phi), then the 13 leading objects of any type in pT order; energies as
 * log(1+x/GeV), absent objects zero. Keras wrote it height x width x channels = 1 x 14 x 4; it is
 * stored channels-first, shape [4, 1, 14], the layout of Deep Java Library and PyTorch.
 *
 * <p>The <em>symmetric</em> variants ({@value #SYMMETRIC_NAME}, {@value #SYMMETRIC_FLAT_NAME})
 * remove what the physics does not depend on. Proton-proton collisions are invariant under a
 * rotation about the beam (a global shift of every phi) and under the reflections eta to -eta
 * (the beams are alike) and phi to -phi; in the raw image 26 of the 56 numbers spend a network's
 * capacity on learning that. Here every phi is measured from the leading object's, eta's sign is
 * the one that makes the leading object's eta non-negative, and phi's sign the one that puts MET at
 * a phi in [0, pi]. The leading object's row then reads (E, pT, |eta|, 0) and the MET row
 * (MET, MET, 0, |Delta phi(MET, leading object)|). Two events that differ by one of those
 * symmetries encode to the same numbers.
 */
public final class ConvEncoding implements Encoding {
    public static final String NAME = "conv-14x4";
    /** The same 56 features as a flat vector, for dense detectors. */
    public static final String FLAT_NAME = "kinematic-56";
    /** The image with the symmetries removed. */
    public static final String SYMMETRIC_NAME = "conv-14x4-sym";
    /** The flat vector with the symmetries removed. */
    public static final String SYMMETRIC_FLAT_NAME = "kinematic-sym";
    public static final int ROWS = 14;
    public static final int COLUMNS = 4;

    private final boolean flat;
    private final boolean symmetric;

    /** The image encoding of the convolutional VAE. */
    public ConvEncoding() {
        this(false, false);
    }

    /**
     * {@code flat}: the features as a vector of 56 instead of an image; {@code symmetric}: phi
     * and eta measured from the leading object, as described above.
     */
    public ConvEncoding(boolean flat, boolean symmetric) {
        this.flat = flat;
        this.symmetric = symmetric;
    }

    @Override
    public String name() {
        if (symmetric) {
            return flat ? SYMMETRIC_FLAT_NAME : SYMMETRIC_NAME;
        }
        return flat ? FLAT_NAME : NAME;
    }

    @Override
    public int[] shape() {
        return flat ? new int[] {COLUMNS * ROWS} : new int[] {COLUMNS, 1, ROWS};
    }

    @Override
    public List<String> featureNames() {
        List<String> names = new ArrayList<>();
        String[] columns = symmetric ? new String[] {"log_e", "log_pt", "eta_rel", "dphi_leading"}
                : new String[] {"log_e", "log_pt", "eta", "phi"};
        for (String column : columns) {
            names.add("met_" + column);
            for (int i = 1; i < ROWS; i++) {
                names.add("object" + i + "_" + column);
            }
        }
        return names;
    }

    @Override
    public void encode(Event event, float[] out, int offset) {
        java.util.Arrays.fill(out, offset, offset + ROWS * COLUMNS, 0f);
        List<PhysicsObject> objects = event.objects();
        // phi0: the reference azimuth; etaSign and phiSign the reflections; all trivial unless symmetric
        double phi0 = 0;
        double etaSign = 1;
        double phiSign = 1;
        if (symmetric && !objects.isEmpty()) {
            PhysicsObject leading = objects.get(0);
            phi0 = leading.phi();
            etaSign = leading.eta() < 0 ? -1 : 1;
            phiSign = Kinematics.deltaPhi(event.metPhi(), phi0) < 0 ? -1 : 1;
        }
        // channel c, row r lives at offset + c * ROWS + r
        float logMet = Features.logGev(event.met());
        out[offset] = logMet;
        out[offset + ROWS] = logMet;
        out[offset + 2 * ROWS] = 0f;
        out[offset + 3 * ROWS] = azimuth(event.metPhi(), phi0, phiSign);
        int n = Math.min(objects.size(), ROWS - 1);
        for (int i = 0; i < n; i++) {
            PhysicsObject o = objects.get(i);
            int row = i + 1;
            out[offset + row] = Features.logGev(o.e());
            out[offset + ROWS + row] = Features.logGev(o.pt());
            out[offset + 2 * ROWS + row] = (float) (etaSign * o.eta());
            out[offset + 3 * ROWS + row] = azimuth(o.phi(), phi0, phiSign);
        }
    }

    private float azimuth(double phi, double phi0, double phiSign) {
        return symmetric ? (float) (phiSign * Kinematics.deltaPhi(phi, phi0)) : (float) phi;
    }
}
