package org.darkscope.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.darkscope.feature.FeatureBatch;

/**
 * {@code data-vs-reference}: weakly supervised, "classification without labels" (CWoLa;
 * E. M. Metodiev, B. Nachman, J. Thaler, JHEP 10 (2017) 174, arXiv:1708.02949) in its
 * non-resonant form: a {@link Classifier} learns to tell the data (background and whatever
 * unknown signal they hold) from a reference background sample. Where the data hold no signal
 * the two samples are alike and the classifier learns nothing; where they do, the optimal
 * classifier of data against reference is a monotonic function of the signal's likelihood ratio.
 * The score is its log-odds of "data".
 *
 * <p>No event judges itself: the events are split into {@code folds} parts (k-fold, 5 by
 * default), one classifier is trained per part on the others, and an event is scored by the
 * classifier of its part, which never saw it. An event's part is a hash of its encoded features,
 * so it is known for any event without a table: the data and reference events that trained the
 * model, scored again, meet the classifier that did not train on them, and an event that is in
 * both samples (or twice in one) is in one part. Because of this, the data a model was trained on
 * may be searched with it ({@link #scoresOutOfFold}).
 *
 * <p>Settings: {@code folds} (5), {@code hidden} and {@code phi} (as {@code classifier}).
 */
public final class DataVsReference implements SampleClassifier {
    public static final Setting FOLDS = Setting.integer("folds", 5, 2, 20, "parts of the k-fold training: each event is scored by the classifier trained without its part");
    public static final List<Setting> SETTINGS = List.of(FOLDS, Classifier.HIDDEN, Classifier.PHI);

    private final Hyperparameters hyperparameters;
    private final List<Classifier> folds = new ArrayList<>();
    /** Per part, the events its classifier learned from (reference, then data); after fitting only, never saved. */
    private final List<FeatureBatch> trainedOn = new ArrayList<>();

    public DataVsReference(Hyperparameters hp) {
        this.hyperparameters = Setting.complete("data-vs-reference", hp, SETTINGS);
        Hyperparameters member = Hyperparameters.empty().with(Classifier.HIDDEN, Classifier.HIDDEN.text(hyperparameters))
                .with(Classifier.PHI, Classifier.PHI.text(hyperparameters));
        for (int k = 0; k < FOLDS.integer(hyperparameters); k++) {
            folds.add(Classifier.supervised(member));
        }
    }

    @Override
    public String name() {
        return "data-vs-reference";
    }

    @Override
    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    @Override
    public Role role() {
        return Role.DATA;
    }

    @Override
    public int minimumSamples() {
        return 1;
    }

    @Override
    public int maximumSamples() {
        return 1;
    }

    @Override
    public boolean scoresOutOfFold() {
        return true;
    }

    /**
     * Trains one classifier per part: reference against data, both without the part; each
     * split into training and validation as the reference was given ({@code background}).
     */
    @Override
    public void fit(TrainingData background, List<TrainingData> others, TrainingConfig config) {
        requireSamples(others.size());
        FeatureBatch reference = FeatureBatch.concatenate(List.of(background.train(), background.validation()));
        FeatureBatch data = FeatureBatch.concatenate(List.of(others.get(0).train(), others.get(0).validation()));
        double validationFraction = background.validation().rows() / (double) reference.rows();
        int[] referenceParts = parts(reference);
        int[] dataParts = parts(data);
        trainedOn.clear();
        for (int k = 0; k < folds.size(); k++) {
            FeatureBatch r = reference.select(rowsOutside(referenceParts, k));
            FeatureBatch d = data.select(rowsOutside(dataParts, k));
            TrainingConfig foldConfig = config.withSeed(config.seed() + k);
            folds.get(k).fitLabelled(TrainingData.split(r, validationFraction, foldConfig.seed()),
                    List.of(TrainingData.split(d, validationFraction, foldConfig.seed())), foldConfig);
            trainedOn.add(FeatureBatch.concatenate(List.of(r, d)));
        }
    }

    private static int[] rowsOutside(int[] parts, int part) {
        return java.util.stream.IntStream.range(0, parts.length).filter(i -> parts[i] != part).toArray();
    }

    /** The part of each event of {@code batch}: the one whose classifier scores it, and the only one that did not learn from it. */
    public int[] parts(FeatureBatch batch) {
        int size = batch.rowSize();
        int[] parts = new int[batch.rows()];
        for (int r = 0; r < parts.length; r++) {
            long h = 0x9E3779B97F4A7C15L;
            for (int f = 0; f < size; f++) {
                h = mix(h ^ Float.floatToIntBits(batch.values()[r * size + f]));
            }
            parts[r] = (int) Long.remainderUnsigned(h, folds.size());
        }
        return parts;
    }

    /** SplitMix64's finaliser (Steele, Lea, Flood 2014): every input bit changes about half the output bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The events part {@code part}'s classifier learned from, reference then data; only after {@link #fit}, in this process. */
    public FeatureBatch trainedOn(int part) {
        if (trainedOn.isEmpty()) {
            throw new IllegalStateException("data-vs-reference was not fitted in this process");
        }
        return trainedOn.get(part);
    }

    @Override
    public float[] score(FeatureBatch batch) {
        int[] parts = parts(batch);
        float[] scores = new float[batch.rows()];
        for (int k = 0; k < folds.size(); k++) {
            int part = k;
            int[] rows = java.util.stream.IntStream.range(0, parts.length).filter(i -> parts[i] == part).toArray();
            if (rows.length == 0) {
                continue;
            }
            float[] partScores = folds.get(k).score(batch.select(rows));
            for (int i = 0; i < rows.length; i++) {
                scores[rows[i]] = partScores[i];
            }
        }
        return scores;
    }

    @Override
    public long parameterCount() {
        return folds.stream().mapToLong(Detector::parameterCount).sum();
    }

    /** The first part's training history. */
    @Override
    public TrainingHistory history() {
        return folds.get(0).history();
    }

    @Override
    public List<Path> save(Path directory) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int k = 0; k < folds.size(); k++) {
            files.addAll(folds.get(k).save(Files.createDirectories(directory.resolve("fold-" + (k + 1)))));
        }
        return files;
    }

    @Override
    public void load(Path directory, int[] inputShape, TrainingHistory history) throws IOException {
        for (int k = 0; k < folds.size(); k++) {
            folds.get(k).load(directory.resolve("fold-" + (k + 1)), inputShape, history);
        }
    }

    @Override
    public void close() {
        folds.forEach(Detector::close);
    }
}
