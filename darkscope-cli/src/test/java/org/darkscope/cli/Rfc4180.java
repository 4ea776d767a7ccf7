package org.darkscope.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV as RFC 4180 defines it (fields in double quotes may hold commas, line breaks and
 * doubled quotes; a carriage return before a line feed is part of the line end), to check what
 * darkscope writes independently of how it writes it. For the tests of this module and, through
 * its test jar, of the Spark module.
 */
public final class Rfc4180 {
    private Rfc4180() {
    }

    /** The rows of {@code text}, each a list of fields. */
    public static List<List<String>> parse(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
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
        return rows;
    }
}
