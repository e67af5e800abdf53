package dev.eventlog.migrate;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A real store whose reads fail at the n-th event read, as a source database that goes away in
 * the middle of a copy would (the fault a real store cannot produce on demand), and which counts
 * the streams it opened and closed and the events it gave out.
 */
final class ReadFailingStore implements EventStore {
    private final EventStore delegate;
    private final long failingEvent;
    private final StoreException failure;
    private final AtomicLong read = new AtomicLong();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();

    /** @param failure thrown instead of the {@code failingEvent}-th event (counted from 1) */
    ReadFailingStore(EventStore delegate, long failingEvent, StoreException failure) {
        this.delegate = delegate;
        this.failingEvent = failingEvent;
        this.failure = failure;
    }

    @Override
    public int append(List<? extends Event> batch) {
        return delegate.append(batch);
    }

    @Override
    public Stream<Event> read(EventQuery query) {
        opened.incrementAndGet();
        return delegate.read(query).map(event -> {
            if (read.incrementAndGet() == failingEvent) {
                throw failure;
            }
            return event;
        }).onClose(closed::incrementAndGet);
    }

    @Override
    public Map<EventKind, Long> count(EventQuery query) {
        return delegate.count(query);
    }

    int streamsOpened() {
        return opened.get();
    }

    int streamsClosed() {
        return closed.get();
    }

    long eventsRead() {
        return read.get();
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
