package org.darkscope.io;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator over a stream that finds its next element ahead of the call that returns it, as
 * readers and filters of events must (whether there is a next event is known only once it has
 * been read): {@link #advance} gives the next one, or null at the end of the stream.
 *
 * @param <T> the elements
 */
public abstract class LookAhead<T> implements Iterator<T> {
    private T next;

    /** The next element of the stream, read now; null where there is none. */
    protected abstract T advance();

    /** Called as {@code element} is returned by {@link #next}, for what a subclass tracks of the element returned last. */
    protected void returned(T element) {
    }

    /** Whether the next element has been read already (so {@link #hasNext} reads nothing). */
    protected final boolean readAhead() {
        return next != null;
    }

    @Override
    public final boolean hasNext() {
        if (next == null) {
            next = advance();
        }
        return next != null;
    }

    @Override
    public final T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T element = next;
        next = null;
        returned(element);
        return element;
    }
}
