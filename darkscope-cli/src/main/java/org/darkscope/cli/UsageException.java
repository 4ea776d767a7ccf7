package org.darkscope.cli;

/** A command given arguments that make no sense together; exit code 2. */
public final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }

    /** Runs {@code check}; its refusal ({@link IllegalArgumentException}) becomes this one, after the options it concerns. */
    static void naming(String options, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            throw new UsageException(options + ": " + e.getMessage());
        }
    }
}
