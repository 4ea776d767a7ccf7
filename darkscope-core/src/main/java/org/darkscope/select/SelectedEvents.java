package org.darkscope.select;

import java.util.Iterator;
import java.util.function.Predicate;
import org.darkscope.event.Event;
import org.darkscope.io.LookAhead;

/**
 * The events of a stream tested against a selection (a model's channel), counting those outside
 * it: a judgement leaves them out (a model learned the Standard Model inside its training
 * selection, so it is judged there), a trigger keeps them (it sees every event); either way they
 * are said, never passed over silently.
 */
public final class SelectedEvents extends LookAhead<Event> {
    private final Iterator<Event> events;
    private final Predicate<Event> selection;
    private final boolean keepOutside;
    private long read;
    private long nextPosition;
    private long position;
    private long outside;

    /**
     * The events of {@code events} that pass {@code selection}, or every event where
     * {@code keepOutside}; those that fail it are counted ({@link #outside()}).
     */
    public SelectedEvents(Iterator<Event> events, Predicate<Event> selection, boolean keepOutside) {
        this.events = events;
        this.selection = selection;
        this.keepOutside = keepOutside;
    }

    @Override
    protected Event advance() {
        while (events.hasNext()) {
            Event e = events.next();
            read++;
            boolean in = selection.test(e);
            if (!in) {
                outside++;
            }
            if (in || keepOutside) {
                nextPosition = read;
                return e;
            }
        }
        return null;
    }

    @Override
    protected void returned(Event element) {
        position = nextPosition;
    }

    /** Where the event {@link #next} returned last stands in the stream, counting every event read from 1. */
    public long position() {
        return position;
    }

    /** The events read so far that fail the selection (left out, unless kept). */
    public long outside() {
        return outside;
    }
}
