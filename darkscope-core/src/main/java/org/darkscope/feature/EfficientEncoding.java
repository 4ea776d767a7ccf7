package org.darkscope.feature;

import java.util.ArrayList;
import java.util.List;
import org.darkscope.event.Event;
import org.darkscope.event.ObjectType;
import org.darkscope.event.PhysicsObject;

/**
 * The compact "efficient" encoding of the challenge's best flow (arXiv:2105.14027, Sect. 4): MET
 * (log(1+MET/GeV)) and MET phi, the count of each of the seven object types, then E, pT, eta, phi
 * of up to 7 jets (j or b) and 4 leptons; 53 features, absent objects zero.
 */
public final class EfficientEncoding implements Encoding {
    public static final String NAME = "efficient";
    private static final int JETS = 7;
    private static final int LEPTONS = 4;
    private static final ObjectType[] TYPES = ObjectType.values();
    private static final int GLOBAL = 2 + TYPES.length;
    private static final int SIZE = GLOBAL + 4 * (JETS + LEPTONS);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int[] shape() {
        return new int[] {SIZE};
    }

    @Override
    public List<String> featureNames() {
        List<String> names = new ArrayList<>(List.of("log_met", "met_phi"));
        for (ObjectType type : TYPES) {
            names.add("n_" + type.label());
        }
        for (int i = 1; i <= JETS + LEPTONS; i++) {
            String object = i <= JETS ? "jet" + i : "lepton" + (i - JETS);
            for (String f : new String[] {"log_e", "log_pt", "eta", "phi"}) {
                names.add(object + "_" + f);
            }
        }
        return names;
    }

    @Override
    public void encode(Event event, float[] out, int offset) {
        java.util.Arrays.fill(out, offset, offset + SIZE, 0f);
        out[offset] = Features.logGev(event.met());
        out[offset + 1] = (float) event.metPhi();
        int jets = 0;
        int leptons = 0;
        for (PhysicsObject o : event.objects()) {
            out[offset + 2 + o.type().ordinal()]++;
            if (o.type().isJet() && jets < JETS) {
                DenseEncoding.writeMomentum(o, out, offset + GLOBAL + 4 * jets++);
            } else if (o.type().isLepton() && leptons < LEPTONS) {
                DenseEncoding.writeMomentum(o, out, offset + GLOBAL + 4 * (JETS + leptons++));
            }
        }
    }
}
