package org.darkscope.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Reading ahead: each element read once, when first asked about, returned in order, then the end said and kept. */
class LookAheadTest {
    /** The odd numbers below 6, read one at a time, counting reads and what was returned. */
    private static final class Odd extends LookAhead<Integer> {
        int value;
        int reads;
        final List<Integer> returned = new ArrayList<>();

        @Override
        protected Integer advance() {
            reads++;
            while (value < 6) {
                int v = value++;
                if (v % 2 == 1) {
                    return v;
                }
            }
            return null;
        }

        @Override
        protected void returned(Integer element) {
            returned.add(element);
        }
    }

    @Test
    void elementsAreReadOnceWhenAskedForAndReturnedInOrder() {
        Odd odd = new Odd();
        assertFalse(odd.readAhead());
        assertTrue(odd.hasNext());
        assertTrue(odd.hasNext());
        assertEquals(1, odd.reads, "asking twice reads once");
        assertTrue(odd.readAhead());
        List<Integer> all = new ArrayList<>();
        odd.forEachRemaining(all::add);
        assertEquals(List.of(1, 3, 5), all);
        assertEquals(List.of(1, 3, 5), odd.returned);
        assertFalse(odd.hasNext());
        assertThrows(NoSuchElementException.class, odd::next);
        assertFalse(odd.readAhead());
    }
}
