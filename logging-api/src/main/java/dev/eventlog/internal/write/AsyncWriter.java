package dev.eventlog.internal.write;

import dev.eventlog.AsyncOptions;
import dev.eventlog.Backpressure;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.EventLogException;
import dev.eventlog.StoreException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The asynchronous write path: callers put events on a lock-free bounded queue, and one writer
 * thread commits them in batches through a {@link FailoverWriter}, replaying the spool when it
 * has nothing else to do.
 *
 * <p>The writer sleeps for the flush interval between batches. A caller wakes it only when its
 * event completes a batch's worth (about one caller in {@code batchSize}), on a full queue, on
 * {@link #flush} and on {@link #close}: waking a thread costs tens of microseconds, far more than
 * queueing an event.
 *
 * <p>Thread-safe.
 */
public final class AsyncWriter {
    private static final VarHandle SLEEPING;
    private static final long RETRY_WITHOUT_SPOOL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * The longest a caller blocked on a full queue sleeps before it looks again by itself; the
     * writer wakes it as soon as a batch leaves the queue, so this is only a safety net.
     */
    private static final long BLOCK_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    static {
        try {
            SLEEPING = MethodHandles.lookup().findVarHandle(AsyncWriter.class, "sleeping", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MpscQueue<Event> queue;
    private final FailoverWriter failover;
    private final WriteAheadLog writeAhead;
    private final WriteStats stats;
    private final Backpressure[] policies = new Backpressure[EventKind.values().length];
    private final int batchSize;
    private final long wakeMask;
    private final long flushNanos;
    private final long maxBlockNanos;
    private final long retryNanos;
    private final Thread thread;
    /** Callers waiting for room in a full queue ({@code BLOCK}): the writer wakes them when it takes a batch. */
    private final Set<Thread> blocked = ConcurrentHashMap.newKeySet();

    @SuppressWarnings("unused")
    private volatile boolean sleeping;
    private volatile boolean flushRequested;
    private volatile boolean closed;
    private volatile long closeDeadline;
    private volatile long settled;

    /**
     * Starts the writer thread.
     *
     * @param writeAhead the write-ahead log, or {@code null}
     * @param retryNanos how long to wait before retrying a failed batch when there is no spool
     */
    public AsyncWriter(AsyncOptions options, FailoverWriter failover, WriteAheadLog writeAhead, WriteStats stats,
            long retryNanos) {
        this.queue = new MpscQueue<>(options.queueCapacity());
        this.failover = failover;
        this.writeAhead = writeAhead;
        this.stats = stats;
        for (EventKind kind : EventKind.values()) {
            policies[kind.ordinal()] = options.backpressure(kind);
        }
        this.batchSize = options.batchSize();
        this.wakeMask = Long.highestOneBit(batchSize) - 1;
        this.flushNanos = options.flushInterval().toNanos();
        this.maxBlockNanos = options.maxBlock().toNanos();
        this.retryNanos = failover.spoolOrNull() == null ? RETRY_WITHOUT_SPOOL_NANOS : retryNanos;
        this.thread = new Thread(this::run, "eventlog-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues {@code event}, or applies its kind's backpressure when the queue is full. Never throws. */
    public void offer(Event event) {
        if (closed) {
            failover.drop(List.of(event), "the logger is closed");
            return;
        }
        long index = writeAhead == null ? queue.offer(event) : offerAhead(event);
        if (index >= 0) {
            if ((index & wakeMask) == wakeMask && sleeping) {
                wake();
            }
            return;
        }
        full(event);
    }

    private long offerAhead(Event event) {
        synchronized (writeAhead.lock()) {
            long index = queue.offer(event);
            if (index >= 0) {
                try {
                    writeAhead.append(event, index);
                } catch (EventLogException e) {
                    // The event is queued and will be committed; only its crash protection failed.
                    failover.report(e, List.of(event));
                }
            }
            return index;
        }
    }

    private void full(Event event) {
        switch (policies[event.kind().ordinal()]) {
            case DROP_NEWEST -> failover.drop(List.of(event),
                    "the queue is full (" + queue.capacity() + " events) and its kind's backpressure is DROP_NEWEST");
            case SPILL -> failover.spool(List.of(event));
            case BLOCK -> block(event);
            default -> throw new IllegalStateException("unknown backpressure");
        }
    }

    /**
     * Waits for room in the queue, up to {@code maxBlock}. The caller sleeps until the writer takes
     * a batch off the queue and wakes it ({@link #drainQueue}): polling the queue every few
     * microseconds instead cost a blocked writer process more CPU than making its events.
     */
    private void block(Event event) {
        long deadline = System.nanoTime() + maxBlockNanos;
        Thread caller = Thread.currentThread();
        // Announced before looking at the queue again, so a batch taken after that look wakes it.
        blocked.add(caller);
        try {
            while (true) {
                wake();
                long index = writeAhead == null ? queue.offer(event) : offerAhead(event);
                if (index >= 0) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    break;
                }
                LockSupport.parkNanos(this, Math.min(left, BLOCK_PAUSE_NANOS));
            }
        } finally {
            blocked.remove(caller);
        }
        if (failover.spoolOrNull() != null) {
            failover.spool(List.of(event));
        } else {
            failover.drop(List.of(event), "the queue stayed full for async.maxBlock ("
                    + TimeUnit.NANOSECONDS.toMillis(maxBlockNanos) + " ms) and there is no spool");
        }
    }

    private void wake() {
        if (SLEEPING.compareAndSet(this, true, false)) {
            LockSupport.unpark(thread);
        }
    }

    /** Events waiting in the queue. */
    public int depth() {
        return queue.size();
    }

    /**
     * Waits until every event queued before this call is committed or spooled.
     *
     * @return false when {@code timeoutNanos} passed first
     */
    public boolean flush(long timeoutNanos) {
        long target = queue.producerIndex();
        long deadline = System.nanoTime() + timeoutNanos;
        flushRequested = true;
        LockSupport.unpark(thread);
        while (settled < target) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !thread.isAlive()) {
                return settled >= target;
            }
            LockSupport.parkNanos(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(1)));
        }
        return true;
    }

    /**
     * Stops taking events and waits up to {@code timeoutNanos} for the queue to be committed;
     * then what is left goes to the spool (or is dropped and counted without one).
     *
     * @return false when the writer had not finished within the timeout (it is left to finish
     *     in the background, and the events it still holds are counted as dropped)
     */
    public boolean close(long timeoutNanos) {
        closeDeadline = System.nanoTime() + timeoutNanos;
        closed = true;
        LockSupport.unpark(thread);
        wakeBlocked();
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + 1_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            int stranded = queue.size();
            stats.dropped.add(stranded);
            failover.report(new StoreException("the writer did not finish within async.drainTimeout; "
                    + stranded + " queued event(s) are lost"), List.of());
            return false;
        }
        // Events queued by callers that raced with closing: the writer has stopped, so take them here.
        List<Event> late = new ArrayList<>();
        while (queue.drain(late, batchSize) > 0) {
            if (!failover.write(late)) {
                failover.drop(late, "the logger closed while the store was failing and there is no spool");
            }
            late.clear();
        }
        settled = queue.consumerIndex();
        if (writeAhead != null) {
            writeAhead.close(settled);
        }
        return true;
    }

    private void run() {
        List<Event> batch = new ArrayList<>(batchSize);
        long nextFlush = System.nanoTime() + flushNanos;
        while (true) {
            boolean closing = closed;
            if (!closing && !flushRequested && queue.size() < batchSize) {
                long now = System.nanoTime();
                if (now - nextFlush < 0) {
                    // Idle until the next flush: a good moment to give back what the spool holds.
                    if (replay()) {
                        continue;
                    }
                    sleep(nextFlush - now);
                    if (!closed && !flushRequested && queue.size() < batchSize
                            && System.nanoTime() - nextFlush < 0) {
                        continue;
                    }
                }
            }
            nextFlush = System.nanoTime() + flushNanos;
            flushRequested = false;
            drainQueue(batch);
            if (closing && queue.size() == 0) {
                return;
            }
        }
    }

    private boolean replay() {
        try {
            return failover.replay(batchSize);
        } catch (RuntimeException e) {
            failover.report(new StoreException("replaying the spool failed: " + e, e), List.of());
            return false;
        }
    }

    private void sleep(long nanos) {
        sleeping = true;
        // Re-check after announcing the sleep: a caller that filled a batch in between saw no sleeper.
        if (queue.size() < batchSize && !flushRequested && !closed) {
            LockSupport.parkNanos(this, nanos);
        }
        sleeping = false;
    }

    /** Commits everything queued when it starts, batch by batch; later events wait for the next round. */
    private void drainQueue(List<Event> batch) {
        long until = queue.producerIndex();
        long consumer;
        while ((consumer = queue.consumerIndex()) < until) {
            batch.clear();
            queue.drain(batch, (int) Math.min(batchSize, until - consumer));
            wakeBlocked();
            commit(batch);
            settled = queue.consumerIndex();
            if (writeAhead != null) {
                writeAhead.release(settled);
            }
        }
    }

    /** Wakes the callers blocked on the full queue, now that a batch has left it. */
    private void wakeBlocked() {
        // The queue's consumer index is published with release semantics only: fence it before
        // reading who is blocked, or a caller that announced itself and then found the queue full
        // could be missed (it would sleep until BLOCK_PAUSE_NANOS).
        VarHandle.fullFence();
        if (!blocked.isEmpty()) {
            for (Thread caller : blocked) {
                LockSupport.unpark(caller);
            }
        }
    }

    private void commit(List<Event> batch) {
        try {
            while (true) {
                if (closed && System.nanoTime() - closeDeadline >= 0) {
                    // Out of time to commit: the spool keeps the rest for the next logger.
                    failover.spool(batch);
                    return;
                }
                if (failover.write(batch)) {
                    return;
                }
                // No spool: keep the batch and try again; the queue absorbs what arrives meanwhile.
                long pause = retryNanos;
                if (closed) {
                    pause = Math.min(pause, Math.max(1, closeDeadline - System.nanoTime()));
                }
                LockSupport.parkNanos(this, pause);
            }
        } catch (RuntimeException e) {
            // Not a store failure (those are handled by the failover writer): keep the writer alive.
            failover.drop(batch, "writing the batch failed unexpectedly: " + e);
        }
    }
}
