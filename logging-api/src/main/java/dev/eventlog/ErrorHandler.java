package dev.eventlog;

import java.util.List;

/**
 * Receives store failures that eventlog does not throw into the caller's thread, and events it
 * gave up (dropped under backpressure, rejected by a full spool). Called on the thread that saw
 * the failure: the caller's in sync mode, the writer's in async mode; implementations must be
 * thread-safe, quick, and must not throw (what they throw is counted and dropped).
 */
@FunctionalInterface
public interface ErrorHandler {

    /**
     * Called once per failed batch.
     *
     * @param error what failed, naming the store
     * @param events the events of the batch that failed
     */
    void onFailure(EventLogException error, List<? extends Event> events);

    /**
     * The default: an SLF4J warning on logger {@code dev.eventlog}, at most one per ten seconds,
     * saying how many failures were not printed since the last one. Without an SLF4J provider on
     * the class path the same line, without a stack trace, goes to standard error instead.
     */
    static ErrorHandler logging() {
        return new RateLimitedWarning(10_000);
    }

    /** A handler that ignores failures; they are still counted. */
    static ErrorHandler ignoring() {
        return (error, events) -> { };
    }
}
