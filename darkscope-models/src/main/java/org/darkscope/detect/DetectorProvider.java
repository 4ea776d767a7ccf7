package org.darkscope.detect;

import java.util.List;

/**
 * Detectors from outside darkscope. A jar on the class path that names a class implementing this
 * in {@code META-INF/services/org.darkscope.detect.DetectorProvider} adds its detectors wherever
 * a detector is named ({@code train}, {@code benchmark}, bundles that {@code score} loads), found
 * with {@link java.util.ServiceLoader}; with the launcher, put the jar in
 * {@code DARKSCOPE_CLASSPATH}. Names must not clash with darkscope's own.
 */
public interface DetectorProvider {
    /** The detectors, each with its name, default encoding, declared settings, constructor and method in a sentence. */
    List<Detectors.Kind> detectors();
}
