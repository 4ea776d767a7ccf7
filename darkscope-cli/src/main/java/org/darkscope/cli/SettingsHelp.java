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
