package org.darkscope.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CsvRowsTest {
    @Test
    void readsQuotedCommasQuotesAndLineBreaksAndBothLineEnds() {
        String text = "event_id,process,score\r\n"
                + "7,\"ttbar, 13 TeV\",0.5\n"
                + "\"a \"\"quoted\"\" id\",\"two\nlines\",\n"
                + ",,\n"
                + "last,row,without line end";
        assertEquals(List.of(
                List.of("event_id", "process", "score"),
                List.of("7", "ttbar, 13 TeV", "0.5"),
                List.of("a \"quoted\" id", "two\nlines", ""),
                List.of("", "", ""),
                List.of("last", "row", "without line end")), CsvRows.parse(text));
        assertEquals(List.of(List.of("")), CsvRows.parse("\"\""));
        assertEquals(List.of(), CsvRows.parse(""));
    }

    @Test
    void readsBackWhatCsvOutputWritesForAnyText() {
        SplittableRandom random = new SplittableRandom(11);
        char[] alphabet = {'a', 'Z', '0', ',', '"', '\n', '\r', ' ', 'é', 'Δ', ';'};
        List<List<String>> rows = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < 300; r++) {
            List<String> row = new ArrayList<>();
            int fields = 1 + random.nextInt(5);
            for (int f = 0; f < fields; f++) {
                StringBuilder field = new StringBuilder();
                for (int n = random.nextInt(6); n > 0; n--) {
                    field.append(alphabet[random.nextInt(alphabet.length)]);
                }
                row.add(field.toString());
                text.append(f == 0 ? "" : ",").append(CsvOutput.field(field.toString()));
            }
            text.append('\n');
            rows.add(row);
        }
        assertEquals(rows, CsvRows.parse(text.toString()));
    }

    @Test
    void aQuotedFieldLeftOpenIsAnErrorNamingItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvRows.parse("a,b\nc,\"d\ne\n"));
        assertTrue(e.getMessage().startsWith("line 2:"), e.getMessage());
    }
}
