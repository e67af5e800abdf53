package dev.eventlog;

import java.time.Instant;

/**
 * Whether an {@link EventLogger} is keeping up, for a health endpoint. Immutable.
 *
 * <p>The store's state is that of the last store call, not a fresh probe: while the store is
 * failing, the logger itself tries it again every retry interval, so the state follows the
 * store within that interval whenever there is something to write or replay.
 *
 * @param storeReachable whether the last store call succeeded (true before the first call)
 * @param spoolDraining whether the spool is empty, or the last replay of it succeeded
 * @param queueDepth events waiting in the async queue
 * @param spoolBytes bytes in the spool
 * @param lastSuccess when the store last took a batch, or {@code null}
 * @param lastError the last store failure's message while the store is unreachable, else {@code null}
 */
public record LoggerHealth(boolean storeReachable, boolean spoolDraining, int queueDepth, long spoolBytes,
        Instant lastSuccess, String lastError) {

    /** Whether the store is reachable and the spool is draining. */
    public boolean healthy() {
        return storeReachable && spoolDraining;
    }
}
