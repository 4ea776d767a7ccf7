package org.darkscope.cli;

/** A command given arguments that make no sense together; exit code 2. */
public final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
