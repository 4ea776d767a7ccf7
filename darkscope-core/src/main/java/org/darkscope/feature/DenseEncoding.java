package org.darkscope.feature;

import java.util.ArrayList;
import java.util.List;
import org.darkscope.event.Event;
import org.darkscope.event.ObjectType;
import org.darkscope.event.PhysicsObject;

/**
 * The default encoding for dense detectors, 80 features:
 * <ul>
 *   <li>log(1+MET/GeV), MET phi, log(1+HT/GeV);</li>
 *   <li>counts of jets, b-jets, electrons, muons and photons (charges merged);</li>
 *   <li>the 8 leading jets (j or b): log(1+E/GeV), log(1+pT/GeV), eta, phi, b-tag (0/1);</li>
 *   <li>the 4 leading leptons: log(1+E/GeV), log(1+pT/GeV), eta, phi, is-muon (0/1), charge;</li>
 *   <li>the 2 leading photons: log(1+E/GeV), log(1+pT/GeV), eta, phi.</li>
 * </ul>
 * Absent objects are padded with zeros before standardisation.
 */
public final class DenseEncoding implements Encoding {
    public static final String NAME = "dense";
    static final int JETS = 8;
    static final int LEPTONS = 4;
    static final int PHOTONS = 2;
    private static final int JET_FEATURES = 5;
    private static final int LEPTON_FEATURES = 6;
    private static final int PHOTON_FEATURES = 4;
    private static final int GLOBAL = 3 + 5;
    private static final int SIZE = GLOBAL + JETS * JET_FEATURES + LEPTONS * LEPTON_FEATURES + PHOTONS * PHOTON_FEATURES;

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
        List<String> names = new ArrayList<>(List.of("log_met", "met_phi", "log_ht",
                "n_jet", "n_bjet", "n_electron", "n_muon", "n_photon"));
        for (int i = 1; i <= JETS; i++) {
            for (String f : new String[] {"log_e", "log_pt", "eta", "phi", "btag"}) {
                names.add("jet" + i + "_" + f);
            }
        }
        for (int i = 1; i <= LEPTONS; i++) {
            for (String f : new String[] {"log_e", "log_pt", "eta", "phi", "is_muon", "charge"}) {
                names.add("lepton" + i + "_" + f);
            }
        }
        for (int i = 1; i <= PHOTONS; i++) {
            for (String f : new String[] {"log_e", "log_pt", "eta", "phi"}) {
                names.add("photon" + i + "_" + f);
            }
        }
        return names;
    }

    @Override
    public void encode(Event event, float[] out, int offset) {
        java.util.Arrays.fill(out, offset, offset + SIZE, 0f);
        out[offset] = Features.logGev(event.met());
        out[offset + 1] = (float) event.metPhi();
        out[offset + 2] = Features.logGev(event.ht());
        int jets = 0;
        int leptons = 0;
        int photons = 0;
        int jetBase = offset + GLOBAL;
        int leptonBase = jetBase + JETS * JET_FEATURES;
        int photonBase = leptonBase + LEPTONS * LEPTON_FEATURES;
        for (PhysicsObject o : event.objects()) {
            ObjectType type = o.type();
            if (type.isJet()) {
                out[offset + (type == ObjectType.BJET ? 4 : 3)]++;
                if (jets < JETS) {
                    int k = jetBase + jets * JET_FEATURES;
                    writeMomentum(o, out, k);
                    out[k + 4] = type == ObjectType.BJET ? 1f : 0f;
                }
                jets++;
            } else if (type.isLepton()) {
                out[offset + (type.isElectron() ? 5 : 6)]++;
                if (leptons < LEPTONS) {
                    int k = leptonBase + leptons * LEPTON_FEATURES;
                    writeMomentum(o, out, k);
                    out[k + 4] = type.isMuon() ? 1f : 0f;
                    out[k + 5] = type.charge();
                }
                leptons++;
            } else {
                out[offset + 7]++;
                if (photons < PHOTONS) {
                    writeMomentum(o, out, photonBase + photons * PHOTON_FEATURES);
                }
                photons++;
            }
        }
    }

    static void writeMomentum(PhysicsObject o, float[] out, int k) {
        out[k] = Features.logGev(o.e());
        out[k + 1] = Features.logGev(o.pt());
        out[k + 2] = (float) o.eta();
        out[k + 3] = (float) o.phi();
    }
}
