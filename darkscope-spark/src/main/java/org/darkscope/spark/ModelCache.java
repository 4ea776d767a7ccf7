package org.darkscope.spark;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkFiles;
import org.darkscope.bundle.ModelBundle;
import org.darkscope.bundle.TrainedModel;

/**
 * The model bundle on an executor: shipped once with {@code SparkContext.addFile} and loaded once
 * per executor JVM, not per row or per partition. Loaded models stay for the JVM's life.
 */
final class ModelCache {
    private static final Map<String, TrainedModel> MODELS = new ConcurrentHashMap<>();

    private ModelCache() {
    }

    /** The model shipped under {@code name} (the bundle directory's file name). */
    static TrainedModel get(String name) {
        return MODELS.computeIfAbsent(name, n -> ModelBundle.load(Path.of(SparkFiles.get(n))));
    }
}
