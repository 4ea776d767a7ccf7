package org.darkscope.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.darkscope.cli.Main;
import org.darkscope.detect.Detectors;
import org.darkscope.detect.Hyperparameters;
import org.darkscope.detect.NearestNeighbours;
import org.darkscope.detect.TrainingConfig;
import org.darkscope.detect.TrainingData;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.io.BundledSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API tour runs, and a detector of one's own plugs into the command line through the ServiceLoader. */
class ExamplesTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theApiTourRunsAndFindsTheGluinoSignal() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ApiTour.main(new String[] {dir.toString()});
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        double auc = Double.parseDouble(out.replaceAll("(?s).*AUC ([0-9.]+).*", "$1"));
        assertTrue(auc > 0.6 && auc < 1, out);
        assertTrue(out.contains("reloaded knn"), out);
        assertTrue(Files.isRegularFile(dir.resolve("knn.model").resolve("manifest.sha256")));
    }

    @Test
    void theTypedSettingIsCheckedAtOnce() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Hyperparameters.empty().with(NearestNeighbours.K, 0));
        assertTrue(e.getMessage().contains("k=0 is not allowed"), e.getMessage());
        assertEquals("30", Hyperparameters.empty().with(NearestNeighbours.K, 30).asMap().get("k"));
        assertEquals("16,4", Hyperparameters.empty().with(org.darkscope.detect.Autoencoder.HIDDEN, new int[] {16, 4}).asMap().get("hidden"));
    }

    /** For a Gaussian background the distance is chi-square distributed with d degrees of freedom: mean d. */
    @Test
    void mahalanobisDistanceOfGaussianEventsAveragesTheirDimension() {
        int d = 4;
        int n = 20000;
        SplittableRandom random = new SplittableRandom(3);
        float[] values = new float[n * d];
        for (int i = 0; i < n; i++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            values[i * d] = (float) a;
            values[i * d + 1] = (float) (0.8 * a + 0.6 * b); // correlated with the first
            values[i * d + 2] = (float) (3 * random.nextGaussian());
            values[i * d + 3] = (float) (random.nextGaussian() - 5);
        }
        FeatureBatch batch = new FeatureBatch(values, n, new int[] {d});
        MahalanobisDistance detector = new MahalanobisDistance(Hyperparameters.empty());
        detector.fit(new TrainingData(batch, batch.slice(0, 0)), TrainingConfig.defaults(1, 1));
        double mean = 0;
        for (float s : detector.score(batch)) {
            mean += s / n;
        }
        assertEquals(d, mean, 0.05 * d);
        double[][] identity = MahalanobisDistance.invert(MahalanobisDistance.invert(new double[][] {{2, 1}, {1, 3}}));
        assertArrayEquals(new double[] {2, 1}, identity[0], 1e-12);
    }

    /** mahalanobis is found by the ServiceLoader: info, train --help, train, score and benchmark take it like a built-in detector. */
    @Test
    void theOwnDetectorPlugsIntoTheCommandLine() throws IOException {
        assertTrue(Detectors.kinds().stream().anyMatch(k -> k.name().equals("mahalanobis")));
        Run info = cli("info", "--detector", "mahalanobis");
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("ridge=1.0E-6  (a number, >= 0 and <= 1000)"), info.out());
        BundledSample.Split split = BundledSample.extractAndSplit(dir.resolve("sample"), 0.6, "train.csv.gz", "test.csv.gz");
        Path model = dir.resolve("mahalanobis.model");
        Run train = cli("train", "--detector", "mahalanobis", "--set", "ridge=1e-4", "--background", split.first().toString(),
                "--out", model.toString());
        assertEquals(0, train.code(), train.err());
        Run typo = cli("train", "--detector", "mahalanobis", "--set", "rigde=1", "--background", split.first().toString(),
                "--out", dir.resolve("typo.model").toString());
        assertEquals(2, typo.code(), typo.err());
        Path scores = dir.resolve("scores.csv");
        assertEquals(0, cli("score", "--model", model.toString(), "--out", scores.toString(), split.signal(0).toString()).code());
        List<String> lines = Files.readAllLines(scores);
        assertTrue(lines.size() > 100);
        Path bench = dir.resolve("bench");
        Run benchmark = cli("benchmark", "--train", split.first().toString(), "--background", split.rest().toString(), "--signal",
                split.signal(0).toString(), "--detectors", "met,mahalanobis", "--out", bench.toString());
        assertEquals(0, benchmark.code(), benchmark.err());
        assertTrue(Files.readString(bench.resolve("results.md")).contains("mahalanobis"));
    }
}
