package org.darkscope.feature;

import java.util.ArrayList;
import java.util.List;
import org.darkscope.event.Event;
import org.darkscope.event.PhysicsObject;

/**
 * The 1x14x4 event image of the convolutional VAE (talk "Artificial Intelligence and Dark
 * Matter"): 14 rows of (E, pT, eta, phi), the first row the missing energy (E = pT = MET, eta = 0,
 * phi = MET phi), then the 13 leading objects of any type in pT order; energies as
 * log(1+x/GeV), absent objects zero. Keras wrote it height x width x channels = 1 x 14 x 4; it is
 * stored channels-first, shape [4, 1, 14], the layout of Deep Java Library and PyTorch.
 */
public final class ConvEncoding implements Encoding {
    public static final String NAME = "conv-14x4";
    /** The same 56 features as a flat vector, for dense detectors. */
    public static final String FLAT_NAME = "kinematic-56";
    public static final int ROWS = 14;
    public static final int COLUMNS = 4;

    private final boolean flat;

    /** The image encoding of the convolutional VAE. */
    public ConvEncoding() {
        this(false);
    }

    /** {@code flat}: the same features as a vector of 56 ({@value #FLAT_NAME}). */
    public ConvEncoding(boolean flat) {
        this.flat = flat;
    }

    @Override
    public String name() {
        return flat ? FLAT_NAME : NAME;
    }

    @Override
    public int[] shape() {
        return flat ? new int[] {COLUMNS * ROWS} : new int[] {COLUMNS, 1, ROWS};
    }

    @Override
    public List<String> featureNames() {
        List<String> names = new ArrayList<>();
        for (String column : new String[] {"log_e", "log_pt", "eta", "phi"}) {
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
        // channel c, row r lives at offset + c * ROWS + r
        float logMet = Features.logGev(event.met());
        out[offset] = logMet;
        out[offset + ROWS] = logMet;
        out[offset + 2 * ROWS] = 0f;
        out[offset + 3 * ROWS] = (float) event.metPhi();
        List<PhysicsObject> objects = event.objects();
        int n = Math.min(objects.size(), ROWS - 1);
        for (int i = 0; i < n; i++) {
            PhysicsObject o = objects.get(i);
            int row = i + 1;
            out[offset + row] = Features.logGev(o.e());
            out[offset + ROWS + row] = Features.logGev(o.pt());
            out[offset + 2 * ROWS + row] = (float) o.eta();
            out[offset + 3 * ROWS + row] = (float) o.phi();
        }
    }
}
