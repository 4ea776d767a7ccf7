package org.darkscope;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * The hand-over from the reading thread to the scoring one, with a lead that shrinks once the
 * model is loaded: while it loads (about a second for the detectors that score on PyTorch) the
 * reader may run up to {@code whileLoading} items ahead, after that {@code afterwards}. A long
 * queue is then no longer of use, and it costs: every young collection copies the chunks waiting
 * in it (2.4 MB each for 56 features), with every thread stopped.
 */
final class ReadAhead {
    private final BlockingQueue<Object> queue;
    /** Free places in the lead: the reader takes one per item, the scorer gives it back. */
    private final Semaphore room;
    private final int shrinkBy;
    private boolean shrunk;
    /** Places the scorer keeps instead of giving back, until the lead is {@code afterwards}. */
    private int toRetire;

    ReadAhead(int whileLoading, int afterwards) {
        if (afterwards < 1 || afterwards > whileLoading) {
            throw new IllegalArgumentException("lead " + whileLoading + " then " + afterwards);
        }
        this.queue = new ArrayBlockingQueue<>(whileLoading);
        this.room = new Semaphore(whileLoading);
        this.shrinkBy = whileLoading - afterwards;
    }

    /** Reading thread: hands over {@code item}, waiting while the lead is used up. */
    void put(Object item) throws InterruptedException {
        room.acquire();
        queue.put(item);
    }

    /** Scoring thread: the next item, waiting for it. */
    Object take() throws InterruptedException {
        Object item = queue.take();
        if (toRetire > 0) {
            toRetire--;
        } else {
            room.release();
        }
        return item;
    }

    /** Items the reader may still hand over without waiting. */
    int lead() {
        return room.availablePermits();
    }

    /** Scoring thread, once the model is loaded: the lead shrinks to its later size. */
    void modelLoaded() {
        if (shrunk) {
            return;
        }
        shrunk = true;
        toRetire = shrinkBy;
        while (toRetire > 0 && room.tryAcquire()) {
            toRetire--;
        }
    }
}
