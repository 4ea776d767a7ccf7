package org.darkscope.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.darkscope.feature.FittedEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming manifest reader reads what the bundle writer writes exactly as data binding does. */
class ManifestReaderTest {
    private static final ObjectMapper DATA_BINDING = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @TempDir
    Path dir;

    private static Manifest everyField() {
        Map<String, String> hyperparameters = new LinkedHashMap<>();
        hyperparameters.put("hidden", "64,16");
        hyperparameters.put("beta", "0.5");
        FittedEncoder.State encoder = new FittedEncoder.State("kinematic-56",
                new double[] {5.677329309563386, -0.0, 1e-300, 3.0e12}, new double[] {1.0, 0.1, 2.5e-7, 17.0});
        List<Manifest.TrainingFile> files = List.of(
                new Manifest.TrainingFile("data/sample/chan1/background_train.csv.gz", "ab".repeat(32), 1604, 2, 0, "background"),
                new Manifest.TrainingFile("/tmp/\u00e9v\u00e9nements \"quoted\".csv", "cd".repeat(32), 9_007_199_254_740_993L, 0, 17, "signal 2"));
        List<Manifest.Epoch> epochs = List.of(new Manifest.Epoch(1, 6.0e18, Double.NaN, 1e-3, 312_345.5),
                new Manifest.Epoch(2, 0.25, Double.POSITIVE_INFINITY, 5e-4, 0),
                new Manifest.Epoch(3, -1.5, Double.NEGATIVE_INFINITY, 2.5e-4, 1e-9));
        Manifest.History history = new Manifest.History(epochs, 2, List.of("epoch 2: loss not finite, restarted at half the rate"),
                "early stop");
        return new Manifest(1, "0.1.0-SNAPSHOT", "2026-11-23T00:55:39.603353315Z", "ae", hyperparameters, 9416, encoder,
                "chan1", files, 1283, 321, new Manifest.Training(-42, 20, 256, 1e-3, 0.2, -1),
                Map.of("darkscope", "0.1.0-SNAPSHOT", "pytorch", "2.5.1"), history,
                Map.of("parameters.bin", "ef".repeat(32)));
    }

    @Test
    void readsEveryFieldTheWriterWritesAsDataBindingDoes() throws IOException {
        Path file = dir.resolve("manifest.json");
        ModelBundle.writeManifest(file, everyField());
        Manifest streamed = ManifestReader.read(file);
        Manifest bound = DATA_BINDING.readValue(file.toFile(), Manifest.class);
        assertEquals(DATA_BINDING.writeValueAsString(bound), DATA_BINDING.writeValueAsString(streamed));
        assertArrayEquals(bound.encoder().mean(), streamed.encoder().mean());
        assertArrayEquals(everyField().encoder().scale(), streamed.encoder().scale());
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(streamed.encoder().mean()[1]));
        assertEquals(9_007_199_254_740_993L, streamed.trainingFiles().get(1).events());
        assertEquals(everyField().history(), streamed.history());
    }

    @Test
    void skipsFieldsItDoesNotKnowAndTakesNullsAsAbsent() throws IOException {
        Path file = dir.resolve("manifest.json");
        Files.writeString(file, """
                {"future": {"nested": [1, {"a": [true, null]}]}, "format_version": 1, "detector": "flow",
                 "encoder": {"encoding": "efficient", "mean": [0.5], "scale": [2], "comment": "x"},
                 "channel": null, "history": null, "files": {"parameters.bin": "00"}, "more": [[], {}]}
                """);
        Manifest manifest = ManifestReader.read(file);
        assertEquals(1, manifest.formatVersion());
        assertEquals("flow", manifest.detector());
        assertArrayEquals(new double[] {0.5}, manifest.encoder().mean());
        assertArrayEquals(new double[] {2.0}, manifest.encoder().scale());
        assertEquals(null, manifest.channel());
        assertEquals(null, manifest.history());
        assertEquals(Map.of("parameters.bin", "00"), manifest.files());
        assertEquals(DATA_BINDING.writeValueAsString(DATA_BINDING.readValue(file.toFile(), Manifest.class)),
                DATA_BINDING.writeValueAsString(manifest));
    }

    @Test
    void truncatedOrMistypedManifestsAreJsonErrors() throws IOException {
        Path file = dir.resolve("manifest.json");
        ModelBundle.writeManifest(file, everyField());
        String text = Files.readString(file);
        for (int cut : new int[] {0, 1, text.length() / 3, text.length() / 2, text.length() - 2}) {
            Files.writeString(file, text.substring(0, cut));
            assertThrows(JacksonException.class, () -> ManifestReader.read(file), "cut at " + cut);
        }
        Files.writeString(file, "{\"format_version\": \"one\"}");
        assertThrows(JacksonException.class, () -> ManifestReader.read(file));
        Files.writeString(file, "{\"encoder\": {\"mean\": [1, \"x\"]}}");
        assertThrows(JacksonException.class, () -> ManifestReader.read(file));
        Files.writeString(file, "{\"files\": []}");
        assertThrows(JacksonException.class, () -> ManifestReader.read(file));
        Files.writeString(file, "{} {}");
        assertThrows(JacksonException.class, () -> ManifestReader.read(file));
    }
}
