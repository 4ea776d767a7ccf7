package org.darkscope.detect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.darkscope.feature.ConvEncoding;

/**
 * The detectors by command-line name, each with the encoding it reads by default. The dense
 * detectors default to {@code kinematic-56} (MET and the 13 leading objects' E, pT, eta, phi,
 * object types left out): on the channel-1 sample, encodings with object types ({@code dense},
 * {@code efficient}) let the b-jets and leptons of ttbar dominate the score, so that signals
 * without them look more typical than the background (gluino AUC 0.46 for {@code ae} on
 * {@code dense}, 0.57 on {@code kinematic-56}; see the README). Any encoding can be chosen with
 * {@code train --encoding}.
 */
public final class Detectors {
    /** A detector's constructor and default encoding. */
    public record Kind(String name, String encoding, Function<Hyperparameters, Detector> factory) {
    }

    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    static {
        register(new Kind("ae", ConvEncoding.FLAT_NAME, Autoencoder::new));
        register(new Kind("vae", ConvEncoding.FLAT_NAME, VariationalAutoencoder::new));
        register(new Kind("conv-vae", ConvEncoding.NAME, ConvolutionalVae::new));
        register(new Kind("deep-svdd", ConvEncoding.FLAT_NAME, DeepSvdd::new));
        register(new Kind("flow", ConvEncoding.FLAT_NAME, MaskedAutoregressiveFlow::new));
        register(new Kind("iforest", ConvEncoding.FLAT_NAME, IsolationForest::new));
        register(new Kind("combined", ConvEncoding.FLAT_NAME, CombinedDetector::new));
        register(new Kind("ht", "ht", hp -> new PhysicsBaseline("ht")));
        register(new Kind("met", "met", hp -> new PhysicsBaseline("met")));
    }

    private Detectors() {
    }

    private static void register(Kind kind) {
        KINDS.put(kind.name(), kind);
    }

    public static List<Kind> kinds() {
        return List.copyOf(KINDS.values());
    }

    public static Kind kind(String name) {
        Kind kind = KINDS.get(name);
        if (kind == null) {
            throw new IllegalArgumentException("unknown detector '" + name + "' (known: " + String.join(", ", KINDS.keySet()) + ")");
        }
        return kind;
    }

    /** A new, untrained detector. */
    public static Detector create(String name, Hyperparameters hyperparameters) {
        return kind(name).factory().apply(hyperparameters);
    }
}
