package org.darkscope.spark;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkFiles;
import org.darkscope.bundle.EventFingerprints;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;

/**
 * The model bundle on an executor: shipped once with {@code SparkContext.addFile} and loaded once
 * per executor JVM, not per row or per partition. Loaded models stay for the JVM's life.
 */
final class ModelCache {
    private static final Map<String, TrainedModel> MODELS = new ConcurrentHashMap<>();
    private static final Map<String, EventFingerprints> TRAINING_EVENTS = new ConcurrentHashMap<>();

    private ModelCache() {
    }

    /** The model shipped under {@code name} (the bundle directory's file name). */
    static TrainedModel get(String name) {
        return MODELS.computeIfAbsent(name, n -> ModelBundle.load(Path.of(SparkFiles.get(n))));
    }

    /** The sample of the training events' fingerprints of the model shipped under {@code name}. */
    static EventFingerprints trainingEvents(String name) {
        return TRAINING_EVENTS.computeIfAbsent(name, n -> ModelBundle.trainingEvents(Path.of(SparkFiles.get(n))));
    }
}
