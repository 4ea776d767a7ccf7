package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Detectors declare their settings; what they declare is what they read, report and refuse. */
class SettingTest {

    /** A detector reports as effective settings exactly what it declares, with the declared defaults. */
    @Test
    void everyDetectorReportsItsDeclaredSettingsWithTheirDefaults() {
        for (Detectors.Kind kind : Detectors.kinds()) {
            try (Detector detector = Detectors.create(kind.name(), Hyperparameters.empty())) {
                Map<String, String> effective = detector.hyperparameters().asMap();
                if (kind.name().equals("combined")) {
                    effective = Map.of("members", effective.get("members"), "rule", effective.get("rule"));
                }
                TreeSet<String> declared = new TreeSet<>(kind.settings().stream().map(Setting::name).toList());
                assertEquals(declared, new TreeSet<>(effective.keySet()), kind.name());
                for (Setting s : kind.settings()) {
                    s.check(s.defaultValue());
                    assertEquals(s.defaultValue(), effective.get(s.name()), kind.name() + " " + s.name());
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}={2}")
    @CsvSource({"knn, k, 0", "knn, k, 10001", "knn, k, 2.5", "knn, k, ''", "knn, method, median", "vae, beta, -0.1", "vae, beta, NaN",
            "vae, beta, Infinity", "vae, hidden, '64,0'", "vae, hidden, '64,,16'", "vae, hidden, 5000", "flow, bins, 1",
            "gmm, components, 0", "gmm, components, 65", "gmm, components, automatic", "gmm, regularization, 0",
            "combined, members, flow", "combined, members, 'flow,combined'", "iforest, subsample, 1"})
    void valuesOutsideTheDeclaredRangeAreRefusedSayingWhatIsAllowed(String detector, String key, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Detectors.create(detector, Hyperparameters.of(Map.of(key, value))).close());
        Setting declared = Detectors.kind(detector).settings().stream().filter(s -> s.name().equals(key)).findFirst().orElseThrow();
        assertTrue(e.getMessage().contains(key + "=" + value) && e.getMessage().contains(declared.allowed()), e.getMessage());
    }

    @ParameterizedTest(name = "{0} {1}={2}")
    @CsvSource({"knn, k, 1", "knn, k, 10000", "vae, beta, 0", "vae, hidden, '4096,1'", "gmm, components, 64", "gmm, components, 3",
            "flow, bins, 2", "combined, rule, product"})
    void valuesAtTheBoundsAreAccepted(String detector, String key, String value) {
        try (Detector d = Detectors.create(detector, Hyperparameters.of(Map.of(key, value)))) {
            assertEquals(value, d.hyperparameters().asMap().get(key));
        }
    }

    @Test
    void widthsAreReadAsIntegers() {
        Setting hidden = Setting.widths("hidden", "8", "test");
        assertArrayEquals(new int[] {64, 16, 3}, hidden.widths(Hyperparameters.of(Map.of("hidden", "64, 16,3"))));
        assertArrayEquals(new int[] {8}, hidden.widths(Hyperparameters.empty()));
    }

    @Test
    void aConvolutionalVaeRefusesTheDenseArchitectureSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Detectors.create("conv-vae", Hyperparameters.of(Map.of("latent", "4"))));
        assertTrue(e.getMessage().contains("unknown setting latent for conv-vae"), e.getMessage());
        assertEquals(List.of("beta", "warmup", "score"), Detectors.kind("conv-vae").settings().stream().map(Setting::name).toList());
    }
}
