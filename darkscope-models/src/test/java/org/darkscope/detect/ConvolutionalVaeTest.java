package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.darkscope.feature.FeatureBatch;
import org.darkscope.feature.FittedEncoder;
import org.junit.jupiter.api.Test;

class ConvolutionalVaeTest {
    @Test
    void hasTheTalksParameterCount() {
        // Keras summary of the talk's model, worked by hand layer by layer (HWC input 1x14x4):
        // conv 4*4*32+32 = 544; conv 32*4*32+32 = 4128; dense 224*50+50 = 11250; dense 50*16+16 = 816;
        // z_mean and z_log_var 2 * (16*4+4) = 136; dense 4*56+56 = 280; deconv 4*4*32+32 = 544;
        // deconv 32*4*20+20 = 2580; deconv 20*4*4+4 = 324.
        long expected = 544 + 4128 + 11250 + 816 + 136 + 280 + 544 + 2580 + 324;
        assertEquals(20_602, expected);
        try (ConvolutionalVae vae = new ConvolutionalVae(Hyperparameters.empty())) {
            vae.fit(SampleEvents.trainingData(SampleEvents.encoder("conv-14x4")), TrainingConfig.defaults(1, 3));
            assertEquals(expected, vae.parameterCount());
        }
    }

    /**
     * Its events are scored {@link ConvolutionalVae#SCORING_BATCH} at a time: events across three
     * such passes get the bits each gets in blocks of 7, the three left over too (scored in a pass
     * of their own, they differed in the last place: a pass of one to three events sums in
     * another order, see {@link NeuralDetector#SMALLEST_PASS}).
     */
    @Test
    void scoresDoNotDependOnHowTheEventsAreBatched() {
        FittedEncoder encoder = SampleEvents.encoder("conv-14x4-sym");
        FeatureBatch once = SampleEvents.encode(encoder, SampleEvents.SIGNAL);
        int n = 2 * ConvolutionalVae.SCORING_BATCH + 3; // 2051, a multiple of 7
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i % once.rows();
        }
        FeatureBatch events = once.select(rows);
        try (ConvolutionalVae vae = new ConvolutionalVae(Hyperparameters.empty())) {
            vae.fit(SampleEvents.trainingData(encoder), TrainingConfig.defaults(1, 3));
            float[] all = vae.score(events);
            for (int from = 0; from < n; from += 7) {
                float[] small = vae.score(events.slice(from, Math.min(n, from + 7)));
                for (int i = 0; i < small.length; i++) {
                    assertEquals(Float.floatToIntBits(all[from + i]), Float.floatToIntBits(small[i]), "event " + (from + i));
                }
            }
        }
    }
}
