package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.darkscope.event.Event;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.feature.FittedEncoder;
import org.darkscope.metric.RocCurve;
import org.darkscope.stats.RegionSearch;
import org.darkscope.stats.SearchSettings;
import org.junit.jupiter.api.Test;

/** The detectors that learn from other samples: classifier, hyperclass, data-vs-reference. */
class SampleClassifierTest {
    private static final int DIMENSIONS = 4;

    /** {@code n} events of a unit Gaussian in four dimensions, shifted by {@code shift} along {@code axis}. */
    private static FeatureBatch gaussian(int n, int axis, double shift, SplittableRandom random) {
        float[] values = new float[n * DIMENSIONS];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < DIMENSIONS; d++) {
                values[i * DIMENSIONS + d] = (float) (gaussian(random) + (d == axis ? shift : 0));
            }
        }
        return new FeatureBatch(values, n, new int[] {DIMENSIONS});
    }

    private static double gaussian(SplittableRandom random) { // Box-Muller
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static TrainingConfig config(int epochs) {
        return TrainingConfig.defaults(epochs, 3);
    }

    @Test
    void classifierSeparatesASeparableToyAndItsScoreIsTheLogOdds() {
        SplittableRandom random = new SplittableRandom(11);
        try (Classifier classifier = Classifier.supervised(Hyperparameters.empty().with(Classifier.HIDDEN, "16,16"))) {
            classifier.fit(TrainingData.split(gaussian(2000, -1, 0, random), 0.2, 1),
                    List.of(TrainingData.split(gaussian(2000, 0, 5, random), 0.2, 2)), config(20));
            float[] background = classifier.score(gaussian(2000, -1, 0, random));
            float[] signal = classifier.score(gaussian(2000, 0, 5, random));
            double auc = RocCurve.of(background, signal).auc();
            assertTrue(auc > 0.99, "AUC " + auc);
            // log-odds: negative where background is likely, positive where the signal is
            assertTrue(median(background) < -2 && median(signal) > 2, "medians " + median(background) + ", " + median(signal));
        }
    }

    /** On the object-set encoding the classifier is a Deep Sets network; gluino against background from the bundled sample. */
    @Test
    void onObjectSetsTheClassifierIsADeepSetsNetwork() {
        FittedEncoder encoder = SampleEvents.encoder("object-set");
        List<Event> signal = SampleEvents.SIGNAL;
        try (Classifier classifier = Classifier.supervised(Hyperparameters.empty().with(Classifier.HIDDEN, "16").with(Classifier.PHI, "16"))) {
            classifier.fit(SampleEvents.trainingData(encoder), List.of(TrainingData.split(encoder.encode(signal.subList(0, 500)), 0.2, 1)),
                    config(10));
            double auc = RocCurve.of(classifier.score(encoder.encode(SampleEvents.heldOutBackground())),
                    classifier.score(encoder.encode(signal.subList(500, signal.size())))).auc();
            assertTrue(auc > 0.8, "gluino against held-out background: AUC " + auc);
            assertTrue(classifier.parameterCount() > 0);
        }
    }

    private static double median(float[] scores) {
        float[] sorted = scores.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    @Test
    void hyperclassWeighsEverySignalModelAsOneWhateverItsSize() {
        SplittableRandom random = new SplittableRandom(5);
        FeatureBatch background = gaussian(1000, -1, 0, random);
        FeatureBatch small = gaussian(100, 0, 4, random);
        FeatureBatch large = gaussian(900, 1, 4, random);
        float[] targets = Classifier.labelsAndWeights(List.of(background, small, large));
        double[] sums = new double[3];
        int[] sizes = {1000, 100, 900};
        for (int row = 0, sample = 0, inSample = 0; row < 2000; row++, inSample++) {
            if (inSample == sizes[sample]) {
                sample++;
                inSample = 0;
            }
            assertEquals(sample == 0 ? 0f : 1f, targets[2 * row]);
            sums[sample] += targets[2 * row + 1];
        }
        assertEquals(1000, sums[0], 1e-3, "background: half the total weight");
        assertEquals(500, sums[1], 1e-3, "100 events of one model weigh as much as");
        assertEquals(500, sums[2], 1e-3, "900 of the other");

        try (Classifier hyperclass = Classifier.hyperclass(Hyperparameters.empty().with(Classifier.HIDDEN, "16,16"))) {
            hyperclass.fit(TrainingData.split(background, 0.2, 1), List.of(TrainingData.split(small, 0.2, 2),
                    TrainingData.split(large, 0.2, 3)), config(30));
            float[] b = hyperclass.score(gaussian(2000, -1, 0, random));
            double aucSmall = RocCurve.of(b, hyperclass.score(gaussian(2000, 0, 4, random))).auc();
            double aucLarge = RocCurve.of(b, hyperclass.score(gaussian(2000, 1, 4, random))).auc();
            assertTrue(aucSmall > 0.95 && aucLarge > 0.95, "AUC " + aucSmall + " (model of 100 events), " + aucLarge + " (900)");
        }
    }

    @Test
    void theyRefuseToLearnWithoutTheirSamples() {
        SplittableRandom random = new SplittableRandom(1);
        TrainingData background = TrainingData.split(gaussian(100, -1, 0, random), 0.2, 1);
        TrainingData one = TrainingData.split(gaussian(100, 0, 3, random), 0.2, 1);
        try (Classifier hyperclass = Classifier.hyperclass(Hyperparameters.empty());
             Classifier classifier = Classifier.supervised(Hyperparameters.empty());
             DataVsReference weak = new DataVsReference(Hyperparameters.empty())) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> hyperclass.fit(background, List.of(one), config(1)))
                    .getMessage().contains("at least 2 signal samples"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> classifier.fit(background, config(1)))
                    .getMessage().contains("--signal"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> weak.fit(background, List.of(one, one), config(1)))
                    .getMessage().contains("exactly 1 data sample"));
        }
    }

    /**
     * Every event of the data and of the reference is scored by the part whose classifier did not
     * learn from it, and every other part's classifier did learn from it: checked event by event,
     * by event ID, against the events each part's classifier was given.
     */
    @Test
    void noEventIsScoredByAClassifierThatLearnedFromIt() {
        FittedEncoder encoder = SampleEvents.encoder("event-level");
        List<Event> reference = SampleEvents.trainBackground().subList(0, 1500);
        List<Event> data = SampleEvents.heldOutBackground().subList(0, 1000);
        try (DataVsReference weak = new DataVsReference(Hyperparameters.empty().with(Classifier.HIDDEN, "8"))) {
            weak.fit(TrainingData.split(encoder.encode(reference), 0.2, 1), List.of(TrainingData.split(encoder.encode(data), 0.2, 2)),
                    config(2));
            List<Set<String>> learned = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                FeatureBatch rows = weak.trainedOn(k);
                Set<String> set = new HashSet<>();
                for (int r = 0; r < rows.rows(); r++) {
                    set.add(Arrays.toString(Arrays.copyOfRange(rows.values(), r * rows.rowSize(), (r + 1) * rows.rowSize())));
                }
                learned.add(set);
            }
            Map<String, Integer> perPart = new HashMap<>();
            List<Event> all = new ArrayList<>(reference);
            all.addAll(data);
            FeatureBatch encoded = encoder.encode(all);
            int[] parts = weak.parts(encoded);
            for (int i = 0; i < all.size(); i++) {
                String row = Arrays.toString(Arrays.copyOfRange(encoded.values(), i * encoded.rowSize(), (i + 1) * encoded.rowSize()));
                String id = (i < reference.size() ? "reference " : "data ") + all.get(i).eventId();
                for (int k = 0; k < 5; k++) {
                    if (k == parts[i]) {
                        assertFalse(learned.get(k).contains(row), id + " is scored by part " + k + ", which learned from it");
                    } else {
                        assertTrue(learned.get(k).contains(row), id + ": part " + k + " did not learn from it");
                    }
                }
                perPart.merge("part " + parts[i], 1, Integer::sum);
            }
            // the parts are about equal: 2,500 events, 500 expected in each
            perPart.values().forEach(n -> assertTrue(Math.abs(n - 500) < 5 * Math.sqrt(500 * 0.8), "part sizes " + perPart));
        }
    }

    /**
     * The cheaper calibration of the search on data-vs-reference: the search's toys on the
     * out-of-fold scores, without retraining. Background-only pseudo-data (reference and data
     * drawn without replacement from one background) give global p-values compatible with
     * uniform: over 200 seeded repetitions, each a five-fold training of small networks, the
     * Kolmogorov-Smirnov distance is below the 1 % critical value 1.63 / sqrt(200).
     */
    @Test
    void backgroundOnlySearchesOnDataVsReferenceGiveUniformGlobalPValues() {
        FittedEncoder encoder = SampleEvents.encoder("event-level");
        FeatureBatch pool = encoder.encode(SampleEvents.BACKGROUND);
        int repetitions = 200;
        int half = Math.min(600, pool.rows() / 2);
        double[] p = new double[repetitions];
        Hyperparameters small = Hyperparameters.empty().with(Classifier.HIDDEN, "8");
        for (int r = 0; r < repetitions; r++) {
            int[] order = org.darkscope.stats.RandomOrder.permutation(pool.rows(), new java.util.Random(r));
            FeatureBatch reference = pool.select(Arrays.copyOfRange(order, 0, half));
            FeatureBatch data = pool.select(Arrays.copyOfRange(order, half, 2 * half));
            try (DataVsReference weak = new DataVsReference(small)) {
                weak.fit(TrainingData.split(reference, 0.2, r), List.of(TrainingData.split(data, 0.2, r + 1)),
                        TrainingConfig.defaults(3, r));
                SearchSettings settings = new SearchSettings(List.of(1e-1, 3e-2, 1e-2), 0.8, 0.0, 0, 200, r);
                p[r] = RegionSearch.run(weak.score(reference), null, weak.score(data), settings).globalP();
            }
        }
        Arrays.sort(p);
        double d = 0;
        for (int i = 0; i < repetitions; i++) {
            d = Math.max(d, Math.max(Math.abs((i + 1.0) / repetitions - p[i]), Math.abs(p[i] - i / (double) repetitions)));
        }
        assertTrue(d < 1.63 / Math.sqrt(repetitions), "KS distance " + d + " to uniform; p-values " + Arrays.toString(p));
    }
}
