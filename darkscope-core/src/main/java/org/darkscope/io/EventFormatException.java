package org.darkscope.io;

import java.nio.file.Path;
import org.darkscope.InputException;

/** An event file that cannot be read: names the file, the line (if any) and the problem. */
public class EventFormatException extends InputException {
    private final Path file;
    private final long line;

    public EventFormatException(Path file, long line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public EventFormatException(Path file, long line, String problem, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem, cause);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** One-based line number, or 0 where the problem concerns the whole file. */
    public long line() {
        return line;
    }
}
