package dev.eventlog.internal.write;

import dev.eventlog.ErrorHandler;
import dev.eventlog.Event;
import dev.eventlog.EventLogException;
import dev.eventlog.InvalidEventException;
import dev.eventlog.StoreException;
import dev.eventlog.spi.EventStore;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes batches to the store and, when the store fails, to the spool; replays the spool when
 * the store answers again. Counts everything in {@link WriteStats} and reports every failure to
 * the {@link ErrorHandler}.
 *
 * <p>After a failure the store is left alone for the retry interval: batches go straight to the
 * spool, and then one thread (a caller or the replay) tries the store again, the others still
 * spooling, so no more than one caller per interval waits for a dead database's timeout.
 *
 * <p>Thread-safe: any thread may {@link #write}; one thread at a time may {@link #replay}.
 */
public final class FailoverWriter {
    private final EventStore store;
    private final Spool spool;
    private final WriteStats stats;
    private final ErrorHandler errorHandler;
    private final long retryNanos;
    private final boolean failFast;
    private final AtomicLong retryAt = new AtomicLong();
    private volatile boolean down;
    private volatile String lastError;
    private volatile boolean lastReplayFailed;

    /**
     * @param spool where failed batches go, or {@code null} for none
     * @param retryNanos how long after a failure the store is tried again
     * @param failFast whether a store failure is thrown into the caller (only without a spool)
     */
    public FailoverWriter(EventStore store, Spool spool, WriteStats stats, ErrorHandler errorHandler,
            long retryNanos, boolean failFast) {
        this.store = store;
        this.spool = spool;
        this.stats = stats;
        this.errorHandler = errorHandler;
        this.retryNanos = retryNanos;
        this.failFast = failFast;
    }

    /**
     * Commits {@code batch}, or spools it when the store fails or is known to be down.
     *
     * @return true when the batch was committed, spooled or given up (counted as dropped because
     *     the spool is full); false when the store failed and there is no spool
     * @throws RuntimeException the store's failure, when built fail-fast
     */
    public boolean write(List<? extends Event> batch) {
        boolean retry = down;
        if (retry) {
            if (spool != null && !claimRetry()) {
                spool(batch);
                return true;
            }
            stats.retried.increment();
        }
        long start = System.nanoTime();
        int fresh;
        try {
            fresh = store.append(batch);
        } catch (InvalidEventException e) {
            // The store refuses an event it cannot encode: not a store failure, and retrying or
            // spooling cannot help. Only the refused events are dropped; the others go on.
            return refused(batch, e);
        } catch (RuntimeException e) {
            failed(batch, e);
            if (failFast) {
                throw e;
            }
            if (spool == null) {
                return false;
            }
            spool(batch);
            return true;
        }
        stats.commit(batch.size(), fresh, start, System.nanoTime());
        if (retry) {
            up();
        }
        return true;
    }

    private boolean refused(List<? extends Event> batch, InvalidEventException e) {
        if (batch.size() == 1) {
            drop(batch, "the store refused it: " + e.getMessage());
            if (failFast) {
                throw e;
            }
            return true;
        }
        boolean allTaken = true;
        for (Event event : batch) {
            allTaken &= write(List.of(event));
        }
        return allTaken;
    }

    /**
     * Replays up to {@code max} spooled events when the store is up or due for a retry.
     *
     * @return true when some were committed (there may be more)
     */
    public boolean replay(int max) {
        if (spool == null || (down && !claimRetry())) {
            return false;
        }
        List<Event> chunk;
        try {
            chunk = spool.peek(max);
        } catch (StoreException e) {
            report(e, List.of());
            return true;
        }
        if (chunk.isEmpty()) {
            lastReplayFailed = false;
            return false;
        }
        boolean retry = down;
        if (retry) {
            stats.retried.increment();
        }
        long start = System.nanoTime();
        int fresh;
        try {
            fresh = store.append(chunk);
        } catch (InvalidEventException e) {
            // One event the store refuses must not hold the spool back: write the chunk event by
            // event (a refused one is dropped and counted), then move past it.
            refused(chunk, e);
            commitReplayed();
            return true;
        } catch (RuntimeException e) {
            spool.rewind();
            lastReplayFailed = true;
            failed(chunk, e);
            return false;
        }
        stats.commit(chunk.size(), fresh, start, System.nanoTime());
        stats.replayed.add(chunk.size());
        lastReplayFailed = false;
        if (retry) {
            up();
        }
        commitReplayed();
        return true;
    }

    private void commitReplayed() {
        try {
            spool.commit();
        } catch (StoreException e) {
            report(e, List.of());
        }
    }

    /** Puts {@code batch} in the spool, or drops and counts it when there is none or it is full. */
    public void spool(List<? extends Event> batch) {
        if (spool == null) {
            drop(batch, "there is no spool");
            return;
        }
        boolean taken;
        try {
            taken = spool.append(batch);
        } catch (InvalidEventException e) {
            if (batch.size() > 1) {
                // Spool the events it can encode; only the refused ones are dropped.
                batch.forEach(event -> spool(List.of(event)));
            } else {
                drop(batch, "the spool refused it: " + e.getMessage());
            }
            return;
        } catch (EventLogException e) {
            stats.dropped.add(batch.size());
            report(e, batch);
            return;
        }
        if (taken) {
            stats.spooled.add(batch.size());
        } else {
            drop(batch, "spool " + spool.directory() + " is full (spool.maxBytes)");
        }
    }

    /** Drops {@code batch}, counting it and telling the error handler {@code why}. */
    public void drop(List<? extends Event> batch, String why) {
        stats.dropped.add(batch.size());
        report(new StoreException("dropped " + batch.size() + " event(s): " + why), batch);
    }

    /**
     * Starts out with the store down, because it could not be opened: batches go to the spool
     * until the retry interval has passed, and {@code error} is reported once.
     */
    public void startDown(EventLogException error) {
        retryAt.set(System.nanoTime() + retryNanos);
        down = true;
        lastError = error.getMessage();
        report(error, List.of());
    }

    /** Whether the last store call succeeded. */
    public boolean storeReachable() {
        return !down;
    }

    /** Whether the spool is empty or its last replay succeeded. */
    public boolean spoolDraining() {
        return spool == null || spool.bytes() == 0 || !lastReplayFailed && !down;
    }

    /** The last failure's message while the store is down, else {@code null}. */
    public String lastError() {
        return down ? lastError : null;
    }

    /** Bytes in the spool. */
    public long spoolBytes() {
        return spool == null ? 0 : spool.bytes();
    }

    /** The spool, or {@code null}. */
    public Spool spoolOrNull() {
        return spool;
    }

    /** Nanoseconds until the store is due for a retry; 0 when it is up or due. */
    public long nanosUntilRetry() {
        return down ? Math.max(0, retryAt.get() - System.nanoTime()) : 0;
    }

    /**
     * Whether this thread may try the store that is down: only when the retry time has come, and
     * only one thread per retry interval, so that callers do not all wait on a dead store at once.
     */
    private boolean claimRetry() {
        long due = retryAt.get();
        long now = System.nanoTime();
        return now - due >= 0 && retryAt.compareAndSet(due, now + retryNanos);
    }

    private void up() {
        down = false;
        lastError = null;
    }

    private void failed(List<? extends Event> batch, RuntimeException e) {
        stats.fail(batch.size());
        retryAt.set(System.nanoTime() + retryNanos);
        down = true;
        EventLogException error = e instanceof EventLogException ele ? ele
                : new StoreException(store.describe() + " failed: " + e, e);
        lastError = error.getMessage();
        if (!failFast) {
            report(error, batch);
        }
    }

    /** Hands {@code error} to the error handler; a handler that throws is not allowed to stop the writer. */
    public void report(EventLogException error, List<? extends Event> batch) {
        try {
            errorHandler.onFailure(error, List.copyOf(batch));
        } catch (RuntimeException handlerFailure) {
            // A handler must not throw; the failure is already counted.
            error.addSuppressed(handlerFailure);
        }
    }
}
