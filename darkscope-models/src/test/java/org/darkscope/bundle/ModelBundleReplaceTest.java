package org.darkscope.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.darkscope.Pipeline;
import org.darkscope.detect.Hyperparameters;
import org.darkscope.detect.TrainingConfig;
import org.darkscope.io.BundledSample;
import org.darkscope.io.ParseMode;
import org.darkscope.select.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replacing a bundle keeps one complete bundle on disk at every moment, and never replaces anything else. */
class ModelBundleReplaceTest {
    @TempDir
    Path dir;

    private Manifest train(Path out) {
        Path background = BundledSample.extractTo(dir.resolve("sample")).resolve(BundledSample.BACKGROUND);
        return Pipeline.train(new Pipeline.TrainRequest("ht", Hyperparameters.empty(), null, List.of(background), Channel.CHAN1, 200,
                0.2, ParseMode.STRICT, TrainingConfig.defaults(1, 1)), out).manifest();
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aNewBundleReplacesTheOldAndLeavesNothingElse() throws IOException {
        Path model = dir.resolve("ht.model");
        train(model);
        Manifest second = train(model);
        assertEquals(second.created(), ModelBundle.readManifest(model).created());
        assertEquals(List.of("ht.model", "sample"), names());
    }

    @Test
    void whenTheNewCannotBeMovedInTheOldIsPutBack() throws IOException {
        Path model = dir.resolve("ht.model");
        Manifest old = train(model);
        assertThrows(IOException.class, () -> ModelBundle.replace(dir.resolve("no-such-new-bundle"), model));
        assertTrue(ModelBundle.isBundle(model));
        assertEquals(old.created(), ModelBundle.readManifest(model).created());
        assertEquals(List.of("ht.model", "sample"), names());
    }

    @Test
    void aDirectoryWithAForeignManifestIsNotABundleAndIsKept() throws IOException {
        Path foreign = Files.createDirectories(dir.resolve("results"));
        Files.writeString(foreign.resolve(ModelBundle.MANIFEST), "{\"name\": \"someone else's\"}");
        assertFalse(ModelBundle.isBundle(foreign));
        assertThrows(java.io.UncheckedIOException.class, () -> train(foreign));
        assertEquals("{\"name\": \"someone else's\"}", Files.readString(foreign.resolve(ModelBundle.MANIFEST)));
    }
}
