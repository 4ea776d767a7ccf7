package org.darkscope.detect;

/**
 * A detector whose model was made elsewhere (an ONNX file from PyTorch or Keras): it reads one
 * encoding's raw features, not standardised (any standardisation is the model's own), and learns
 * nothing from background; training only makes its bundle.
 */
public interface ExternalModel extends Detector {
    /** The encoding whose raw features the model reads. */
    String encoding();

    /** The encoder of its input: the encoding's raw features, standardised by nothing (any standardisation is the model's own). */
    default org.darkscope.feature.FittedEncoder rawEncoder() {
        org.darkscope.feature.Encoding raw = org.darkscope.feature.Encodings.byName(encoding());
        return new org.darkscope.feature.FittedEncoder(raw, org.darkscope.feature.Standardizer.identity(raw.size()));
    }

    @Override
    default java.util.Optional<String> ownEncoding() {
        return java.util.Optional.of(encoding());
    }

    @Override
    default String encodingRefused(String asked) {
        return name() + " reads the encoding of its setting encoding=" + encoding() + ", not --encoding " + asked;
    }

    @Override
    default boolean learns() {
        return false;
    }
}
