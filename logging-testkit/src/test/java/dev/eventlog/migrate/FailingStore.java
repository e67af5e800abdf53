package dev.eventlog.migrate;

import dev.eventlog.Event;
import dev.eventlog.StoreException;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real store whose n-th append fails before reaching it, as a database that goes away in the
 * middle of an import would: the fault a real store cannot produce on demand.
 */
final class FailingStore implements EventStore {
    private final EventStore delegate;
    private final int failingCall;
    private int calls;

    FailingStore(EventStore delegate, int failingCall) {
        this.delegate = delegate;
        this.failingCall = failingCall;
    }

    @Override
    public int append(List<? extends Event> batch) {
        if (++calls == failingCall) {
            throw new StoreException("injected failure of append #" + calls);
        }
        return delegate.append(batch);
    }

    @Override
    public Stream<Event> read(EventQuery query) {
        return delegate.read(query);
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
