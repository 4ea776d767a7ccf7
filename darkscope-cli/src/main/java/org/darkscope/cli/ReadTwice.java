package org.darkscope.cli;

import java.nio.file.Path;
import org.darkscope.io.EventReader;

/**
 * Refuses, before any reading, an input that a command must read twice (to count its events, then
 * to use them) and that can be read only once: standard input, a pipe, a process substitution.
 * The second read would find it empty.
 */
final class ReadTwice {
    private ReadTwice() {
    }

    /** Exit 2 where {@code input} of {@code command} {@link EventReader#readsOnce reads once}. */
    static void require(String command, Path input, String why) {
        if (EventReader.readsOnce(input)) {
            throw new UsageException(command + " reads " + input + " twice (" + why + "), and "
                    + (EventReader.STANDARD_INPUT.equals(input.toString()) ? "standard input" : "a pipe") + " can be read once: give a file");
        }
    }
}
