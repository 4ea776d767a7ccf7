package org.darkscope.report;

/** Text put into a Markdown table's cell (GitHub's tables): a name that holds a {@code |} stays one cell. */
public final class Markdown {
    private Markdown() {
    }

    /** {@code text} with each {@code |} escaped and each line break, which would end the row, as a space. */
    public static String cell(String text) {
        return text.replace("|", "\\|").replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }
}
