package org.darkscope.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.darkscope.InputException;
import org.darkscope.event.Event;
import org.darkscope.event.PhysicsObject;
import org.darkscope.event.Units;
import org.darkscope.feature.DensityUnits;
import org.darkscope.feature.FeatureBatch;
import org.darkscope.feature.FittedEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The density detectors give -log p per GeV: the same model's score per standardised unit plus the
 * change of variables, computed here from the events themselves (MET, HT and the leading jet's
 * pT in GeV) and the standardiser's widths, not from the encoded features.
 */
class PhysicalDensityTest {

    /** -log|dz/dq| of event-level for one event: log(1 + q / GeV) for MET, HT and the leading jet's pT, log(width) for every feature. */
    private static double changeOfVariables(Event event, FittedEncoder encoder) {
        double leading = event.jets().stream().mapToDouble(PhysicsObject::pt).max().orElse(0);
        double sum = Math.log(1 + Units.gev(event.met())) + Math.log(1 + Units.gev(event.ht())) + Math.log(1 + Units.gev(leading));
        for (double width : encoder.standardizer().scale()) {
            sum += Math.log(width);
        }
        return sum;
    }

    private static void assertPerGev(String detector, Hyperparameters settings, int epochs) {
        FittedEncoder encoder = SampleEvents.encoder("event-level");
        TrainingData data = SampleEvents.trainingData(encoder).describedBy(encoder);
        List<Event> events = SampleEvents.heldOutBackground().subList(0, 300);
        FeatureBatch batch = encoder.encode(events);
        TrainingConfig config = TrainingConfig.defaults(epochs, 7);
        try (Detector physical = Detectors.create(detector, settings);
             Detector standardised = Detectors.create(detector, settings.with("units", "encoding"))) {
            physical.fit(data, config);
            standardised.fit(data, config);
            float[] perGev = physical.score(batch);
            float[] perUnit = standardised.score(batch);
            for (int i = 0; i < events.size(); i++) {
                double expected = perUnit[i] + changeOfVariables(events.get(i), encoder);
                // float scores of about 20 nats: rounding near 2e-6 each
                assertEquals(expected, perGev[i], 2e-5 * Math.max(1, Math.abs(expected)), detector + ", event " + i);
            }
        }
    }

    @Test
    void theMixturesDensityIsPerGev() {
        assertPerGev("gmm", Hyperparameters.empty().with("components", 2), 1);
    }

    @Test
    void theFlowsDensityIsPerGev() {
        assertPerGev("flow", Hyperparameters.empty().with("hidden", "8,8"), 2);
    }

    @Test
    void aBundleKeepsItsUnitsAndOneWithoutThemIsRefused(@TempDir Path dir) throws Exception {
        DensityUnits units = new DensityUnits(new double[] {0.3, 0, 0.2}, 4.5);
        PhysicalDensity.save(dir, units);
        assertEquals(units, PhysicalDensity.load(dir, "gmm", 3));
        InputException wrongSize = assertThrows(InputException.class, () -> PhysicalDensity.load(dir, "gmm", 8));
        assertTrue(wrongSize.getMessage().contains("3 slopes for a model of 8 features"), wrongSize.getMessage());
        Files.delete(dir.resolve(PhysicalDensity.FILE));
        InputException old = assertThrows(InputException.class, () -> PhysicalDensity.load(dir, "flow", 3));
        assertTrue(old.getMessage().contains("written before darkscope gave densities per physical unit; train it again"),
                old.getMessage());
    }
}
