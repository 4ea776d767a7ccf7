package org.darkscope.onnx;

import java.util.List;
import org.darkscope.detect.DetectorProvider;
import org.darkscope.detect.Detectors;
import org.darkscope.feature.EventLevelEncoding;

/** Adds {@link OnnxDetector} to darkscope as {@code onnx} (listed in {@code META-INF/services}). */
public final class OnnxDetectors implements DetectorProvider {
    @Override
    public List<Detectors.Kind> detectors() {
        return List.of(new Detectors.Kind("onnx", EventLevelEncoding.NAME, OnnxDetector.SETTINGS, OnnxDetector::new,
                "a model made elsewhere (PyTorch, Keras), run by ONNX Runtime on an encoding's raw features, nothing trained;"
                        + " score = its output, or the squared error of its reconstruction"));
    }
}
