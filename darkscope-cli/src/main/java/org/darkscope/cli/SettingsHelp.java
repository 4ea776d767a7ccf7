package org.darkscope.cli;

import java.util.ArrayList;
import java.util.List;
import org.darkscope.detect.Detectors;
import org.darkscope.detect.Setting;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The detectors' declared settings as text: for {@code info --detector NAME} and, appended to
 * {@code train --help}, for every detector.
 */
final class SettingsHelp {
    private SettingsHelp() {
    }

    /** The lines describing one detector: its default encoding and each setting with default, range and meaning. */
    static List<String> describe(Detectors.Kind kind) {
        List<String> lines = new ArrayList<>();
        lines.add(kind.name() + " (reads " + kind.encoding() + " by default)" + (kind.settings().isEmpty() ? ": no settings" : ""));
        for (Setting s : kind.settings()) {
            lines.add("  " + s.describe());
            lines.add("      " + s.meaning());
        }
        return lines;
    }

    /** {@link #describe}'s lines with the detector's method, wrapped, after the first: {@code info --detector NAME}. */
    static List<String> describeWithMethod(Detectors.Kind kind) {
        List<String> lines = new ArrayList<>(describe(kind));
        lines.addAll(1, wrapped(kind.method(), "  ", 100));
        return lines;
    }

    /** {@code text} in lines of at most {@code width} characters (a longer word stands alone), each after {@code indent}. */
    static List<String> wrapped(String text, String indent, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (line.length() > 0 && indent.length() + line.length() + 1 + word.length() > width) {
                lines.add(indent + line);
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        if (line.length() > 0) {
            lines.add(indent + line);
        }
        return lines;
    }

    /** Appends every detector's settings to the help of {@code spec} ({@code train}'s). */
    static void appendTo(CommandSpec spec) {
        List<String> footer = new ArrayList<>();
        footer.add("");
        footer.add("Detector settings (--set KEY=VALUE), with their defaults and the values allowed:");
        for (Detectors.Kind kind : Detectors.kinds()) {
            footer.addAll(describe(kind));
        }
        footer.add(Detectors.DEFAULT + " names " + Detectors.RECOMMENDED + ".");
        spec.usageMessage().footer(footer.stream().map(SettingsHelp::escape).toArray(String[]::new));
    }

    /** picocli reads {@code %} in help text as a format specifier. */
    private static String escape(String line) {
        return line.replace("%", "%%");
    }
}
