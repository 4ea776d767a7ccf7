package org.darkscope.detect;

import java.util.Map;
import java.util.TreeMap;

/**
 * A detector's settings as text key-value pairs (as given on the command line with
 * {@code --set key=value} and stored in the bundle manifest). Detectors read them through the
 * {@link Setting}s they declare, and report the complete, effective set.
 */
public final class Hyperparameters {
    private final TreeMap<String, String> values;

    private Hyperparameters(Map<String, String> values) {
        this.values = new TreeMap<>(values);
    }

    public static Hyperparameters of(Map<String, String> values) {
        return new Hyperparameters(values);
    }

    public static Hyperparameters empty() {
        return new Hyperparameters(Map.of());
    }

    /** Parses {@code key=value} pairs. */
    public static Hyperparameters parse(Iterable<String> pairs) {
        TreeMap<String, String> values = new TreeMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("setting '" + pair + "' is not of the form key=value");
            }
            String key = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            String before = values.put(key, value);
            if (before != null && !before.equals(value)) {
                throw new IllegalArgumentException("setting " + key + " given twice (" + before + " and " + value
                        + "): give it once");
            }
        }
        return new Hyperparameters(values);
    }

    /** A copy with {@code key} set to {@code value}. */
    public Hyperparameters with(String key, Object value) {
        TreeMap<String, String> copy = new TreeMap<>(values);
        copy.put(key, String.valueOf(value));
        return new Hyperparameters(copy);
    }

    /**
     * A copy with a declared setting set, checked at once against its type and range: the typed
     * form of {@code --set}, e.g. {@code with(NearestNeighbours.K, 30)}. Layer widths may be
     * given as an {@code int[]}.
     */
    public Hyperparameters with(Setting setting, Object value) {
        String text = value instanceof int[] widths
                ? java.util.Arrays.stream(widths).mapToObj(String::valueOf).collect(java.util.stream.Collectors.joining(","))
                : String.valueOf(value);
        setting.check(text);
        return with(setting.name(), text);
    }

    /** A copy without {@code key}. */
    public Hyperparameters without(String key) {
        TreeMap<String, String> copy = new TreeMap<>(values);
        copy.remove(key);
        return new Hyperparameters(copy);
    }

    /** A copy with {@code key} set to {@code value} unless already set. */
    public Hyperparameters withDefault(String key, Object value) {
        return values.containsKey(key) ? this : with(key, value);
    }

    public String string(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    /** All settings, sorted by key. */
    public Map<String, String> asMap() {
        return java.util.Collections.unmodifiableMap(values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hyperparameters h && h.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
