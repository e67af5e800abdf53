package dev.eventlog;

import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real store behind a switch that injects the faults a test needs on demand: "unreachable"
 * (every append throws, as a dead database does) and "stalled" (appends wait for a latch, as a
 * locked database does). Reads always reach the real store. Thread-safe.
 */
final class FlakyStore implements EventStore {
    private final EventStore real;
    private volatile boolean unreachable;
    private volatile CountDownLatch stall;
    final AtomicInteger appendCalls = new AtomicInteger();

    FlakyStore(EventStore real) {
        this.real = real;
    }

    void unreachable(boolean unreachable) {
        this.unreachable = unreachable;
    }

    /** Makes appends wait until the returned latch is counted down. */
    CountDownLatch stall() {
        CountDownLatch latch = new CountDownLatch(1);
        stall = latch;
        return latch;
    }

    EventStore real() {
        return real;
    }

    @Override
    public int append(List<? extends Event> batch) {
        appendCalls.incrementAndGet();
        CountDownLatch latch = stall;
        if (latch != null) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while stalled", e);
            }
        }
        if (unreachable) {
            throw new StoreException(describe() + ": connection refused (injected fault)");
        }
        return real.append(batch);
    }

    @Override
    public Stream<Event> read(EventQuery query) {
        return real.read(query);
    }

    @Override
    public Map<EventKind, Long> count(EventQuery query) {
        return real.count(query);
    }

    @Override
    public String describe() {
        return "flaky(" + real.describe() + ")";
    }

    @Override
    public void close() {
        real.close();
    }
}
