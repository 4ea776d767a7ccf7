package org.darkscope.report;

/**
 * Text put into a Markdown table's cell (GitHub's tables): a name that holds a {@code |} stays one
 * cell, and a mark {@code *} stays a mark inside a cell in bold.
 */
public final class Markdown {
    private Markdown() {
    }

    /** {@code text} with each {@code |} and {@code *} escaped and each line break, which would end the row, as a space. */
    public static String cell(String text) {
        return text.replace("|", "\\|").replace("*", "\\*").replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }
}
