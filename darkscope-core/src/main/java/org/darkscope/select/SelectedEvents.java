package org.darkscope.select;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Predicate;
import org.darkscope.event.Event;

/**
 * The events of a stream that pass a selection (a model's channel), counting those that do not:
 * a model learned the Standard Model inside its training selection, so it is judged there, and
 * the events left out are said, never dropped silently.
 */
public final class SelectedEvents implements Iterator<Event> {
    private final Iterator<Event> events;
    private final Predicate<Event> selection;
    private Event next;
    private long read;
    private long nextPosition;
    private long position;
    private long rejected;

    public SelectedEvents(Iterator<Event> events, Predicate<Event> selection) {
        this.events = events;
        this.selection = selection;
    }

    @Override
    public boolean hasNext() {
        while (next == null && events.hasNext()) {
            Event e = events.next();
            read++;
            if (selection.test(e)) {
                next = e;
                nextPosition = read;
            } else {
                rejected++;
            }
        }
        return next != null;
    }

    @Override
    public Event next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Event e = next;
        next = null;
        position = nextPosition;
        return e;
    }

    /** Where the event {@link #next} returned last stands in the stream, counting every event read from 1. */
    public long position() {
        return position;
    }

    /** The events read so far that fail the selection. */
    public long rejected() {
        return rejected;
    }
}
