package org.darkscope.detect;

/**
 * How a dense network's output becomes a score in plain Java: the reconstruction error of the
 * autoencoders ({@link SquaredError}), or the network's single output itself, a classifier's
 * log-odds ({@link Output}). Each has a form for a block of events and one for a single event,
 * with the same operations in the same order: the same bits.
 */
sealed interface DenseScore permits DenseScore.SquaredError, DenseScore.Output {

    /** The scores of a block of {@code rows} events from their input and the network's output (both feature-major). */
    void score(float[][] input, float[][] output, int rows, float[] scores, int offset);

    /** The score of one event, row-major. */
    float one(float[] input, float[] output);

    /**
     * The reconstruction error: per event the sum over features of {@code (output - input)^2} in
     * float, the features added in order, divided by {@code divisor}.
     */
    record SquaredError(float divisor) implements DenseScore {
        @Override
        public void score(float[][] input, float[][] output, int rows, float[] scores, int offset) {
            java.util.Arrays.fill(scores, offset, offset + rows, 0f); // the sums build up in place
            for (int f = 0; f < input.length; f++) {
                float[] x = input[f];
                float[] y = output[f];
                for (int e = 0; e < rows; e++) {
                    float d = y[e] - x[e];
                    scores[offset + e] += d * d;
                }
            }
            for (int e = 0; e < rows; e++) {
                scores[offset + e] /= divisor;
            }
        }

        @Override
        public float one(float[] input, float[] output) {
            float sum = 0f;
            for (int f = 0; f < output.length; f++) {
                float d = output[f] - input[f];
                sum += d * d;
            }
            return sum / divisor;
        }
    }

    /** The network's one output is the score (a classifier's log-odds). */
    record Output() implements DenseScore {
        @Override
        public void score(float[][] input, float[][] output, int rows, float[] scores, int offset) {
            System.arraycopy(output[0], 0, scores, offset, rows);
        }

        @Override
        public float one(float[] input, float[] output) {
            return output[0];
        }
    }
}
