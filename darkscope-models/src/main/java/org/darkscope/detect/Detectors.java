package org.darkscope.detect;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.darkscope.feature.ConvEncoding;
import org.darkscope.feature.EventLevelEncoding;

/**
 * The detectors by command-line name, each with the encoding it reads by default. The defaults
 * were chosen by darkscope's signal-agnostic protocol ({@code benchmark --distortions}: held-out
 * background against generically distorted background, never a signal; see the README, "How the
 * defaults were chosen"): every dense detector tells distorted from plain background best on the
 * eight event-level quantities of {@code event-level}, and the convolutional VAE on the
 * symmetry-reduced image. Any encoding can be chosen with {@code train --encoding}.
 */
public final class Detectors {
    /** A detector's constructor and default encoding. */
    public record Kind(String name, String encoding, Function<Hyperparameters, Detector> factory) {
    }

    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    static {
        register(new Kind("ae", EventLevelEncoding.NAME, Autoencoder::new));
        register(new Kind("vae", EventLevelEncoding.NAME, VariationalAutoencoder::new));
        register(new Kind("conv-vae", ConvEncoding.SYMMETRIC_NAME, ConvolutionalVae::new));
        register(new Kind("deep-svdd", EventLevelEncoding.NAME, DeepSvdd::new));
        register(new Kind("flow", EventLevelEncoding.NAME, NeuralSplineFlow::new));
        register(new Kind("maf", EventLevelEncoding.NAME, MaskedAutoregressiveFlow::new));
        register(new Kind("iforest", EventLevelEncoding.NAME, IsolationForest::new));
        register(new Kind("combined", EventLevelEncoding.NAME, CombinedDetector::new));
        register(new Kind("knn", EventLevelEncoding.NAME, NearestNeighbours::new));
        register(new Kind("gmm", EventLevelEncoding.NAME, GaussianMixture::new));
        register(new Kind("ht", "ht", hp -> new PhysicsBaseline("ht")));
        register(new Kind("met", "met", hp -> new PhysicsBaseline("met")));
    }

    /** The alias accepted wherever a detector is named. */
    public static final String DEFAULT = "default";
    /**
     * The recommended detector, chosen by the background-only protocol of the README ("How the
     * defaults were chosen"), never by a signal.
     */
    public static final String RECOMMENDED = "flow";

    private Detectors() {
    }

    private static void register(Kind kind) {
        KINDS.put(kind.name(), kind);
    }

    public static List<Kind> kinds() {
        return List.copyOf(KINDS.values());
    }

    /**
     * The detector called {@code name}; {@value #DEFAULT} is the recommended one,
     * {@value #RECOMMENDED}.
     */
    public static Kind kind(String name) {
        Kind kind = KINDS.get(resolve(name));
        if (kind == null) {
            throw new IllegalArgumentException("unknown detector '" + name + "' (known: " + String.join(", ", KINDS.keySet())
                    + ", and " + DEFAULT + " for " + RECOMMENDED + ")");
        }
        return kind;
    }

    /** The real name behind {@code name}: the recommended detector for {@value #DEFAULT}, else {@code name}. */
    public static String resolve(String name) {
        return DEFAULT.equals(name) ? RECOMMENDED : name;
    }

    /**
     * A new, untrained detector. A setting it does not read (a typo such as {@code betta}) is
     * refused, naming the settings it has: a mistyped setting must not train with the default.
     */
    public static Detector create(String name, Hyperparameters hyperparameters) {
        Kind kind = kind(name);
        Set<String> known = settingNames(kind, hyperparameters);
        List<String> unknown = hyperparameters.asMap().keySet().stream().filter(k -> !known.contains(k)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown setting" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " for " + kind.name() + (known.isEmpty() ? ", which has no settings"
                    : " (its settings: " + String.join(", ", new TreeSet<>(known)) + ")"));
        }
        return kind.factory().apply(hyperparameters);
    }

    /**
     * The settings a detector reads: the names of its defaults; for {@code combined}, members and
     * rule and, prefixed with a member's name, that member's settings (checked by the member).
     */
    private static Set<String> settingNames(Kind kind, Hyperparameters given) {
        Set<String> names = new HashSet<>(kind.factory().apply(Hyperparameters.empty()).hyperparameters().asMap().keySet());
        if (kind.name().equals("combined")) {
            names.removeIf(n -> n.contains("."));
            for (String member : given.string("members", CombinedDetector.DEFAULT_MEMBERS).split(",")) {
                given.asMap().keySet().stream().filter(k -> k.startsWith(member.trim() + ".")).forEach(names::add);
            }
        }
        return names;
    }
}
