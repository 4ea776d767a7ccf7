package org.darkscope.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV text as RFC 4180 defines it, the form {@link CsvOutput#field} writes: a field in double
 * quotes may hold commas, line breaks and doubled double quotes; a carriage return before a line
 * feed belongs to the line end. For reading back what darkscope wrote (a scores file), not for
 * event files.
 */
public final class CsvRows {
    private CsvRows() {
    }

    /**
     * The rows of {@code text}, each a list of its fields; the last row need not end in a line break.
     *
     * @throws IllegalArgumentException where a quoted field is not closed, naming its line
     */
    public static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int line = 1;
        int quoteOpened = 0;
        boolean rowOpen = false; // a character read since the last row ended
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            rowOpen = quoted || c != '\n';
            if (c == '\n') {
                line++;
            }
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                quoteOpened = line;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else if (c != '\r') {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("line " + quoteOpened + ": a field opened with a double quote is not closed");
        }
        if (rowOpen) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
