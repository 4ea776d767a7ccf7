package org.darkscope.cli;

import org.darkscope.io.ParseMode;
import picocli.CommandLine.Option;

/** The option every command that reads event files shares. */
final class InputOptions {
    @Option(names = "--skip-bad-lines",
            description = "Skip lines that cannot be parsed, count them and report them at the end "
                    + "(default: stop at the first bad line with exit code 3).")
    boolean skipBadLines;

    ParseMode mode() {
        return skipBadLines ? ParseMode.LENIENT : ParseMode.STRICT;
    }
}
