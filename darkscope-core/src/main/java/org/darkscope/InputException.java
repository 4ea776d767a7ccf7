package org.darkscope;

/**
 * Bad input data: an unparseable event file, a corrupt model bundle. The command line maps it to
 * exit code 3, so scripts can tell bad data from a failure of darkscope itself.
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
