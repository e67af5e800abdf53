package dev.eventlog.spi;

import dev.eventlog.Event;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A lazily fetched sequence of events that holds a resource (a file, a result set) until it is
 * closed, turned into the {@link Stream} a store's {@code read} returns. Not thread-safe.
 */
public abstract class EventCursor implements Iterator<Event> {
    private Event next;
    private boolean done;

    /** The next event, or {@code null} when there are no more. */
    protected abstract Event fetch();

    /** Releases the resource; called when the stream is closed, and may be called more than once. */
    protected abstract void close();

    @Override
    public final boolean hasNext() {
        if (next == null && !done) {
            next = fetch();
            done = next == null;
        }
        return next != null;
    }

    @Override
    public final Event next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Event event = next;
        next = null;
        return event;
    }

    /** This cursor as an ordered stream that closes the cursor when it is closed. */
    public final Stream<Event> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(this::close);
    }
}
