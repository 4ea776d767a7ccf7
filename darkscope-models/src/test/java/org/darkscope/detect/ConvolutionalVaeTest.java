package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
