package org.darkscope.detect;

import java.nio.file.Path;
import java.util.List;
import org.darkscope.feature.FeatureBatch;

/**
 * {@code s2s1}: the physics discriminant of direct detection. A nuclear recoil (a WIMP's) leaves
 * less charge for its light than an electron recoil (the background), so its S2/S1 is smaller;
 * the score is -log10(S2/S1), higher meaning more anomalous. S1 and S2 are the sums of image
 * channels, as {@code darkscope simulate-tpc} lays them out (S2: channel 0, S1: channels 1 and 2;
 * settings {@code s2-channels} and {@code s1-channels} for other layouts), read in raw units
 * ({@code image-raw}: photoelectrons). No training. Sums below 1e-3 count as 1e-3, so an empty
 * channel gives a finite score.
 */
public final class S2S1Baseline implements Detector {
    public static final Setting S2_CHANNELS = channels("s2-channels", "0", "image channels whose sum is S2 (0 = the first)");
    public static final Setting S1_CHANNELS = channels("s1-channels", "1,2", "image channels whose sum is S1");
    public static final List<Setting> SETTINGS = List.of(S2_CHANNELS, S1_CHANNELS);
    private static final double FLOOR = 1e-3;

    private final Hyperparameters hyperparameters;
    private final int[] s2;
    private final int[] s1;

    public S2S1Baseline(Hyperparameters settings) {
        this.hyperparameters = Setting.complete("s2s1", settings, SETTINGS);
        this.s2 = parse(S2_CHANNELS.text(hyperparameters));
        this.s1 = parse(S1_CHANNELS.text(hyperparameters));
    }

    private static Setting channels(String name, String defaultValue, String meaning) {
        return Setting.of(name, "channel list", "comma-separated channel numbers, 0 to 63", defaultValue, meaning,
                v -> v.matches("(\\d{1,2},)*\\d{1,2}") && java.util.Arrays.stream(parse(v)).allMatch(c -> c < 64));
    }

    private static int[] parse(String channels) {
        return java.util.Arrays.stream(channels.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    @Override
    public String name() {
        return "s2s1";
    }

    @Override
    public boolean learns() {
        return false;
    }

    @Override
    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    @Override
    public void fit(TrainingData background, TrainingConfig config) {
        requireChannels(background.train().shape());
    }

    private void requireChannels(int[] shape) {
        if (shape.length != 3) {
            throw new IllegalArgumentException("s2s1 reads images (channels x height x width), got the shape " + java.util.Arrays.toString(shape));
        }
        for (int[] channels : new int[][] {s2, s1}) {
            for (int c : channels) {
                if (c >= shape[0]) {
                    throw new IllegalArgumentException("s2s1: channel " + c + " of images with " + shape[0] + " channels");
                }
            }
        }
    }

    @Override
    public float[] score(FeatureBatch batch) {
        requireChannels(batch.shape());
        int pixels = batch.shape()[1] * batch.shape()[2];
        int size = batch.rowSize();
        float[] scores = new float[batch.rows()];
        for (int r = 0; r < batch.rows(); r++) {
            double s2Sum = Math.max(FLOOR, sum(batch.values(), r * size, pixels, s2));
            double s1Sum = Math.max(FLOOR, sum(batch.values(), r * size, pixels, s1));
            scores[r] = (float) -Math.log10(s2Sum / s1Sum);
        }
        return scores;
    }

    private static double sum(float[] values, int base, int pixels, int[] channels) {
        double s = 0;
        for (int c : channels) {
            for (int p = 0; p < pixels; p++) {
                s += values[base + c * pixels + p];
            }
        }
        return s;
    }

    @Override
    public List<Path> save(Path directory) {
        return List.of();
    }

    @Override
    public void load(Path directory, int[] inputShape, TrainingHistory history) {
    }
}
