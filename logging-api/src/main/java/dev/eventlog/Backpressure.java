package dev.eventlog;

/**
 * What an asynchronous {@link EventLogger} does with an event when its queue is full, chosen per
 * event kind in {@link AsyncOptions}. Whatever the choice, every event that is neither queued nor
 * spooled is counted in {@link LoggerMetrics#dropped()} and reported to the {@link ErrorHandler}.
 */
public enum Backpressure {
    /**
     * The caller waits for room, at most {@link AsyncOptions#maxBlock()}; then the event is
     * spooled when a spool is configured, and dropped otherwise.
     */
    BLOCK,
    /** The event is dropped at once and counted; the caller never waits. For high-volume, low-value kinds. */
    DROP_NEWEST,
    /**
     * The caller writes the event to the spool (one buffered file append) and goes on; the
     * writer replays it later. Nothing is lost and the caller never waits for the store. Needs
     * {@link EventLogger.Builder#spool(SpoolOptions)}. The default.
     */
    SPILL
}
