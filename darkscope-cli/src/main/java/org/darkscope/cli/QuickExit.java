package org.darkscope.cli;

import com.sun.jna.Function;

/**
 * Ends the process without running the C++ static destructors of PyTorch's native library, which
 * unregister its operators at every exit: 0.1 s, a twentieth of scoring a
 * 641,600-event file. libc's {@code _exit} skips the JVM's own work at exit as well (shutdown
 * hooks, a class list, class-data archive or flight recording to write, buffered logs), so the
 * launcher asks for it only on plain runs of the commands that may load PyTorch (no JVM options
 * of the user's, the command's class-data archive already made), and it is taken only where the
 * run did start the engine (a loaded autoencoder scores without it).
 */
final class QuickExit {
    /** The system property by which the launcher asks for it. */
    static final String PROPERTY = "darkscope.quickExit";

    private QuickExit() {
    }

    /** Flushes standard output and error and ends the process with {@code status}; returns only if libc cannot be called. */
    static void now(int status) {
        System.out.flush();
        System.err.flush();
        try {
            Function.getFunction("c", "_exit").invoke(Void.class, new Object[] {status});
        } catch (RuntimeException | LinkageError e) {
            // no libc to call here: the caller exits the ordinary way
        }
    }
}
