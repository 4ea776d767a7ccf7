package org.darkscope.cli;

/** A command given arguments that make no sense together; exit code 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
