package org.darkscope.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.darkscope.InputException;
import org.darkscope.detect.Hyperparameters;
import org.darkscope.detect.TrainingConfig;
import org.darkscope.detect.TrainingData;
import org.darkscope.event.Event;
import org.darkscope.feature.Encoding;
import org.darkscope.feature.Encodings;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.io.BundledSample;
import org.darkscope.io.EventFiles;
import org.darkscope.io.ParseMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model made outside darkscope: the autoencoder of {@code pytorch-autoencoder/make_fixture.py}
 * (PyTorch 1.13, exported to ONNX), scored by darkscope on the same events, gives the scores
 * PyTorch printed, to 1e-5.
 */
class PyTorchModelTest {
    @TempDir
    Path dir;

    private Path resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/pytorch-autoencoder/" + name)) {
            Path file = dir.resolve(name);
            Files.copy(in, file);
            return file;
        }
    }

    private static List<String[]> csv(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().skip(1).map(l -> l.split(",")).toList();
    }

    @Test
    void aPyTorchAutoencoderScoresTheSameInDarkscope() throws Exception {
        List<String[]> features = csv(resource("features.csv"));
        List<String[]> expected = csv(resource("expected.csv"));
        // the fixture's features are darkscope's own for these events
        Path sample = BundledSample.extractTo(dir.resolve("sample"));
        List<Event> events = EventFiles.read(sample.resolve(BundledSample.BACKGROUND), ParseMode.STRICT, features.size());
        Encoding encoding = Encodings.byName("event-level");
        float[] raw = new float[events.size() * encoding.size()];
        for (int e = 0; e < events.size(); e++) {
            assertEquals(features.get(e)[0], events.get(e).eventId());
            encoding.encode(events.get(e), raw, e * encoding.size());
            for (int f = 0; f < encoding.size(); f++) {
                assertEquals(Float.parseFloat(features.get(e)[f + 1]), raw[e * encoding.size() + f], "event " + e + ", feature " + f);
            }
        }
        FeatureBatch batch = new FeatureBatch(raw, events.size(), encoding.shape());
        for (String[] variant : new String[][] {{"autoencoder.onnx", "reconstruction"}, {"autoencoder-score.onnx", "score"}}) {
            try (OnnxDetector onnx = new OnnxDetector(Hyperparameters.parse(List.of("model=" + resource(variant[0]), "output=" + variant[1])))) {
                onnx.fit(TrainingData.split(new FeatureBatch(new float[0], 0, encoding.shape()), 0, 1), TrainingConfig.defaults(1, 1));
                float[] scores = onnx.score(batch);
                for (int e = 0; e < scores.length; e++) {
                    double torch = Double.parseDouble(expected.get(e)[1]);
                    assertEquals(torch, scores[e], 1e-5 * Math.max(1, Math.abs(torch)), variant[0] + ", event " + expected.get(e)[0]);
                }
            }
        }
    }

    @Test
    void aModelThatDoesNotFitTheEncodingIsRefused() throws Exception {
        Path model = resource("autoencoder.onnx");
        // eight features in, eight out: not a score, and not the 56 of kinematic-56
        for (List<String> settings : List.of(List.of("model=" + model, "output=score"),
                List.of("model=" + model, "output=reconstruction", "encoding=kinematic-56"))) {
            try (OnnxDetector onnx = new OnnxDetector(Hyperparameters.parse(settings))) {
                InputException e = assertThrows(InputException.class, () -> onnx.fit(null, null));
                assertTrue(e.getMessage().contains("shape"), e.getMessage());
            }
        }
        Path notOnnx = Files.writeString(dir.resolve("not.onnx"), "not a model");
        try (OnnxDetector onnx = new OnnxDetector(Hyperparameters.parse(List.of("model=" + notOnnx)))) {
            InputException e = assertThrows(InputException.class, () -> onnx.fit(null, null));
            assertTrue(e.getMessage().contains("ONNX Runtime cannot load it"), e.getMessage());
        }
    }
}
