package org.darkscope.io;

/**
 * What the reader does with a line it cannot parse. STRICT (the default, and what training
 * should use) stops with an error naming file and line; LENIENT ({@code --skip-bad-lines}) skips
 * the line, counts it and reports it at the end. Nothing is ever dropped silently.
 */
public enum ParseMode {
    STRICT,
    LENIENT
}
