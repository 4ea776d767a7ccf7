package org.darkscope.io;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
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
     * A stream that remembers the failure of a write or a flush, so that a writer which swallows
     * failures ({@code PrintWriter}) can be asked afterwards, and one stream's failure told apart
     * from another's.
     */
    public static final class Watched extends FilterOutputStream {
        private IOException failure;

        public Watched(OutputStream out) {
            super(out);
        }

        /** The last failure, or null. */
        public IOException failure() {
            return failure;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
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
