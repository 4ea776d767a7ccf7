package org.darkscope.examples;

import java.util.List;
import org.darkscope.detect.DetectorProvider;
import org.darkscope.detect.Detectors;
import org.darkscope.feature.EventLevelEncoding;

/**
 * Adds {@link MahalanobisDistance} to darkscope as {@code mahalanobis}, reading the event-level
 * quantities by default; listed in {@code META-INF/services/org.darkscope.detect.DetectorProvider}.
 */
public final class ExampleDetectors implements DetectorProvider {
    @Override
    public List<Detectors.Kind> detectors() {
        return List.of(new Detectors.Kind("mahalanobis", EventLevelEncoding.NAME, MahalanobisDistance.SETTINGS, MahalanobisDistance::new,
                "the squared Mahalanobis distance from the background's mean (Mahalanobis 1936): -2 log p(x) of a Gaussian"
                        + " background, up to a constant"));
    }
}
