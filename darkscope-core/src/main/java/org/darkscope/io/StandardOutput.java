package org.darkscope.io;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;

/**
 * The process's standard output as a stream whose failures are seen ({@code System.out}'s
 * PrintStream swallows them), and how to tell its reader closing it ({@code ... | head}: all that
 * was wanted) from a failure such as a full disk.
 */
public final class StandardOutput {
    private StandardOutput() {
    }

    /** Standard output, unbuffered: a write that fails throws. */
    public static OutputStream open() {
        return new FileOutputStream(FileDescriptor.out);
    }

    /**
     * Whether writing failed because the reader of a pipe closed it: EPIPE (the JVM ignores
     * SIGPIPE), which Java reports by the C library's message for it alone, "Broken pipe" or,
     * under another locale, its translation ("Datenübergabe unterbrochen (broken pipe)"): compared
     * with the message of a pipe broken on purpose.
     */
    public static boolean closedByReader(IOException e) {
        String message = e.getMessage();
        return message != null && (message.startsWith("Broken pipe") || message.equals(brokenPipeMessage()));
    }

    /** The message this JVM gives for EPIPE: a pipe's reading end closed, then written to. Null where none comes. */
    private static String brokenPipeMessage() {
        try {
            Pipe pipe = Pipe.open();
            try (Pipe.SinkChannel sink = pipe.sink()) {
                pipe.source().close();
                sink.write(ByteBuffer.allocate(1));
                return null;
            }
        } catch (IOException broken) {
            return broken.getMessage();
        }
    }
}
