package org.darkscope.detect;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.darkscope.InputException;
import org.darkscope.feature.DensityUnits;

/**
 * The density detectors' setting {@code units} and the {@link DensityUnits} it picks, kept in the
 * bundle beside the model: {@code physical} (the default) gives -log p per GeV of every energy
 * and momentum (the units of the training data, {@link TrainingData#units()}), {@code encoding}
 * per unit of the standardised features. Chosen by the background-only protocol (README, "How the
 * defaults were chosen").
 */
final class PhysicalDensity {
    static final String FILE = "density-units.json";
    static final String PHYSICAL = "physical";
    static final Setting UNITS = Setting.choice("units", PHYSICAL,
            "the density's units: physical (per GeV of every energy and momentum) or encoding (per standardised unit)",
            PHYSICAL, "encoding");

    private PhysicalDensity() {
    }

    /** The units {@code settings} pick from those of the training data. */
    static DensityUnits chosen(Hyperparameters settings, TrainingData data) {
        return UNITS.text(settings).equals(PHYSICAL) ? data.units() : DensityUnits.NONE;
    }

    /** What the bundle stores: the slope per feature and the offset. */
    private record Stored(double[] slope, double offset) {
    }

    static Path save(Path directory, DensityUnits units) throws IOException {
        Path file = directory.resolve(FILE);
        new ObjectMapper().writeValue(file.toFile(), new Stored(units.slope(), units.offset()));
        return file;
    }

    /** The units stored in {@code directory} for a model of {@code features} features. */
    static DensityUnits load(Path directory, String detector, int features) throws IOException {
        Path file = directory.resolve(FILE);
        if (!Files.exists(file)) {
            throw new InputException(directory + " has no " + FILE + ": this " + detector + " bundle was written before "
                    + "darkscope gave densities per physical unit; train it again");
        }
        Stored stored = new ObjectMapper().readValue(file.toFile(), Stored.class);
        if (stored.slope() == null || stored.slope().length != 0 && stored.slope().length != features) {
            throw new InputException(file + ": " + (stored.slope() == null ? "no slope" : stored.slope().length + " slopes")
                    + " for a model of " + features + " features");
        }
        try {
            return new DensityUnits(stored.slope(), stored.offset());
        } catch (IllegalArgumentException e) {
            throw new InputException(file + ": " + e.getMessage(), e);
        }
    }
}
