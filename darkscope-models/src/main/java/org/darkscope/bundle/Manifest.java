package org.darkscope.bundle;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.darkscope.feature.FittedEncoder;

/**
 * The provenance and settings of a trained model, stored as {@code manifest.json} in its bundle:
 * what data (files with SHA-256 and event counts), which settings, which versions made it, what
 * training did, and a checksum for every other file of the bundle.
 */
public record Manifest(
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("darkscope_version") String darkscopeVersion,
        @JsonProperty("created") String created,
        @JsonProperty("detector") String detector,
        @JsonProperty("hyperparameters") Map<String, String> hyperparameters,
        @JsonProperty("parameters") long parameters,
        @JsonProperty("encoder") FittedEncoder.State encoder,
        @JsonProperty("channel") String channel,
        @JsonProperty("training_files") List<TrainingFile> trainingFiles,
        @JsonProperty("trained_on_events") long trainedOnEvents,
        @JsonProperty("validation_events") long validationEvents,
        @JsonProperty("training") Training training,
        @JsonProperty("library_versions") Map<String, String> libraryVersions,
        @JsonProperty("history") History history,
        @JsonProperty("files") Map<String, String> files) {

    /**
     * A file training read: {@code sample} says what it was, {@code background}, or for the
     * detectors that learn from other samples too {@code signal} (with the signal model's number,
     * 1 for the first, where there are several) or {@code data}.
     */
    public record TrainingFile(@JsonProperty("path") String path, @JsonProperty("sha256") String sha256,
                               @JsonProperty("events") long events, @JsonProperty("bad_lines") long badLines,
                               @JsonProperty("outside_channel") long outsideChannel, @JsonProperty("sample") String sample) {
        /** What bundles before the sample was recorded trained on. */
        public static final String BACKGROUND = "background";
    }

    /**
     * The training settings; {@code weighted}: the events counted by their weights
     * ({@code train --weighted}), false where each counted once (and in bundles from before it).
     */
    public record Training(@JsonProperty("seed") long seed, @JsonProperty("epochs") int epochs,
                           @JsonProperty("batch_size") int batchSize, @JsonProperty("learning_rate") double learningRate,
                           @JsonProperty("validation_fraction") double validationFraction,
                           @JsonProperty("max_events") long maxEvents, @JsonProperty("weighted") boolean weighted) {
        /** Settings of a training that counted each event once. */
        public Training(long seed, int epochs, int batchSize, double learningRate, double validationFraction, long maxEvents) {
            this(seed, epochs, batchSize, learningRate, validationFraction, maxEvents, false);
        }
    }

    /** Per-epoch losses and what the divergence guard did. */
    public record History(@JsonProperty("epochs") List<Epoch> epochs, @JsonProperty("best_epoch") int bestEpoch,
                          @JsonProperty("recoveries") List<String> recoveries,
                          @JsonProperty("stop_reason") String stopReason) {
    }

    /** One epoch of training. */
    public record Epoch(@JsonProperty("epoch") int epoch, @JsonProperty("loss") double loss,
                        @JsonProperty("validation_loss") double validationLoss,
                        @JsonProperty("learning_rate") double learningRate,
                        @JsonProperty("events_per_second") double eventsPerSecond) {
    }
}
