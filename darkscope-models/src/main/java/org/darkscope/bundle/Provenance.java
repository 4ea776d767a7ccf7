package org.darkscope.bundle;

import java.util.List;
import java.util.Map;
import org.darkscope.feature.FittedEncoder;

/**
 * What a bundle records about how its model was made that the detector itself cannot tell:
 * the fitted encoder, the channel, the training files and settings, the versions, and a sample of
 * the training events' fingerprints. With the detector it makes the {@link Manifest}.
 */
public record Provenance(String darkscopeVersion, String created, FittedEncoder.State encoder, String channel,
                         List<Manifest.TrainingFile> trainingFiles, long trainedOnEvents, long validationEvents,
                         Manifest.Training training, Map<String, String> libraryVersions, EventFingerprints trainingEvents) {
}
