package org.darkscope.detect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.darkscope.feature.ConvEncoding;
import org.darkscope.feature.EventLevelEncoding;
import org.darkscope.feature.ImageEncoding;

/**
 * The detectors by command-line name, each with the encoding it reads by default. The defaults
 * were chosen by darkscope's signal-agnostic protocol ({@code benchmark --distortions}: held-out
 * background against generically distorted background, never a signal; see the README, "How the
 * defaults were chosen"): every dense detector tells distorted from plain background best on the
 * event-level quantities without the number of jets ({@code event-level-no-njet}), and the
 * convolutional VAE on the symmetry-reduced image; the classifiers, which learn from signals and
 * are not judged by the protocol, read all eight ({@code event-level}). Any encoding can be
 * chosen with {@code train --encoding}.
 */
public final class Detectors {
    /** A detector's name, default encoding, declared settings and constructor. */
    public record Kind(String name, String encoding, List<Setting> settings, Function<Hyperparameters, Detector> factory) {
        public Kind {
            settings = List.copyOf(settings);
        }
    }

    /** The alias accepted wherever a detector is named. */
    public static final String DEFAULT = "default";
    /**
     * The recommended detector, chosen by the background-only protocol of the README ("How the
     * defaults were chosen"), never by a signal: {@code kde}, the Gaussian kernel density estimate
     * with Scott's bandwidth, densities per GeV, on {@code event-level-no-njet}.
     */
    public static final String RECOMMENDED = "kde";

    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();
    /** Detectors of a {@link DetectorProvider} named like one already registered. */
    private static final List<String> CLASHES = new java.util.ArrayList<>();

    static {
        register(new Kind("ae", EventLevelEncoding.WITHOUT_JET_COUNT, Autoencoder.SETTINGS, Autoencoder::new));
        register(new Kind("vae", EventLevelEncoding.WITHOUT_JET_COUNT, VariationalAutoencoder.SETTINGS, VariationalAutoencoder::new));
        register(new Kind("conv-vae", ConvEncoding.SYMMETRIC_NAME, VariationalAutoencoder.COMMON, ConvolutionalVae::new));
        register(new Kind("deep-svdd", EventLevelEncoding.WITHOUT_JET_COUNT, DeepSvdd.SETTINGS, DeepSvdd::new));
        register(new Kind("flow", EventLevelEncoding.WITHOUT_JET_COUNT, NeuralSplineFlow.SETTINGS, NeuralSplineFlow::new));
        register(new Kind("maf", EventLevelEncoding.WITHOUT_JET_COUNT, MaskedAutoregressiveFlow.SETTINGS, MaskedAutoregressiveFlow::new));
        register(new Kind("iforest", EventLevelEncoding.WITHOUT_JET_COUNT, IsolationForest.SETTINGS, IsolationForest::new));
        register(new Kind("combined", EventLevelEncoding.WITHOUT_JET_COUNT, CombinedDetector.SETTINGS, CombinedDetector::new));
        register(new Kind("knn", EventLevelEncoding.WITHOUT_JET_COUNT, NearestNeighbours.SETTINGS, NearestNeighbours::new));
        register(new Kind("gmm", EventLevelEncoding.WITHOUT_JET_COUNT, GaussianMixture.SETTINGS, GaussianMixture::new));
        register(new Kind("kde", EventLevelEncoding.WITHOUT_JET_COUNT, KernelDensity.SETTINGS, KernelDensity::new));
        register(new Kind("classifier", EventLevelEncoding.NAME, Classifier.SETTINGS, Classifier::supervised));
        register(new Kind("hyperclass", EventLevelEncoding.NAME, Classifier.SETTINGS, Classifier::hyperclass));
        register(new Kind("data-vs-reference", EventLevelEncoding.NAME, DataVsReference.SETTINGS, DataVsReference::new));
        register(new Kind("ht", "ht", List.of(), hp -> new PhysicsBaseline("ht", hp)));
        register(new Kind("met", "met", List.of(), hp -> new PhysicsBaseline("met", hp)));
        register(new Kind("image-cvae", ImageEncoding.IMAGE, VariationalAutoencoder.COMMON, ImageCvae::new));
        register(new Kind("s2s1", ImageEncoding.RAW, S2S1Baseline.SETTINGS, S2S1Baseline::new));
        for (DetectorProvider provider : ServiceLoader.load(DetectorProvider.class)) {
            for (Kind kind : provider.detectors()) {
                if (KINDS.containsKey(kind.name()) || kind.name().equals(DEFAULT)) {
                    CLASHES.add(kind.name() + " (from " + provider.getClass().getName() + ")");
                } else {
                    register(kind);
                }
            }
        }
    }

    private Detectors() {
    }

    private static void register(Kind kind) {
        KINDS.put(kind.name(), kind);
    }

    /** Every detector: darkscope's own, then those of {@link DetectorProvider}s on the class path. */
    public static List<Kind> kinds() {
        requireNoClash();
        return List.copyOf(KINDS.values());
    }

    /** A plug-in named like a detector already there is a configuration error, not something to resolve silently. */
    private static void requireNoClash() {
        if (!CLASHES.isEmpty()) {
            throw new IllegalStateException("detector names taken twice: " + String.join(", ", CLASHES)
                    + "; rename the plug-in's detectors or remove its jar from the class path");
        }
    }

    /**
     * The detector called {@code name}; {@value #DEFAULT} is the recommended one,
     * {@value #RECOMMENDED}.
     */
    public static Kind kind(String name) {
        requireNoClash();
        Kind kind = KINDS.get(resolve(name));
        if (kind == null) {
            List<String> names = new java.util.ArrayList<>(KINDS.keySet());
            names.add(DEFAULT);
            throw new IllegalArgumentException("unknown detector '" + name + "'" + org.darkscope.Spelling.didYouMean(name, names)
                    + " (known: " + String.join(", ", KINDS.keySet()) + ", and " + DEFAULT + " for " + RECOMMENDED + ")");
        }
        return kind;
    }

    /**
     * The encoding {@code detector} reads when {@code asked} is asked for (null: nothing asked, its
     * kind's default); a detector with an {@link Detector#ownEncoding} refuses any other, saying why.
     */
    public static String encodingFor(Detector detector, String asked) {
        String own = detector.ownEncoding().orElse(null);
        if (own == null) {
            return asked != null ? asked : kind(detector.name()).encoding();
        }
        if (asked != null && !org.darkscope.feature.Encodings.byName(asked).name().equals(own)) {
            throw new IllegalArgumentException(detector.encodingRefused(asked));
        }
        return own;
    }

    /** The part of the background {@code detector} holds out for validation: {@code asked}, or none if it {@link Detector#validates validates} nothing. */
    public static double validationFraction(Detector detector, double asked) {
        return detector.validates() ? asked : 0;
    }

    /** The real name behind {@code name}: the recommended detector for {@value #DEFAULT}, else {@code name}. */
    public static String resolve(String name) {
        return DEFAULT.equals(name) ? RECOMMENDED : name;
    }

    /**
     * A new, untrained detector. Its settings are checked against what it declares
     * ({@link Kind#settings}): an unknown key or a value out of range is refused, naming what is
     * allowed.
     */
    public static Detector create(String name, Hyperparameters hyperparameters) {
        return kind(name).factory().apply(hyperparameters);
    }
}
