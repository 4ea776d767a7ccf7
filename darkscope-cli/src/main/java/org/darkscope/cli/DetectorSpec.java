package org.darkscope.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.darkscope.detect.Detectors;
import org.darkscope.detect.Hyperparameters;
import org.darkscope.feature.Encodings;

/**
 * A detector as {@code benchmark --detectors} names it: {@code NAME} or
 * {@code NAME:KEY=VALUE:KEY=VALUE...}, so that one benchmark compares settings of one detector
 * side by side ({@code knn:k=5,knn:k=30}); the key {@code encoding} picks the encoding. Commas
 * separate detectors, so a list value is written with {@code +}: {@code ae:hidden=32+4},
 * {@code combined:members=flow+knn}.
 *
 * @param text     the spec as written, which names the detector in results
 * @param name     the detector's name (or the alias {@code default})
 * @param settings its settings
 * @param encoding the encoding, or null for the detector's default
 */
record DetectorSpec(String text, String name, Hyperparameters settings, String encoding) {
    /** Parses and checks a spec: an unknown detector or encoding, or a malformed setting, is a usage error. */
    static DetectorSpec parse(String text) {
        List<String> parts = Arrays.asList(text.split(":", -1));
        String name = parts.get(0).trim();
        try {
            Detectors.kind(name);
            List<String> pairs = new ArrayList<>();
            String encoding = null;
            for (String pair : parts.subList(1, parts.size())) {
                if (pair.startsWith("encoding=")) {
                    String given = Encodings.byName(pair.substring("encoding=".length()).trim()).name();
                    if (encoding != null && !encoding.equals(given)) {
                        throw new IllegalArgumentException("encoding given twice (" + encoding + " and " + given + "): give it once");
                    }
                    encoding = given;
                } else {
                    pairs.add(pair.replace('+', ','));
                }
            }
            Hyperparameters settings = Hyperparameters.parse(pairs);
            Detectors.create(name, settings).close(); // refuses unknown or malformed settings before any work
            return new DetectorSpec(text, name, settings, encoding);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--detectors " + text + ": " + e.getMessage());
        }
    }

    /**
     * Parses a list of specs, refusing one given twice (or two whose bundles would share a
     * directory): the second would train the same again and report it under the same name.
     */
    static List<DetectorSpec> parseAll(List<String> texts) {
        List<DetectorSpec> specs = new ArrayList<>();
        java.util.Map<String, String> directories = new java.util.HashMap<>();
        for (String text : texts) {
            DetectorSpec spec = parse(text);
            String before = directories.putIfAbsent(spec.directoryName(), spec.text());
            if (before != null) {
                throw new UsageException("--detectors names " + (before.equals(spec.text()) ? spec.text() + " twice"
                        : before + " and " + spec.text() + ", one bundle directory") + ": give each detector once (a variant"
                        + " with its settings, e.g. knn:k=30)");
            }
            specs.add(spec);
        }
        return specs;
    }

    /** Whether the detector learns from other samples too (signal, data), and so cannot train on background alone. */
    boolean learnsFromOtherSamples() {
        try (org.darkscope.detect.Detector d = Detectors.create(name, settings)) {
            return d instanceof org.darkscope.detect.SampleClassifier;
        }
    }

    /** A directory name for the spec's bundle: the spec with every character but letters, digits, '.', '-' and '_' as '_'. */
    String directoryName() {
        return text.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
