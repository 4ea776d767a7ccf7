package org.darkscope.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.darkscope.event.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The talk's table layout reads as the same events written in the challenge format (fixture: talk-table/make_fixture.py). */
class TalkTableTest {
    @TempDir
    Path dir;

    private Path resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/talk-table/" + name)) {
            return Files.write(dir.resolve(name), in.readAllBytes());
        }
    }

    @Test
    void theTableReadsAsTheSameEventsInTheChallengeFormat() throws IOException {
        List<Event> table = EventFiles.read(resource("events.tsv"), ParseMode.STRICT, -1);
        List<Event> challenge = EventFiles.read(resource("events-as-challenge.csv"), ParseMode.STRICT, -1);
        assertEquals(12, table.size());
        assertEquals(challenge.size(), table.size());
        for (int i = 0; i < table.size(); i++) {
            Event t = table.get(i);
            Event c = challenge.get(i);
            assertEquals(c.eventId(), t.eventId(), "the row's number");
            assertEquals("events", t.processId(), "the file's name");
            assertEquals(1.0, t.weight());
            assertEquals(c.objects(), t.objects(), "event " + c.eventId());
            // MET from the objects, computed in Python by the fixture's script
            assertEquals(c.met(), t.met(), 1e-9 * c.met(), "MET of event " + c.eventId());
            assertEquals(c.metPhi(), t.metPhi(), 1e-9, "METphi of event " + c.eventId());
        }
    }

    @Test
    void namedColumnsGiveWhatTheTableLacksAndBadCellsNameTheirLine() throws IOException {
        Path file = Files.writeString(dir.resolve("t.tsv"), "obj1\tE1\tpt1\teta1\tphi1\tMET\tMETphi\tweight\tprocess\n"
                + "j\t100000\t80000\t0.5\t1.0\t50000\t-2\t0.25\tttbar\n"
                + "\t\t\t\t\t1000\t0\t1\tttbar\n");
        List<Event> events = EventFiles.read(file, ParseMode.STRICT, -1);
        assertEquals(2, events.size());
        assertEquals(50000, events.get(0).met());
        assertEquals(-2, events.get(0).metPhi());
        assertEquals(0.25, events.get(0).weight());
        assertEquals("ttbar", events.get(0).processId());
        assertEquals(0, events.get(1).objects().size());

        Path bad = Files.writeString(dir.resolve("bad.tsv"), "obj1\tE1\tpt1\teta1\tphi1\nj\t100000\t80000\t0.5\t1.0\nq\t1\t1\t0\t0\n"
                + "j\t1\tlots\t0\t0\nj\t80000\t100000\t0.5\t1.0\n");
        EventFormatException e = assertThrows(EventFormatException.class, () -> EventFiles.read(bad, ParseMode.STRICT, -1));
        assertTrue(e.getMessage().contains("bad.tsv:3:") && e.getMessage().contains("'q'"),
                e.getMessage());
        try (EventReader reader = EventReader.open(bad, ParseMode.LENIENT)) {
            int n = 0;
            while (reader.hasNext()) {
                reader.next();
                n++;
            }
            assertEquals(1, n);
            assertEquals(3, reader.badLineCount());
            assertTrue(reader.badLines().get(1).toString().contains("pt1 is not a number"), reader.badLines().toString());
            assertTrue(reader.badLines().get(2).toString().contains("obj1: E 80000.0 below its pt 100000.0"), reader.badLines().toString());
        }
    }
}
