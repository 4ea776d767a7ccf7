package org.darkscope.detect;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.darkscope.feature.FeatureBatch;

/**
 * {@code combined}: "rare and different" (S. Caron, L. Hendriks, R. Verheyen, "Rare and
 * Different: Anomaly Scores from a combination of likelihood and out-of-distribution models to
 * detect new physics at the LHC", arXiv:2106.10164). An event is anomalous if it is rare under
 * the background density (a density model such as {@code flow}) and/or different from it (an
 * out-of-distribution model such as {@code deep-svdd}). The challenge's best model on its secret
 * data set was such a combination of a flow and Deep SVDD; on the distortions of darkscope's
 * protocol the kernel density estimate and {@code exceedance} did better: an event as rare as the
 * rarer of the two says (rule {@code or}), rare in the density of the background or harder than
 * almost all of it in MET, HT and leptons at once.
 *
 * <p>Each member's score is mapped to its background tail probability p ({@link TailProbability}:
 * (number of calibration background events scoring at least as high + 1) / (N + 1) at their
 * scores, continuous between and beyond them), calibrated on background the scoring model never
 * trained on: the validation part where a member validates (the members then fit on the rest),
 * else every training event, cross-fitted (each scored by the member fitted without its fold;
 * the members fit on every event). A small p is anomalous. The rule
 * combines the p values and the score is -log10 of the result:
 * {@code and} max(p) (anomalous only if every member says so), {@code or} min(p),
 * {@code product} the product of the p, {@code average} their mean.
 *
 * <p>Settings: {@code members} (kde,exceedance), {@code rule} (or; both
 * chosen by the signal-agnostic protocol, see the README); a member setting is
 * given with the member's name as prefix, e.g. {@code flow.layers=3}. Members read the combined
 * detector's encoding.
 */
public final class CombinedDetector implements Detector {
    /** How member tail probabilities combine, in logarithms (far tails stay finite). */
    enum Rule {
        AND, OR, PRODUCT, AVERAGE;

        /** log of the combined probability from the members' log p. */
        double combine(double[] logP) {
            return switch (this) {
                case AND -> Arrays.stream(logP).max().orElseThrow();
                case OR -> Arrays.stream(logP).min().orElseThrow();
                case PRODUCT -> Arrays.stream(logP).sum();
                case AVERAGE -> {
                    double max = Arrays.stream(logP).max().orElseThrow();
                    yield max + Math.log(Arrays.stream(logP).map(l -> Math.exp(l - max)).sum() / logP.length);
                }
            };
        }
    }

    private static final double LN_10 = Math.log(10);

    /** Its name. */
    public static final String NAME = "combined";

    /** The members' calibration scores, and where the calibration events count by their weights, their weights. */
    private static final String CALIBRATION = "calibration.json";
    private static final String CALIBRATION_WEIGHTS = "calibration-weights.json";

    /** The folds of the cross-fitted calibration (members that validate nothing). */
    static final int CALIBRATION_FOLDS = 5;

    /** The members unless {@code members} says otherwise. */
    static final String DEFAULT_MEMBERS = "kde,exceedance";

    private final Hyperparameters hyperparameters;
    private final List<String> memberNames;
    private final Rule rule;
    private final List<Detector> members = new ArrayList<>();
    /** Per member, its tail probability among its scores of the calibration background. */
    private TailProbability[] tails;

    public static final Setting MEMBERS = Setting.of("members", "detector names",
            "comma-separated, at least two, each once, none a combination", DEFAULT_MEMBERS,
            "the detectors combined; a member's own setting is given as MEMBER.KEY, e.g. knn.k=30", CombinedDetector::validMembers);
    public static final Setting RULE = Setting.choice("rule", "or", "how the members' background p-values combine",
            "and", "or", "product", "average");
    public static final List<Setting> SETTINGS = List.of(MEMBERS, RULE);

    /**
     * At least two members, none named twice (its p would count twice, and its settings could not tell
     * the two apart), none a combination itself ({@code default} included).
     */
    private static boolean validMembers(String members) {
        List<String> names = names(members);
        return names.size() >= 2 && names.stream().distinct().count() == names.size()
                && names.stream().noneMatch(m -> Detectors.resolve(m).equals(NAME));
    }

    /**
     * The columns of each member's -log10 p ({@link #scoreWithMembers}), in the members' order, of the
     * bundle {@code model} (its manifest's detector and settings): {@code neglog10p_MEMBER}.
     *
     * @throws IllegalArgumentException where the bundle holds another detector, which has no members
     */
    public static List<String> memberColumns(String model, String detector, java.util.Map<String, String> hyperparameters) {
        if (!detector.equals(NAME)) {
            throw new IllegalArgumentException("each member's p needs a combined model; " + model + " is " + detector);
        }
        return names(hyperparameters.getOrDefault(MEMBERS.name(), DEFAULT_MEMBERS)).stream().map(m -> "neglog10p_" + m).toList();
    }

