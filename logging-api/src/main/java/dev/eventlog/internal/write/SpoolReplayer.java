package dev.eventlog.internal.write;

import dev.eventlog.StoreException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The background thread of a synchronous logger with a spool: every retry interval it replays
 * what the spool holds, in batches, until the spool is empty or the store fails again. (An
 * asynchronous logger's writer thread does this itself.) Thread-safe.
 */
public final class SpoolReplayer {
    private final FailoverWriter failover;
    private final int batchSize;
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean stopped;

    /** Starts replaying through {@code failover}, {@code batchSize} events per commit. */
    public SpoolReplayer(FailoverWriter failover, int batchSize, long intervalNanos) {
        this.failover = failover;
        this.batchSize = batchSize;
        this.intervalNanos = intervalNanos;
        this.thread = new Thread(this::run, "eventlog-replay");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (!stopped) {
            try {
                while (!stopped && failover.replay(batchSize)) {
                    // Keep going while chunks commit: the spool drains at the store's batch speed.
                }
            } catch (RuntimeException e) {
                failover.report(new StoreException("replaying the spool failed: " + e, e), List.of());
            }
            if (!stopped) {
                long pause = failover.storeReachable() ? intervalNanos
                        : Math.max(TimeUnit.MILLISECONDS.toNanos(1), failover.nanosUntilRetry());
                LockSupport.parkNanos(this, pause);
            }
        }
    }

    /** Stops the thread, waiting up to {@code timeoutNanos} for a replay in progress to end. */
    public void stop(long timeoutNanos) {
        stopped = true;
        LockSupport.unpark(thread);
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
