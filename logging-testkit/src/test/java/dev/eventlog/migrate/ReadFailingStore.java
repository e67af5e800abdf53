package dev.eventlog.migrate;

import dev.eventlog.Event;
import dev.eventlog.StoreException;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.testkit.CountingStore;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real store whose reads fail at the n-th event read, as a source database that goes away in
 * the middle of a copy would (the fault a real store cannot produce on demand), counting the
 * streams it opened and closed and the events it gave out. It offers none of the store's
 * capabilities, so that every event is read through it.
 */
final class ReadFailingStore extends CountingStore {
    private final long failingEvent;
    private final StoreException failure;

    /** @param failure thrown instead of the {@code failingEvent}-th event (counted from 1) */
    ReadFailingStore(EventStore delegate, long failingEvent, StoreException failure) {
        super(delegate);
        this.failingEvent = failingEvent;
        this.failure = failure;
    }

    @Override
    public Stream<Event> read(EventQuery query) {
        return super.read(query).map(event -> {
            if (eventsRead() == failingEvent) {
                throw failure;
            }
            return event;
        });
    }

    @Override
    public <T> Optional<T> capability(Class<T> type) {
        return Optional.empty();
    }
}
