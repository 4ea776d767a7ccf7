package org.darkscope.detect;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * One setting a detector declares: its name, type, allowed range, default and a one-line
 * meaning. A detector reads its settings only through its declarations, so the default lives in
 * one place, a value outside the range is refused before any work ({@link Detectors#create}), and
 * {@code info --detector} and {@code train --help} list them.
 *
 * @param name the key of {@code --set name=value}
 * @param type the kind of value, in words ("integer", "number", "layer widths", "one of ...")
 * @param range the values allowed, in words
 * @param defaultValue the value when none is given, as text
 * @param meaning what the setting does, in one line
 * @param valid whether a text value is of the type and in the range
 */
public record Setting(String name, String type, String range, String defaultValue, String meaning, Predicate<String> valid) {
    /** The largest layer width accepted: far above any network this tool trains on CPUs. */
    static final int MAX_WIDTH = 4096;

    /** An integer setting in [{@code min}, {@code max}]. */
    public static Setting integer(String name, int defaultValue, int min, int max, String meaning) {
        return new Setting(name, "integer", min + " to " + max, String.valueOf(defaultValue), meaning,
                v -> parseInt(v) != null && parseInt(v) >= min && parseInt(v) <= max);
    }

    /** A number setting in [{@code min}, {@code max}]; with {@code minExclusive}, above {@code min}. */
    public static Setting number(String name, double defaultValue, double min, boolean minExclusive, double max, String meaning) {
        String low = minExclusive ? "> " + plain(min) : ">= " + plain(min);
        return new Setting(name, "number", Double.isInfinite(max) ? low : low + " and <= " + plain(max), plain(defaultValue), meaning,
                v -> {
                    Double d = parseDouble(v);
                    return d != null && Double.isFinite(d) && (minExclusive ? d > min : d >= min) && d <= max;
                });
    }

    /** Layer widths, comma-separated, each 1 to {@value #MAX_WIDTH}, at least one. */
    public static Setting widths(String name, String defaultValue, String meaning) {
        return new Setting(name, "layer widths", "comma-separated, each 1 to " + MAX_WIDTH, defaultValue, meaning,
                v -> parseWidths(v) != null);
    }

    /** One of a few words. */
    public static Setting choice(String name, String defaultValue, String meaning, String... options) {
        List<String> allowed = List.of(options);
        return new Setting(name, "one of " + String.join(", ", allowed), String.join(" | ", allowed), defaultValue, meaning,
                allowed::contains);
    }

    /** A setting of its own form, described by {@code type} and {@code range}. */
    public static Setting of(String name, String type, String range, String defaultValue, String meaning, Predicate<String> valid) {
        return new Setting(name, type, range, defaultValue, meaning, valid);
    }

    /**
     * The settings {@code given} to detector {@code detector}, completed with the defaults of
     * {@code declared}; a key not declared (a typo such as {@code betta}) or a value out of range
     * is refused, naming what is allowed: a mistyped setting must not train with the default.
     */
    public static Hyperparameters complete(String detector, Hyperparameters given, List<Setting> declared) {
        List<String> names = declared.stream().map(Setting::name).toList();
        List<String> unknown = given.asMap().keySet().stream().filter(k -> !names.contains(k)).toList();
        if (!unknown.isEmpty()) {
            String meant = unknown.size() == 1 ? org.darkscope.Spelling.didYouMean(unknown.get(0), names) : "";
            throw new IllegalArgumentException("unknown setting" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " for " + detector + meant + (names.isEmpty() ? ", which has no settings" : " (its settings: " + String.join(", ", names) + ")"));
        }
        Hyperparameters complete = given;
        for (Setting s : declared) {
            s.text(given); // checks the value given, if any
            complete = complete.withDefault(s.name, s.defaultValue);
        }
        return complete;
    }

    /** The value given in {@code settings}, or the default; checked (see {@link #check}). */
    public String text(Hyperparameters settings) {
        String value = settings.string(name, defaultValue);
        check(value);
        return value;
    }

    public int integer(Hyperparameters settings) {
        return Integer.parseInt(text(settings));
    }

    public double number(Hyperparameters settings) {
        return Double.parseDouble(text(settings));
    }

    public int[] widths(Hyperparameters settings) {
        return parseWidths(text(settings));
    }

    /** Refuses a value that is not of this setting's type and range, saying what is allowed. */
    public void check(String value) {
        if (value == null || !valid.test(value)) {
            throw new IllegalArgumentException("setting " + name + "=" + value + " is not allowed: " + name + " takes "
                    + allowed() + " (default " + defaultValue + ")");
        }
    }

    /** The values allowed, in words: "an integer, 1 to 32", "layer widths, comma-separated, ...", "one of and, or". */
    public String allowed() {
        if (type.startsWith("one of")) {
            return type;
        }
        String article = type.endsWith("s") ? "" : "aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ";
        return article + type + ", " + range;
    }

    /** A line for a listing: name, default and the values allowed. */
    public String describe() {
        return String.format(Locale.ROOT, "%s=%s  (%s)", name, defaultValue, allowed());
    }

    private static Integer parseInt(String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double parseDouble(String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int[] parseWidths(String v) {
        String[] parts = v.split(",", -1);
        int[] widths = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Integer w = parseInt(parts[i]);
            if (w == null || w < 1 || w > MAX_WIDTH) {
                return null;
            }
            widths[i] = w;
        }
        return widths;
    }

    private static String plain(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? String.valueOf((long) x) : String.valueOf(x);
    }

    @Override
    public String toString() {
        return name + "=" + defaultValue + " (" + type + ")";
    }
}
