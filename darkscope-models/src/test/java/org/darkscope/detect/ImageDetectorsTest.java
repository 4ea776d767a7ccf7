package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.metric.RocCurve;
import org.junit.jupiter.api.Test;

/** The detectors of detector images: the S2/S1 baseline and the talk's convolutional VAE. */
class ImageDetectorsTest {
    @Test
    void s2s1IsMinusLog10OfTheChannelSums() {
        // two 3x2x2 images: channel 0 (S2) sums 400 and 100; channels 1 and 2 (S1) sum 4 + 6 and 2 + 3
        float[] values = {
            100, 100, 100, 100, 1, 1, 1, 1, 1.5f, 1.5f, 1.5f, 1.5f,
            25, 25, 25, 25, 0.5f, 0.5f, 0.5f, 0.5f, 0.75f, 0.75f, 0.75f, 0.75f};
        FeatureBatch batch = new FeatureBatch(values, 2, new int[] {3, 2, 2});
        S2S1Baseline s2s1 = new S2S1Baseline(Hyperparameters.empty());
        assertArrayEquals(new float[] {(float) -Math.log10(400 / 10.0), (float) -Math.log10(100 / 5.0)}, s2s1.score(batch), 1e-6f);
        S2S1Baseline swapped = new S2S1Baseline(Hyperparameters.empty().with(S2S1Baseline.S2_CHANNELS, "1,2")
                .with(S2S1Baseline.S1_CHANNELS, "0"));
        assertArrayEquals(new float[] {(float) Math.log10(400 / 10.0), (float) Math.log10(100 / 5.0)}, swapped.score(batch), 1e-6f);
        S2S1Baseline beyond = new S2S1Baseline(Hyperparameters.empty().with(S2S1Baseline.S1_CHANNELS, "3"));
        assertThrows(IllegalArgumentException.class, () -> beyond.score(batch));
        assertThrows(IllegalArgumentException.class, () -> new S2S1Baseline(Hyperparameters.empty().with(S2S1Baseline.S1_CHANNELS, "a")));
    }

    /**
     * 75x75x3: conv 3*128*9 + 128 = 3,584; the heads 2 * (128*25*25*256 + 256) = 40,960,512; the
     * decoder's dense 256*80,000 + 80,000 = 20,560,000; the transposed convolution 128*3*9 + 3 =
     * 3,459. PyTorch counts 61,527,555 for the same network (bench/torch_train.py image-cvae).
     */
    @Test
    void hasTheTalksParameterCount() {
        long expected = 3_584 + 40_960_512 + 20_560_000 + 3_459;
        assertEquals(61_527_555, expected);
        assertEquals(expected, ImageCvae.parameters(new int[] {3, 75, 75}));
        // the network built by DJL, on small images where training is quick: the same formula
        try (ImageCvae cvae = new ImageCvae(Hyperparameters.empty())) {
            cvae.fit(toyImages(64, false, new SplittableRandom(1)), TrainingConfig.defaults(1, 1));
            assertEquals(ImageCvae.parameters(new int[] {1, 6, 6}), cvae.parameterCount());
        }
    }

    /**
     * Trained on images with one bright 3x3 block in one of the four corners of a 6x6 picture, the
     * CVAE reconstructs a picture with the block shifted off the corners worse: the planted anomaly.
     */
    @Test
    void flagsAPlantedAnomaly() {
        SplittableRandom random = new SplittableRandom(2);
        try (ImageCvae cvae = new ImageCvae(Hyperparameters.empty())) {
            cvae.fit(toyImages(600, false, random), TrainingConfig.defaults(30, 3));
            float[] normal = cvae.score(toyImages(200, false, random).train());
            float[] anomalous = cvae.score(toyImages(200, true, random).train());
            double auc = RocCurve.of(normal, anomalous).auc();
            assertTrue(auc > 0.95, "AUC " + auc);
        }
    }

    @Test
    void refusesImagesItsStrideDoesNotDivide() {
        try (ImageCvae cvae = new ImageCvae(Hyperparameters.empty())) {
            FeatureBatch odd = new FeatureBatch(new float[2 * 25], 2, new int[] {1, 5, 5});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cvae.fit(TrainingData.split(odd, 0.5, 1), TrainingConfig.defaults(1, 1)));
            assertTrue(e.getMessage().contains("multiples of 3"), e.getMessage());
        }
    }

    /** 1x6x6 pictures: noise of 0.05 and a 3x3 block of brightness 1-2, in a random corner or (anomalous) off the corners. */
    static TrainingData toyImages(int n, boolean anomalous, SplittableRandom random) {
        float[] values = new float[n * 36];
        for (int i = 0; i < n; i++) {
            int row = anomalous ? 1 + random.nextInt(2) : 3 * random.nextInt(2);
            int col = anomalous ? 1 + random.nextInt(2) : 3 * random.nextInt(2);
            float brightness = 1 + (float) random.nextDouble();
            for (int p = 0; p < 36; p++) {
                int r = p / 6;
                int c = p % 6;
                boolean inBlock = r >= row && r < row + 3 && c >= col && c < col + 3;
                values[i * 36 + p] = (inBlock ? brightness : 0) + 0.05f * (float) random.nextGaussian();
            }
        }
        FeatureBatch batch = new FeatureBatch(values, n, new int[] {1, 6, 6});
        return new TrainingData(batch, batch.slice(0, Math.max(1, n / 5)));
    }
}
