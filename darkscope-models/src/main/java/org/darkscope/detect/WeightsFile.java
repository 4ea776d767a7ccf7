package org.darkscope.detect;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The weights of a detector's kept training events in its bundle: one big-endian double per event, in the order the events are kept. */
final class WeightsFile {
    private WeightsFile() {
    }

    /** Writes {@code weights} to {@code file}; returns the file. */
    static Path write(Path file, double[] weights) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            for (double w : weights) {
                out.writeDouble(w);
            }
        }
        return file;
    }

    /**
     * The {@code n} weights of {@code file}, null where there is no such file; refused unless each is
     * finite and not negative (above 0 where {@code positive}) and together they weigh more than 0.
     */
    static double[] read(Path file, int n, boolean positive) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        String name = file.getFileName().toString();
        if (Files.size(file) != 8L * n) {
            throw new IOException(String.format(Locale.ROOT, "%s holds %d bytes; the weights of %d events take %d", name, Files.size(file), n,
                    8L * n));
        }
        double[] weights = new double[n];
        double total = 0;
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            for (int i = 0; i < n; i++) {
                weights[i] = in.readDouble();
                if (!(positive ? weights[i] > 0 : weights[i] >= 0) || Double.isInfinite(weights[i])) {
                    throw new IOException(name + ": event " + i + " weighs " + weights[i] + "; each weighs " + (positive ? "more than 0" : "0 or more"));
                }
                total += weights[i];
            }
        }
        if (!(total > 0)) {
            throw new IOException(name + ": the weights sum to " + total);
        }
        return weights;
    }
}
