package dev.eventlog.internal.write;

import dev.eventlog.LoggerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters behind {@link LoggerMetrics}: striped adders, so threads counting at once do not
 * contend on one cache line, and a latency histogram. Thread-safe.
 */
public final class WriteStats {
    private static final long NEVER = Long.MIN_VALUE;
    /** Events handed to the logger. */
    public final LongAdder logged = new LongAdder();
    /** Events the store reported as new. */
    public final LongAdder stored = new LongAdder();
    /** Store calls that failed. */
    public final LongAdder failedBatches = new LongAdder();
    /** Events in store calls that failed. */
    public final LongAdder failedEvents = new LongAdder();
    /** Events in store calls that succeeded. */
    public final LongAdder committed = new LongAdder();
    /** Store calls that succeeded. */
    public final LongAdder batches = new LongAdder();
    /** Store calls made again after a failure. */
    public final LongAdder retried = new LongAdder();
    /** Events written to the spool. */
    public final LongAdder spooled = new LongAdder();
    /** Spooled events committed to the store. */
    public final LongAdder replayed = new LongAdder();
    /** Events given up. */
    public final LongAdder dropped = new LongAdder();
    /** How long successful store calls took. */
    public final LatencyHistogram commitLatency = new LatencyHistogram();
    private final AtomicLong lastSuccessNanos = new AtomicLong(NEVER);

    /**
     * Counts a successful store call of {@code size} events, {@code fresh} of them new, that
     * started at {@code startNanos} and ended at {@code endNanos} ({@link System#nanoTime()}).
     */
    public void commit(int size, int fresh, long startNanos, long endNanos) {
        batches.increment();
        committed.add(size);
        stored.add(fresh);
        commitLatency.record(endNanos - startNanos);
        // A plain ordered store: readers only need a recent value, and the append path no fence.
        lastSuccessNanos.lazySet(endNanos);
    }

    /** Counts a failed store call of {@code size} events. */
    public void fail(int size) {
        failedBatches.increment();
        failedEvents.add(size);
    }

    /** When the store last took a batch, or {@code null}. */
    public Instant lastSuccess() {
        long nanos = lastSuccessNanos.get();
        return nanos == NEVER ? null : Instant.now().minusNanos(System.nanoTime() - nanos);
    }

    /** A snapshot, with the current queue depth and spool size. */
    public LoggerMetrics snapshot(int queueDepth, long spoolBytes) {
        LatencyHistogram h = commitLatency;
        LoggerMetrics.Latency latency = new LoggerMetrics.Latency(h.count(), Duration.ofNanos(h.quantile(0.5)),
                Duration.ofNanos(h.quantile(0.99)), Duration.ofNanos(h.quantile(0.999)),
                Duration.ofNanos(h.quantile(1.0)));
        return new LoggerMetrics(logged.sum(), stored.sum(), failedBatches.sum(), failedEvents.sum(),
                committed.sum(), batches.sum(), retried.sum(), spooled.sum(), replayed.sum(), dropped.sum(),
                queueDepth, spoolBytes, lastSuccess(), latency);
    }
}
