package org.darkscope.detect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.darkscope.event.Event;
import org.darkscope.feature.Encodings;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.feature.FittedEncoder;
import org.darkscope.io.BundledSample;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;

/**
 * The bundled sample split for tests: background for training, held-out background and the
 * gluino signal for judging. Read once per test JVM.
 */
final class SampleEvents {
    static final List<Event> BACKGROUND;
    static final List<Event> SIGNAL;

    static {
        try {
            Path dir = BundledSample.extractTo(Files.createTempDirectory("darkscope-sample"));
            BACKGROUND = EventFiles.read(dir.resolve(BundledSample.BACKGROUND), ParseMode.STRICT, -1);
            SIGNAL = EventFiles.read(dir.resolve(BundledSample.SIGNALS.get(0)), ParseMode.STRICT, 1000);
            try (var files = Files.list(dir)) { // read: the copies go, not left in the temporary directory by every test run
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private SampleEvents() {
    }

    /** Background events for training: the first 60 %. */
    static List<Event> trainBackground() {
        return BACKGROUND.subList(0, BACKGROUND.size() * 3 / 5);
    }

    /** Background events never trained on: the last 40 %. */
    static List<Event> heldOutBackground() {
        return BACKGROUND.subList(BACKGROUND.size() * 3 / 5, BACKGROUND.size());
    }

    /** Encoder for {@code encoding}, fitted on the training background. */
    static FittedEncoder encoder(String encoding) {
        return FittedEncoder.fit(Encodings.byName(encoding), trainBackground());
    }

    /** The training background encoded by {@code encoder}, split 80/20, its features named (units and counts as the features are). */
    static TrainingData trainingData(FittedEncoder encoder) {
        TrainingData split = TrainingData.split(encoder.encode(trainBackground()), 0.2, 1);
        return new TrainingData(split.train(), split.validation(), split.units(), split.countSpacing(), encoder.encoding().featureNames());
    }

    static FeatureBatch encode(FittedEncoder encoder, List<Event> events) {
        return encoder.encode(events);
    }
}
