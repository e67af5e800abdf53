package dev.eventlog.testkit;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.LazyCommits;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A real store seen through a face that counts the events read through it and the read streams
 * opened and closed, and forwards every call, capabilities included, to the store. A test extends
 * it to watch or break the one call a real store cannot be asked to (a read that fails half-way, the
 * ranges a capability is asked for), and keeps the real store for everything else. Thread-safe as
 * the store is.
 */
public class CountingStore implements EventStore {
    /** The real store every call goes to. */
    protected final EventStore delegate;
    private final AtomicLong read = new AtomicLong();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();

    /** Forwards to {@code store}, which this store closes. */
    public CountingStore(EventStore store) {
        this.delegate = store;
    }

    @Override
    public int append(List<? extends Event> batch) {
        return delegate.append(batch);
    }

    /** The store's events, each counted as it is read; the stream's closing is counted too. */
    @Override
    public Stream<Event> read(EventQuery query) {
        opened.incrementAndGet();
        return delegate.read(query).map(event -> {
            read.incrementAndGet();
            return event;
        }).onClose(closed::incrementAndGet);
    }

    @Override
    public Map<EventKind, Long> count(EventQuery query) {
        return delegate.count(query);
    }

    /** The delegate's abilities, but for {@link LazyCommits}: its appends would not be counted. */
    @Override
    public <T> Optional<T> capability(Class<T> type) {
        return type == LazyCommits.class ? Optional.empty() : delegate.capability(type);
    }

    /** How many events were read through this store. */
    public long eventsRead() {
        return read.get();
    }

    /** How many streams {@link #read} gave out. */
    public int streamsOpened() {
        return opened.get();
    }

    /** How many of the streams {@link #read} gave out were closed. */
    public int streamsClosed() {
        return closed.get();
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
