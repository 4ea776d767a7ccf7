package org.darkscope.bundle;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.darkscope.DarkscopeVersion;
import org.darkscope.Pipeline;
import org.darkscope.detect.TrainingConfig;
import org.darkscope.detect.TrainingData;
import org.darkscope.event.Event;
import org.darkscope.feature.FittedEncoder;
import org.darkscope.select.Channel;

/**
 * What a bundle records about how its model was made that the detector itself cannot tell:
 * the fitted encoder, the channel, the training files and settings, the versions, and a sample of
 * the training events' fingerprints. With the detector it makes the {@link Manifest}.
 */
public record Provenance(String darkscopeVersion, String created, FittedEncoder.State encoder, String channel,
                         List<Manifest.TrainingFile> trainingFiles, long trainedOnEvents, long validationEvents,
                         Manifest.Training training, Map<String, String> libraryVersions, EventFingerprints trainingEvents) {

    /**
     * The provenance of a model a program trained on events it holds in memory (no training
     * files to name): {@code events} encoded by {@code encoder}, split into {@code data}, trained
     * with {@code config}; the events are recorded by their fingerprints.
     */
    public static Provenance ofEvents(FittedEncoder encoder, Channel channel, List<Event> events, TrainingData data,
                                      TrainingConfig config) {
        EventFingerprints fingerprints = EventFingerprints.empty();
        events.forEach(fingerprints::add);
        long train = data.train().rows();
        long validation = data.validation().rows();
        return new Provenance(DarkscopeVersion.get(), Instant.now().toString(), encoder.state(), channel.cliName(), List.of(),
                train, validation, new Manifest.Training(config.seed(), config.epochs(), config.batchSize(), config.learningRate(),
                        (double) validation / (train + validation), -1, data.weighted()), Pipeline.libraryVersions(), fingerprints);
    }
}
