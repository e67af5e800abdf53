package dev.eventlog.internal.write;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.EventLogException;
import dev.eventlog.StoreException;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A store that is opened on first use, and again on every use until opening succeeds: what a
 * logger with a spool writes to when its database was down at start. Each failed use throws the
 * opener's failure, so the write path spools the batch and retries later; once opened, every call
 * goes to the real store. Thread-safe: one thread opens at a time.
 */
public final class LazyEventStore implements EventStore {
    private final Supplier<? extends EventStore> opener;
    private final Object lock = new Object();
    private volatile EventStore delegate;
    private volatile String lastFailure;
    private boolean closed;

    /**
     * @param opener opens the real store, throwing when it cannot
     * @param failure why the first attempt failed, for {@link #describe()} until it opens
     */
    public LazyEventStore(Supplier<? extends EventStore> opener, String failure) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.lastFailure = failure;
    }

    /** Whether the real store is open. */
    public boolean opened() {
        return delegate != null;
    }

    private EventStore delegate() {
        EventStore store = delegate;
        if (store != null) {
            return store;
        }
        synchronized (lock) {
            if (closed) {
                throw new StoreException("the store is closed");
            }
            if (delegate == null) {
                EventStore opened;
                try {
                    opened = opener.get();
                } catch (EventLogException e) {
                    lastFailure = e.getMessage();
                    throw e;
                } catch (RuntimeException e) {
                    lastFailure = String.valueOf(e);
                    throw new StoreException("could not open the store: " + e, e);
                }
                if (opened == null) {
                    throw new StoreException("the store opener returned null");
                }
                delegate = opened;
            }
            return delegate;
        }
    }

    @Override
    public int append(List<? extends Event> batch) {
        return delegate().append(batch);
    }

    @Override
    public Stream<Event> read(EventQuery query) {
        return delegate().read(query);
    }

    @Override
    public Map<EventKind, Long> count(EventQuery query) {
        return delegate().count(query);
    }

    @Override
    public String describe() {
        EventStore store = delegate;
        return store != null ? store.describe() : "a store not opened yet (last attempt: " + lastFailure + ")";
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (delegate != null) {
                delegate.close();
            }
        }
    }
}
