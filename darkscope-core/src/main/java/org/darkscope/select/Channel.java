package org.darkscope.select;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Predicate;
import org.darkscope.event.Event;
import org.darkscope.event.Units;

/**
 * The four event selections of the Dark Machines Unsupervised Challenge. Every cut is written
 * once, here, in GeV.
 *
 * <p>Source: T. Aarrestad et al., "The Dark Machines Anomaly Score Challenge", SciPost Phys. 12,
 * 043 (2022), arXiv:2105.14027, Sect. 3 ("Channels"). Jets are {@code j} and {@code b} objects;
 * leptons are electrons and muons of either charge. HT is the scalar pT sum of all jets in the
 * record ({@link Event#ht()}).
 */
public enum Channel implements Predicate<Event> {
    /** Hadronic with large missing energy: HT >= 600, MET >= 200, MET/HT >= 0.2, >= 4 jets above 50, one above 200. */
    CHAN1("chan1") {
        @Override
        public boolean test(Event event) {
            double ht = event.htGev();
            double met = event.metGev();
            return ht >= Cuts.CHAN1_MIN_HT && met >= Cuts.CHAN1_MIN_MET && met >= Cuts.CHAN1_MIN_MET_OVER_HT * ht
                    && countJets(event, Cuts.CHAN1_JET_PT) >= Cuts.CHAN1_MIN_JETS
                    && countJets(event, Cuts.CHAN1_LEADING_JET_PT) >= 1;
        }
    },
    /** At least three leptons: MET >= 50, >= 3 leptons above 15. */
    CHAN2A("chan2a") {
        @Override
        public boolean test(Event event) {
            return event.metGev() >= Cuts.CHAN2_MIN_MET
                    && countLeptons(event, Cuts.CHAN2_LEPTON_PT) >= Cuts.CHAN2A_MIN_LEPTONS;
        }
    },
    /** At least two leptons: MET >= 50, HT >= 50, >= 2 leptons above 15. */
    CHAN2B("chan2b") {
        @Override
        public boolean test(Event event) {
            return event.metGev() >= Cuts.CHAN2_MIN_MET && event.htGev() >= Cuts.CHAN2B_MIN_HT
                    && countLeptons(event, Cuts.CHAN2_LEPTON_PT) >= Cuts.CHAN2B_MIN_LEPTONS;
        }
    },
    /** Hadronic with moderate missing energy: HT >= 600, MET >= 100. */
    CHAN3("chan3") {
        @Override
        public boolean test(Event event) {
            return event.htGev() >= Cuts.CHAN3_MIN_HT && event.metGev() >= Cuts.CHAN3_MIN_MET;
        }
    };

    /** The cut values, in GeV (arXiv:2105.14027, Sect. 3). */
    public static final class Cuts {
        public static final double CHAN1_MIN_HT = 600;
        public static final double CHAN1_MIN_MET = 200;
        public static final double CHAN1_MIN_MET_OVER_HT = 0.2;
        public static final double CHAN1_JET_PT = 50;
        public static final int CHAN1_MIN_JETS = 4;
        public static final double CHAN1_LEADING_JET_PT = 200;
        public static final double CHAN2_MIN_MET = 50;
        public static final double CHAN2_LEPTON_PT = 15;
        public static final int CHAN2A_MIN_LEPTONS = 3;
        public static final int CHAN2B_MIN_LEPTONS = 2;
        public static final double CHAN2B_MIN_HT = 50;
        public static final double CHAN3_MIN_HT = 600;
        public static final double CHAN3_MIN_MET = 100;

        private Cuts() {
        }
    }

    private final String cliName;

    Channel(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in bundles, e.g. {@code chan2a}. */
    public String cliName() {
        return cliName;
    }

    /** The channel called {@code name} on the command line. */
    public static Channel byName(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.cliName.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(org.darkscope.Spelling.unknown("channel", key,
                        Arrays.stream(values()).map(c -> c.cliName).toList()))); // names are read in any case
    }

    /** Jets (j, b) with pT strictly above {@code minPtGev}. */
    static int countJets(Event event, double minPtGev) {
        return event.countJets(minPtGev * Units.MEV_PER_GEV);
    }

    /** Light leptons with pT strictly above {@code minPtGev}. */
    static int countLeptons(Event event, double minPtGev) {
        return event.countLeptons(minPtGev * Units.MEV_PER_GEV);
    }
}