    /** The members' names in {@code members}, the setting's text. */
    private static List<String> names(String members) {
        return Arrays.stream(members.split(",")).map(String::trim).toList();
    }

    public CombinedDetector(Hyperparameters hp) {
        List<String> names = names(MEMBERS.text(hp));
        Hyperparameters own = hp;
        for (String key : hp.asMap().keySet()) {
            if (names.stream().anyMatch(m -> key.startsWith(m + "."))) {
                own = own.without(key); // a member's setting, checked by the member
            }
        }
        try {
            Setting.complete("combined", own, SETTINGS);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; a member's setting is MEMBER.KEY, for a member of members="
                    + String.join(",", names), e);
        }
        this.hyperparameters = hp.withDefault(MEMBERS.name(), MEMBERS.defaultValue()).withDefault(RULE.name(), RULE.defaultValue());
        this.memberNames = names;
        this.rule = Rule.valueOf(RULE.text(hp).toUpperCase(Locale.ROOT));
        for (String name : memberNames) {
            try {
                members.add(Detectors.create(name, memberSettings(name)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("combined, member " + name + ": " + e.getMessage(), e);
            }
        }
    }

    private Hyperparameters memberSettings(String member) {
        Hyperparameters settings = Hyperparameters.empty();
        for (var e : hyperparameters.asMap().entrySet()) {
            if (e.getKey().startsWith(member + ".")) {
                settings = settings.with(e.getKey().substring(member.length() + 1), e.getValue());
            }
        }
        return settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Hyperparameters hyperparameters() {
        Hyperparameters all = hyperparameters;
        for (Detector member : members) {
            for (var e : member.hyperparameters().asMap().entrySet()) {
                all = all.withDefault(member.name() + "." + e.getKey(), e.getValue());
            }
        }
        return all;
    }

    /**
     * Whether a member validates (early stopping, a choice among candidates): then every member is
     * fitted on the training part and calibrated on the validation part. Where none does, each is
     * fitted on every event and calibrated by cross-fitting ({@link #CALIBRATION_FOLDS}).
     */
    @Override
    public boolean validates() {
        return members.stream().anyMatch(Detector::validates);
    }

    /** Whether every member learns from weighted events: its calibration then counts the events by their weights too. */
    @Override
    public boolean fitsWeights() {
        return members.stream().allMatch(Detector::fitsWeights);
    }

    @Override
    public void fit(TrainingData background, TrainingConfig config) {
        boolean crossFitted = !validates();
        if (!crossFitted && background.validation().rows() == 0) {
            throw new IllegalArgumentException("combined calibrates on the validation background: use a validation fraction above 0");
        }
        TrainingData events = crossFitted ? background.asOnePart() : background;
        double[] calibrationWeights = crossFitted ? events.trainWeights() : background.validationWeights();
        tails = new TailProbability[members.size()];
        for (int i = 0; i < members.size(); i++) {
            try {
                members.get(i).fit(events, config);
                float[] calibration = crossFitted ? outOfFoldScores(memberNames.get(i), events, config)
                        : members.get(i).score(background.validation());
                tails[i] = new TailProbability(calibration, calibrationWeights);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("combined, member " + members.get(i).name() + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Cross-fitting: the events dealt into {@value #CALIBRATION_FOLDS} folds by position (event i
     * to fold i mod K, nothing random), and each fold scored by the member fitted on the other
     * folds: every event a calibration event, scored by a model that did not learn from it, while
     * the member itself learns from every event (the cross-conformal calibration of V. Vovk, Ann.
     * Math. Artif. Intell. 74 (2015) 9). Only for members that validate nothing, fitted in a second.
     */
    private float[] outOfFoldScores(String member, TrainingData background, TrainingConfig config) {
        FeatureBatch events = background.train();
        int n = events.rows();
        if (n < CALIBRATION_FOLDS) {
            throw new IllegalArgumentException("combined cross-fits its calibration in " + CALIBRATION_FOLDS + " folds: give at least "
                    + CALIBRATION_FOLDS + " training events, not " + n);
        }
        float[] scores = new float[n];
        for (int k = 0; k < CALIBRATION_FOLDS; k++) {
            int fold = k;
            int[] held = IntStream.range(0, n).filter(r -> r % CALIBRATION_FOLDS == fold).toArray();
            int[] rest = IntStream.range(0, n).filter(r -> r % CALIBRATION_FOLDS != fold).toArray();
            TrainingData others = background.trainingRows(rest);
            try (Detector copy = Detectors.create(member, memberSettings(member))) {
                try {
                    copy.fit(others, config);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("to calibrate out of fold it is also fitted on all but one of " + CALIBRATION_FOLDS
                            + " folds, " + rest.length + " of the " + n + " training events: " + e.getMessage(), e);
                }
                float[] heldScores = copy.score(events.select(held));
                for (int j = 0; j < held.length; j++) {
                    scores[held[j]] = heldScores[j];
                }
            }
            config.listener().onStep("calibrating " + member + " out of fold", k + 1, CALIBRATION_FOLDS);
        }
        return scores;
    }

    @Override
    public float[] score(FeatureBatch batch) {
        return score(batch, null);
    }

    /**
     * The combined score of every event and, beside it, each member's own -log10 p (its background
     * tail probability): which member makes an event rare.
     *
     * @param combined the score, -log10 of the rule's p
     * @param members  element [i][r]: -log10 p of member i (in the order of {@link #members}) for event r
     */
    public record Scores(float[] combined, float[][] members) {
    }

    /** {@link #score} and each member's -log10 p from one pass of the members ({@link Scores}). */
    public Scores scoreWithMembers(FeatureBatch batch) {
        float[][] significance = new float[members.size()][batch.rows()];
        return new Scores(score(batch, significance), significance);
    }

    /** The combined scores; each member's -log10 p into {@code significance} too, where it is not null. */
    private float[] score(FeatureBatch batch, float[][] significance) {
        if (tails == null) {
            throw new IllegalStateException("combined is not fitted");
        }
        float[][] memberScores = new float[members.size()][];
        for (int i = 0; i < members.size(); i++) {
            memberScores[i] = members.get(i).score(batch);
        }
        float[] combined = new float[batch.rows()];
        double[] logP = new double[members.size()];
        for (int r = 0; r < batch.rows(); r++) {
            for (int i = 0; i < members.size(); i++) {
                logP[i] = tails[i].logOf(memberScores[i][r]);
            }
            if (significance != null) {
                for (int i = 0; i < members.size(); i++) {
                    significance[i][r] = (float) (-logP[i] / LN_10);
                }
            }
            combined[r] = (float) (-rule.combine(logP) / LN_10);
        }
        return combined;
    }

    /** Its members' advice. */
    @Override
    public List<String> advice() {
        return members.stream().flatMap(m -> m.advice().stream()).toList();
    }

    /** The members, in the order of setting {@code members}. */
    public List<Detector> members() {
        return List.copyOf(members);
    }

    /** Each member's tail probability, once fitted or loaded. */
    public List<TailProbability> tails() {
        if (tails == null) {
            throw new IllegalStateException("combined is not fitted");
        }
        return List.of(tails);
    }

    /** The rule's name: {@code and}, {@code or}, {@code product} or {@code average}. */
    public String rule() {
        return rule.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public long parameterCount() {
        return members.stream().mapToLong(Detector::parameterCount).sum();
    }

    /** The first member's training history (the report shows each member's separately). */
    @Override
    public TrainingHistory history() {
        return members.get(0).history();
    }

    @Override
    public List<Path> save(Path directory) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            Path sub = Files.createDirectories(directory.resolve("member-" + i + "-" + members.get(i).name()));
            files.addAll(members.get(i).save(sub));
        }
        Path file = directory.resolve(CALIBRATION);
        new ObjectMapper().writeValue(file.toFile(), Arrays.stream(tails).map(TailProbability::calibration).toArray(float[][]::new));
        files.add(file);
        if (tails[0].weights() != null) {
            Path weights = directory.resolve(CALIBRATION_WEIGHTS);
            new ObjectMapper().writeValue(weights.toFile(), Arrays.stream(tails).map(TailProbability::weights).toArray(double[][]::new));
            files.add(weights);
        }
        return files;
    }

    @Override
    public void load(Path directory, int[] inputShape, TrainingHistory history) throws IOException {
        for (int i = 0; i < members.size(); i++) {
            members.get(i).load(directory.resolve("member-" + i + "-" + members.get(i).name()), inputShape, history);
        }
        float[][] calibration = new ObjectMapper().readValue(directory.resolve(CALIBRATION).toFile(), float[][].class);
        Path weightsFile = directory.resolve(CALIBRATION_WEIGHTS);
        double[][] weights = Files.exists(weightsFile) ? new ObjectMapper().readValue(weightsFile.toFile(), double[][].class)
                : new double[calibration.length][];
        if (calibration.length != members.size() || weights.length != members.size()) {
            throw new IOException("calibration holds " + calibration.length + " members (" + weights.length + " weighted), settings name "
                    + members.size());
        }
        TailProbability[] loaded = new TailProbability[calibration.length];
        for (int i = 0; i < calibration.length; i++) {
            if (calibration[i].length == 0) {
                throw new IOException("calibration of member " + i + " (" + memberNames.get(i) + ") holds no scores");
            }
            try {
                loaded[i] = new TailProbability(calibration[i], weights[i]);
            } catch (IllegalArgumentException e) {
                throw new IOException(CALIBRATION_WEIGHTS + ", member " + i + " (" + memberNames.get(i) + "): " + e.getMessage(), e);
            }
        }
        tails = loaded;
    }

    @Override
    public void close() {
        members.forEach(Detector::close);
    }
}
