package org.darkscope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReadAheadTest {
    @Test
    void leadShrinksOnceTheModelIsLoadedAndItemsKeepTheirOrder() throws InterruptedException {
        ReadAhead queue = new ReadAhead(3, 1);
        assertEquals(3, queue.lead());
        queue.put("a");
        queue.put("b");
        assertEquals(1, queue.lead());
        queue.modelLoaded(); // two places to retire: the free one now, one more at the next take
        assertEquals(0, queue.lead());
        assertEquals("a", queue.take());
        assertEquals(0, queue.lead()); // retired, not given back
        assertEquals("b", queue.take());
        assertEquals(1, queue.lead());
        queue.modelLoaded(); // a second call changes nothing
        for (String item : List.of("c", "d", "e")) {
            queue.put(item);
            assertEquals(0, queue.lead());
            assertEquals(item, queue.take());
            assertEquals(1, queue.lead());
        }
    }

    @Test
    void readerWaitsWhenTheLeadIsUsedUpAndGoesOnAfterATake() throws InterruptedException {
        ReadAhead queue = new ReadAhead(2, 2);
        queue.put(1);
        queue.put(2);
        List<Object> handedOver = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                queue.put(3);
                synchronized (handedOver) {
                    handedOver.add(3);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reader.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.WAITING, reader.getState(), "a third item waits while two are ahead");
        synchronized (handedOver) {
            assertTrue(handedOver.isEmpty());
        }
        assertEquals(1, queue.take());
        reader.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(reader.isAlive());
        synchronized (handedOver) {
            assertEquals(List.of(3), handedOver);
        }
        assertEquals(2, queue.take());
        assertEquals(3, queue.take());
    }

    @Test
    void aLaterLeadLargerThanTheFirstIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ReadAhead(2, 3));
        assertThrows(IllegalArgumentException.class, () -> new ReadAhead(2, 0));
    }
}
