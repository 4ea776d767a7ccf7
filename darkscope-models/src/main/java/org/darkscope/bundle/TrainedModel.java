package org.darkscope.bundle;

import java.util.List;
import org.darkscope.detect.Detector;
import org.darkscope.event.Event;
import org.darkscope.feature.FittedEncoder;

/**
 * A loaded model: its manifest, the fitted encoder and the detector. Immutable in use: scoring
 * applies the stored encoder and never refits anything. Close it to free native memory.
 */
public record TrainedModel(Manifest manifest, FittedEncoder encoder, Detector detector) implements AutoCloseable {

    /** Encodes and scores events; one score per event, higher is more anomalous. */
    public float[] score(List<Event> events) {
        return detector.score(encoder.encode(events));
    }

    @Override
    public void close() {
        detector.close();
    }
}
