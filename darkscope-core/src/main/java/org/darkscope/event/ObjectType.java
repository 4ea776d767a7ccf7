package org.darkscope.event;

/**
 * The reconstructed object types of the Dark Machines event format, with their file labels
 * (arXiv:2105.14027, Sect. 3): jets, b-tagged jets, electrons, muons of either charge, photons.
 */
public enum ObjectType {
    JET("j"),
    BJET("b"),
    ELECTRON("e-"),
    POSITRON("e+"),
    MUON("m-"),
    ANTIMUON("m+"),
    PHOTON("g");

    private static final ObjectType[] VALUES = values();

    private final String label;

    ObjectType(String label) {
        this.label = label;
    }

    /** The label used in event files, e.g. {@code "e+"}. */
    public String label() {
        return label;
    }

    /** Jets and b-tagged jets: what enters HT. */
    public boolean isJet() {
        return this == JET || this == BJET;
    }

    /** Light charged leptons (electrons and muons of either charge). */
    public boolean isLepton() {
        return this == ELECTRON || this == POSITRON || this == MUON || this == ANTIMUON;
    }

    public boolean isElectron() {
        return this == ELECTRON || this == POSITRON;
    }

    public boolean isMuon() {
        return this == MUON || this == ANTIMUON;
    }

    /** Electric charge in units of e: -1 for e- and m-, +1 for e+ and m+, 0 otherwise. */
    public int charge() {
        return switch (this) {
            case ELECTRON, MUON -> -1;
            case POSITRON, ANTIMUON -> +1;
            default -> 0;
        };
    }

    /** The type for a file label, or {@code null} if the label is unknown. */
    public static ObjectType fromLabel(String label) {
        for (ObjectType type : VALUES) {
            if (type.label.equals(label)) {
                return type;
            }
        }
        return null;
    }

    /** The type for a label held in {@code bytes[from, to)}, or {@code null}; allocation-free. */
    public static ObjectType fromLabel(byte[] bytes, int from, int to) {
        int length = to - from;
        if (length == 1) {
            return switch (bytes[from]) {
                case 'j' -> JET;
                case 'b' -> BJET;
                case 'g' -> PHOTON;
                default -> null;
            };
        }
        if (length == 2 && (bytes[from + 1] == '-' || bytes[from + 1] == '+')) {
            boolean minus = bytes[from + 1] == '-';
            return switch (bytes[from]) {
                case 'e' -> minus ? ELECTRON : POSITRON;
                case 'm' -> minus ? MUON : ANTIMUON;
                default -> null;
            };
        }
        return null;
    }
}
