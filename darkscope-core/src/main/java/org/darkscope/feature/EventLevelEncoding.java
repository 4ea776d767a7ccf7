package org.darkscope.feature;

import java.util.List;
import org.darkscope.event.Event;
import org.darkscope.event.Kinematics;
import org.darkscope.event.ObjectType;
import org.darkscope.event.PhysicsObject;
import org.darkscope.event.Units;

/**
 * {@code event-level}: eight quantities that describe an event as a whole and carry none of the
 * symmetries of the collision (no azimuth, no sign of eta), the observables of jets+MET searches
 * (e.g. ATLAS, JHEP 02 (2021) 143, arXiv:2010.14293):
 * <ol>
 *   <li>log(1 + MET/GeV), the invisible momentum;</li>
 *   <li>log(1 + HT/GeV), the hadronic activity;</li>
 *   <li>the number of jets (j and b);</li>
 *   <li>the number of b-tagged jets (heavy flavour: top quarks, Higgs bosons);</li>
 *   <li>the number of electrons and muons;</li>
 *   <li>log(1 + pT/GeV) of the leading jet (0 without jets);</li>
 *   <li>the smallest |Delta phi| between MET and the four leading jets (fake MET from a
 *       mismeasured jet lies along it);</li>
 *   <li>MET/HT (MET over max(HT, 1 GeV)), how much of the event is invisible.</li>
 * </ol>
 * A fixed-length vector whatever the multiplicity, so that density and distance detectors work
 * in a space of eight dimensions instead of 56, where a few thousand background events do not
 * cover the space.
 *
 * <p>{@code event-level-no-njet}, the dense detectors' default: the same without the number of
 * jets, which the signal-agnostic protocol found to add more noise than information to every
 * density and distance detector on top of HT and the leading jet's pT (docs/choosing-defaults.md).
 */
public final class EventLevelEncoding implements Encoding {
    public static final String NAME = "event-level";
    /** The seven: every feature of {@link #NAME} but the number of jets. */
    public static final String WITHOUT_JET_COUNT = "event-level-no-njet";
    /** Jets whose azimuth is compared with MET's. */
    static final int DELTA_PHI_JETS = 4;
    private static final List<String> FEATURES = List.of("log_met", "log_ht", "n_jet", "n_bjet", "n_lepton",
            "log_leading_jet_pt", "min_dphi_jet_met", "met_over_ht");

    /** Each feature with its unit, in the order of {@link #FEATURES}. */
    private static final List<String> DEFINITIONS = List.of(
            "log(1 + MET / GeV), natural logarithm",
            "log(1 + HT / GeV), HT the scalar sum of the pT of jets (j and b)",
            "number of jets (j and b)",
            "number of b-tagged jets",
            "number of electrons and muons (either charge)",
            "log(1 + pT / GeV) of the leading jet, 0 without jets",
            "smallest |delta phi| in radians, in [0, pi], between MET and each of the four leading jets (pi without jets)",
            "MET / max(HT, 1 GeV)");
    /** The position of the number of jets among the eight. */
    private static final int JET_COUNT = 2;
    /** The eight quantities (made after the lists above, which the constructor reads). */
    public static final EventLevelEncoding ALL = new EventLevelEncoding(NAME, true);
    /** The seven without the number of jets. */
    public static final EventLevelEncoding NO_JET_COUNT = new EventLevelEncoding(WITHOUT_JET_COUNT, false);

    private final String name;
    private final boolean jetCount;
    /** The names and definitions of the features this encoding writes, in order. */
    private final List<String> names;
    private final List<String> definitions;

    private EventLevelEncoding(String name, boolean jetCount) {
        this.name = name;
        this.jetCount = jetCount;
        this.names = kept(FEATURES, jetCount);
        this.definitions = kept(DEFINITIONS, jetCount);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int[] shape() {
        return new int[] {names.size()};
    }


    @Override
    public List<String> featureNames() {
        return names;
    }

    @Override
    public String featureDefinition(int index) {
        return definitions.get(index);
    }

    private static List<String> kept(List<String> all, boolean jetCount) {
        List<String> kept = new java.util.ArrayList<>(all);
        if (!jetCount) {
            kept.remove(JET_COUNT);
        }
        return List.copyOf(kept);
    }

    @Override
    public void encode(Event event, float[] out, int offset) {
        double ht = 0;
        double leadingJetPt = 0;
        int jets = 0;
        int bjets = 0;
        int leptons = 0;
        for (PhysicsObject o : event.objects()) {
            ObjectType type = o.type();
            if (type.isJet()) {
                ht += o.pt();
                leadingJetPt = Math.max(leadingJetPt, o.pt());
                jets++;
                if (type == ObjectType.BJET) {
                    bjets++;
                }
            } else if (type.isLepton()) {
                leptons++;
            }
        }
        int at = offset;
        out[at++] = Features.logGev(event.met());
        out[at++] = Features.logGev(ht);
        if (jetCount) {
            out[at++] = jets;
        }
        out[at++] = bjets;
        out[at++] = leptons;
        out[at++] = Features.logGev(leadingJetPt);
        out[at++] = (float) Kinematics.minDeltaPhiJetsMet(event, DELTA_PHI_JETS);
        out[at] = (float) (event.met() / Math.max(ht, Units.MEV_PER_GEV));
    }
}
