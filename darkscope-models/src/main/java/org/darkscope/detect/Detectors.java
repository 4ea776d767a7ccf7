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
    /**
     * A detector's name, default encoding, declared settings, constructor, and its method in a
     * sentence (what it computes, after whom, what its score is), which {@code info --detector} prints.
     */
    public record Kind(String name, String encoding, List<Setting> settings, Function<Hyperparameters, Detector> factory,
            String method) {
        public Kind {
            settings = List.copyOf(settings);
            method = method == null ? "" : method.strip();
        }

        /** A kind whose method is not described. */
        public Kind(String name, String encoding, List<Setting> settings, Function<Hyperparameters, Detector> factory) {
            this(name, encoding, settings, factory, "");
        }
    }

    /** The alias accepted wherever a detector is named. */
    public static final String DEFAULT = "default";
    /**
     * The recommended detector, chosen by the background-only protocol of the README ("How the
     * defaults were chosen"), never by a signal: {@code combined} with its default members, the
     * Gaussian kernel density estimate (Scott's bandwidth, densities per GeV) and {@code exceedance}
     * (MET, HT, leptons), an event as rare as the rarer of the two says, on {@code event-level-no-njet}.
     */
    public static final String RECOMMENDED = CombinedDetector.NAME;

    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();
    /** Detectors of a {@link DetectorProvider} named like one already registered. */
    private static final List<String> CLASHES = new java.util.ArrayList<>();

    static {
        String perGeV = "; score = -log p(x) per GeV";
        register(new Kind("ae", EventLevelEncoding.WITHOUT_JET_COUNT, Autoencoder.SETTINGS, Autoencoder::new,
                "a dense autoencoder; score = the mean squared error of its reconstruction of the standardised event"));
        register(new Kind("vae", EventLevelEncoding.WITHOUT_JET_COUNT, VariationalAutoencoder.SETTINGS, VariationalAutoencoder::new,
                "a variational autoencoder (Kingma, Welling 2013) with beta (Higgins et al. 2017) and KL warm-up; score = the"
                        + " reconstruction error at the posterior mean, or the negative ELBO"));
        register(new Kind("conv-vae", ConvEncoding.SYMMETRIC_NAME, VariationalAutoencoder.COMMON, ConvolutionalVae::new,
                "the convolutional VAE of the talk \"Artificial Intelligence and Dark Matter\" on the 1x14x4 event image, layer"
                        + " for layer (20,602 parameters); score as vae's"));
        register(new Kind("deep-svdd", EventLevelEncoding.WITHOUT_JET_COUNT, DeepSvdd.SETTINGS, DeepSvdd::new,
                "Deep SVDD (Ruff et al. 2018): a network without biases maps background close to a fixed target; score = the"
                        + " squared distance to it"));
        register(new Kind("flow", EventLevelEncoding.WITHOUT_JET_COUNT, NeuralSplineFlow.SETTINGS, NeuralSplineFlow::new,
                "a rational-quadratic neural spline flow, autoregressive (Durkan, Bekasov, Murray, Papamakarios 2019)" + perGeV));
        register(new Kind("maf", EventLevelEncoding.WITHOUT_JET_COUNT, MaskedAutoregressiveFlow.SETTINGS, MaskedAutoregressiveFlow::new,
                "a masked autoregressive flow (Papamakarios, Pavlakou, Murray 2017)" + perGeV));
        register(new Kind("iforest", EventLevelEncoding.WITHOUT_JET_COUNT, IsolationForest.SETTINGS, IsolationForest::new,
                "an isolation forest (Liu, Ting, Zhou 2008): random splits isolate a rare event in fewer steps; score ="
                        + " 2^(-mean path length / c(subsample))"));
        register(new Kind(CombinedDetector.NAME, EventLevelEncoding.WITHOUT_JET_COUNT, CombinedDetector.SETTINGS, CombinedDetector::new,
                "\"rare and different\" (Caron, Hendriks, Verheyen 2021): the members' background tail probabilities,"
                        + " calibrated on background the scoring model did not train on (out of fold, or the validation part where a"
                        + " member validates), combined by a rule; score = -log10 of the result"));
        register(new Kind("knn", EventLevelEncoding.WITHOUT_JET_COUNT, NearestNeighbours.SETTINGS, NearestNeighbours::new,
                "the distance to the k-th nearest training event (Ramaswamy, Rastogi, Shim 2000), searched exactly in a k-d tree"));
        register(new Kind("gmm", EventLevelEncoding.WITHOUT_JET_COUNT, GaussianMixture.SETTINGS, GaussianMixture::new,
                "a Gaussian mixture with full covariances, fitted by EM (Dempster, Laird, Rubin 1977), counts dequantised"
                        + perGeV));
        register(new Kind("kde", EventLevelEncoding.WITHOUT_JET_COUNT, KernelDensity.SETTINGS, KernelDensity::new,
                "a Gaussian kernel density estimate (Parzen 1962) with Scott's bandwidth, every training event's kernel summed"
                        + perGeV));
        register(new Kind("exceedance", EventLevelEncoding.WITHOUT_JET_COUNT, Exceedance.SETTINGS, Exceedance::new,
                "how rarely the background is at least as hard in every variable at once (MET, HT, leptons): score = -log10"
                        + " of the fraction of training events passing the box cut at the event's values, a cut on MET in several"
                        + " variables"));
        register(new Kind("classifier", EventLevelEncoding.NAME, Classifier.SETTINGS, Classifier::supervised,
                "supervised, for comparison: a network learns background against one signal (train --signal); score = the"
                        + " log-odds of signal"));
        register(new Kind("hyperclass", EventLevelEncoding.NAME, Classifier.SETTINGS, Classifier::hyperclass,
                "supervised, for comparison: a network learns background against several signals weighted equally; score ="
                        + " the log-odds of signal"));
        register(new Kind("data-vs-reference", EventLevelEncoding.NAME, DataVsReference.SETTINGS, DataVsReference::new,
                "weakly supervised (CWoLa; Metodiev, Nachman, Thaler 2017): networks learn the data (train --data) against the"
                        + " reference background, k-fold, no event scored by a network that saw it; score = the log-odds of data"));
        register(new Kind("ht", "ht", List.of(), hp -> new PhysicsBaseline("ht", hp),
                "a physics baseline, nothing trained: score = HT, the scalar sum of the jets' and b-jets' pT, in GeV"));
        register(new Kind("met", "met", List.of(), hp -> new PhysicsBaseline("met", hp),
                "a physics baseline, nothing trained: score = MET, the missing transverse energy, in GeV"));
        register(new Kind("image-cvae", ImageEncoding.IMAGE, VariationalAutoencoder.COMMON, ImageCvae::new,
                "on detector images: the convolutional VAE of the direct-detection talk (after Herrero-Garcia, Patrick,"
                        + " Scaffidi 2021), layer for layer; score as vae's"));
        register(new Kind("s2s1", ImageEncoding.RAW, S2S1Baseline.SETTINGS, S2S1Baseline::new,
                "on detector images: the direct-detection baseline, nothing trained; score = -log10(S2/S1) from the image's"
                        + " channels"));
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

    /**
     * Refuses to train {@code detector} on weighted events ({@code train --weighted}) unless it
     * {@link Detector#fitsWeights fits weights}, naming the detectors that learn from them.
     */
    public static void requireFitsWeights(Detector detector) {
        if (detector.fitsWeights()) {
            return;
        }
        throw new IllegalArgumentException(detector.name() + " learns from events counted once each, so it cannot train --weighted"
                + (detector instanceof CombinedDetector ? " (a member counts events once)" : "") + "; the detectors that learn from"
                + " weighted events: " + String.join(", ", weighing()) + ". Or unweight the sample first (darkscope unweight) and"
                + " train without --weighted");
    }

    /** The detectors that learn, and learn from weighted events, with their default settings. */
    public static List<String> weighing() {
        List<String> weighing = new java.util.ArrayList<>();
        for (Kind kind : kinds()) {
            try (Detector d = kind.factory().apply(Hyperparameters.empty())) {
                if (d.learns() && d.fitsWeights()) {
                    weighing.add(kind.name());
                }
            } catch (IllegalArgumentException e) { // a kind made only with a setting (a model file): it learns nothing
            }
        }
        return weighing;
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
