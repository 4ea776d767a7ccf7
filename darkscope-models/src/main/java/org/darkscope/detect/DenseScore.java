package org.darkscope.detect;

/**
 * How a dense network's output becomes a score in plain Java: the reconstruction error of the
 * autoencoders ({@link SquaredError}), or the network's single output itself, a classifier's
 * log-odds ({@link Output}), or Deep SVDD's squared distance to its target ({@link DistanceToCentre}). Each has a form for a block of events and one for a single event,
 * with the same operations in the same order: the same bits.
 */
sealed interface DenseScore permits DenseScore.SquaredError, DenseScore.Output, DenseScore.DistanceToCentre {

    /** The scores of a block of {@code rows} events from their input and the network's output (both feature-major). */
    void score(float[][] input, float[][] output, int rows, float[] scores, int offset);

    /** The score of one event, row-major. */
    float one(float[] input, float[] output);

    /** This score where the network runs in the fixed-point {@code type}: its own constants coded in the type. */
    default DenseScore quantised(FixedPoint type) {
        return this;
    }

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

    /** Deep SVDD's score: per event the sum over outputs of {@code (output - centre)^2} in float, in order. */
    record DistanceToCentre(float[] centre) implements DenseScore {
        @Override
        public void score(float[][] input, float[][] output, int rows, float[] scores, int offset) {
            java.util.Arrays.fill(scores, offset, offset + rows, 0f);
            for (int f = 0; f < centre.length; f++) {
                float[] y = output[f];
                float c = centre[f];
                for (int e = 0; e < rows; e++) {
                    float d = y[e] - c;
                    scores[offset + e] += d * d;
                }
            }
        }

        @Override
        public float one(float[] input, float[] output) {
            float sum = 0f;
            for (int f = 0; f < centre.length; f++) {
                float d = output[f] - centre[f];
                sum += d * d;
            }
            return sum;
        }

        /** The centre coded in the type, as firmware would hold it. */
        @Override
        public DistanceToCentre quantised(FixedPoint type) {
            float[] coded = new float[centre.length];
            for (int i = 0; i < coded.length; i++) {
                coded[i] = (float) type.quantize(centre[i]); // exact: at most 20 significant bits
            }
            return new DistanceToCentre(coded);
        }
    }
}
