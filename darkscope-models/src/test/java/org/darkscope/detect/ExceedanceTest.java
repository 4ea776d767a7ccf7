package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.darkscope.feature.DensityUnits;
import org.darkscope.feature.FeatureBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code exceedance} against counting by hand, and the properties its score must have. */
class ExceedanceTest {
    private static final List<String> NAMES = List.of("log_met", "log_ht", "n_bjet", "n_lepton");
    private static final FeatureBatch NONE = new FeatureBatch(new float[0], 0, new int[] {4});

    /** n events of four features: two continuous, two small counts (ties, as object counts give). */
    private static FeatureBatch events(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n * 4];
        for (int i = 0; i < n; i++) {
            v[4 * i] = (float) random.nextGaussian();
            v[4 * i + 1] = (float) (0.6 * v[4 * i] + random.nextGaussian()); // correlated with the first, as HT with MET
            v[4 * i + 2] = random.nextInt(3);
            v[4 * i + 3] = random.nextInt(2) + random.nextInt(2);
        }
        return new FeatureBatch(v, n, new int[] {4});
    }

    private static Exceedance fitted(FeatureBatch train, String variables) {
        Exceedance detector = new Exceedance(Hyperparameters.empty().with("variables", variables));
        detector.fit(new TrainingData(train, NONE, DensityUnits.NONE, new double[0], NAMES), TrainingConfig.defaults(1, 1));
        return detector;
    }

    @Test
    void scoreIsMinusLog10OfTheFractionOfTrainingEventsAtLeastAsLargeInEveryVariable() {
        FeatureBatch train = events(3000, 1);
        FeatureBatch queries = events(500, 2);
        int[][] columnSets = {{0, 1, 3}, {0}, {3, 1}, {0, 1, 2, 3}};
        for (int[] columns : columnSets) {
            String variables = String.join(",", java.util.Arrays.stream(columns).mapToObj(NAMES::get).toList());
            float[] scores = fitted(train, variables).score(queries);
            for (int r = 0; r < queries.rows(); r++) {
                int count = 0;
                for (int i = 0; i < train.rows(); i++) {
                    boolean all = true;
                    for (int c : columns) {
                        all &= train.values()[4 * i + c] >= queries.values()[4 * r + c];
                    }
                    count += all ? 1 : 0;
                }
                assertEquals(Math.log10((train.rows() + 1.0) / (count + 1.0)), scores[r], 1e-5, variables + ", query " + r);
            }
        }
    }

    @Test
    void onlyTheOrderOfEachVariableCounts() {
        FeatureBatch train = events(1000, 3);
        FeatureBatch queries = events(200, 4);
        // every feature through its own increasing map (a logarithm, a standardisation): the same scores
        java.util.function.UnaryOperator<FeatureBatch> remap = b -> {
            float[] v = b.values().clone();
            for (int i = 0; i < v.length; i++) {
                v[i] = i % 4 == 0 ? (float) Math.exp(v[i]) : i % 4 == 1 ? 3 * v[i] - 7 : i % 4 == 3 ? v[i] * v[i] * v[i] + 1 : v[i];
            }
            return new FeatureBatch(v, b.rows(), new int[] {4});
        };
        assertArrayEquals(fitted(train, "log_met,log_ht,n_lepton").score(queries),
                fitted(remap.apply(train), "log_met,log_ht,n_lepton").score(remap.apply(queries)));
    }

    @Test
    void harderInEveryVariableIsNeverLessAnomalousAndBeyondAllTheBackgroundIsTheMost() {
        FeatureBatch train = events(2000, 5);
        Exceedance detector = fitted(train, "log_met,log_ht,n_lepton");
        float[] event = events(1, 6).values();
        float[] harder = event.clone();
        harder[0] += 0.5f;
        harder[3] += 1;
        float[] scores = detector.score(new FeatureBatch(concat(event, harder, new float[] {99, 99, 0, 99}), 3, new int[] {4}));
        assertTrue(scores[1] >= scores[0], scores[0] + " then " + scores[1]);
        assertEquals(Math.log10(train.rows() + 1.0), scores[2], 1e-5, "no training event as hard: -log10(1 / (N + 1))");
    }

    private static float[] concat(float[]... parts) {
        float[] all = new float[parts.length * 4];
        for (int p = 0; p < parts.length; p++) {
            System.arraycopy(parts[p], 0, all, 4 * p, 4);
        }
        return all;
    }

    @Test
    void reloadsToTheSameScoresAndRefusesACutFile(@TempDir Path dir) throws IOException {
        FeatureBatch train = events(500, 7);
        FeatureBatch queries = events(100, 8);
        Exceedance detector = fitted(train, "log_ht,n_lepton");
        detector.save(dir);
        Exceedance loaded = new Exceedance(Hyperparameters.empty().with("variables", "log_ht,n_lepton"));
        loaded.load(dir, new int[] {4}, null);
        assertArrayEquals(detector.score(queries), loaded.score(queries));
        assertEquals(List.of(1, 3), java.util.Arrays.stream(loaded.columns()).boxed().toList());
        byte[] bytes = Files.readAllBytes(dir.resolve("exceedance.bin"));
        Files.write(dir.resolve("exceedance.bin"), java.util.Arrays.copyOf(bytes, bytes.length - 4));
        assertThrows(java.io.EOFException.class, () -> new Exceedance(Hyperparameters.empty().with("variables", "log_ht,n_lepton"))
                .load(dir, new int[] {4}, null));
        IOException wider = assertThrows(IOException.class, () -> new Exceedance(Hyperparameters.empty().with("variables", "log_ht,n_lepton"))
                .load(dir, new int[] {2}, null));
        assertTrue(wider.getMessage().contains("n_lepton at feature 3; the encoding has 2"), wider.getMessage());
    }

    /** The k-d tree's count against a scan, where ties are the rule: coordinates on a few values, queries on them too. */
    @Test
    void theTreeCountsAsAScanDoes() {
        SplittableRandom random = new SplittableRandom(10);
        for (int k = 1; k <= 4; k++) {
            for (int n : new int[] {1, 15, 17, 1000, 20_000}) {
                float[][] columns = new float[k][n];
                for (int c = 0; c < k; c++) {
                    for (int i = 0; i < n; i++) {
                        columns[c][i] = c % 2 == 0 ? random.nextInt(5) : (float) random.nextGaussian();
                    }
                }
                OrthantCounter tree = new OrthantCounter(columns);
                int[] all = java.util.stream.IntStream.range(0, k).toArray();
                for (int q = 0; q < 200; q++) {
                    float[] query = new float[k];
                    for (int c = 0; c < k; c++) { // half the queries on a training event's own values
                        query[c] = q % 2 == 0 ? columns[c][random.nextInt(n)] : (float) (2 * random.nextGaussian() + 1);
                    }
                    long scanned = 0;
                    for (int i = 0; i < n; i++) {
                        boolean in = true;
                        for (int c = 0; c < k; c++) {
                            in &= columns[c][i] >= query[c];
                        }
                        scanned += in ? 1 : 0;
                    }
                    assertEquals(scanned, tree.atLeast(query, 0, all), "k=" + k + " n=" + n + " query " + q);
                }
            }
        }
    }

    @Test
    void aVariableTheEncodingLacksIsRefusedNamingItsFeatures() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fitted(events(50, 9), "log_met,n_muon"));
        assertTrue(e.getMessage().contains("no feature n_muon") && e.getMessage().contains("log_met, log_ht, n_bjet, n_lepton"),
                e.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> new Exceedance(Hyperparameters.empty().with("variables", "log_met,log_met")));
        assertTrue(twice.getMessage().contains("variables"), twice.getMessage());
        IllegalArgumentException unnamed = assertThrows(IllegalArgumentException.class, () -> new Exceedance(Hyperparameters.empty())
                .fit(new TrainingData(events(50, 9), NONE), TrainingConfig.defaults(1, 1)));
        assertTrue(unnamed.getMessage().contains("feature names"), unnamed.getMessage());
    }
}
