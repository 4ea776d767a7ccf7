package org.darkscope.io;

import java.nio.file.Path;

/** A line that could not be parsed: where it is and what was wrong with it. */
public record BadLine(Path file, long line, String problem) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + problem;
    }
}
