package org.darkscope.detect;

/**
 * A detector whose model was made elsewhere (an ONNX file from PyTorch or Keras): it reads one
 * encoding's raw features, not standardised (any standardisation is the model's own), and learns
 * nothing from background; training only makes its bundle.
 */
public interface ExternalModel extends Detector {
    /** The encoding whose raw features the model reads. */
    String encoding();

    @Override
    default boolean learns() {
        return false;
    }
}
