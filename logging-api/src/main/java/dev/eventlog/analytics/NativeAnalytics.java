package dev.eventlog.analytics;

import java.time.Instant;

/**
 * A store that answers the analytics questions itself, such as a SQL store from the views of its
 * changelog, instead of having its events streamed through
 * {@link EventAnalytics#streaming(EventStore)}. {@link EventAnalytics#of(EventStore)} uses it when the
 * store's {@code capability(NativeAnalytics.class)} answers with it (a decorator such as
 * {@code DualWriter} forwards it). An implementation must give the same numbers as the streaming one, by the
 * definitions of {@link EventAnalytics}; {@code EventStoreContractTest} checks it. Thread-safe.
 */
public interface NativeAnalytics {

    /**
     * Computes every analytics figure for the events in {@code [from, until)}.
     *
     * @param from the earliest time included, or {@code null}
     * @param until the first time excluded, or {@code null}
     * @throws dev.eventlog.StoreException when the store cannot be read
     */
    Analytics analytics(Instant from, Instant until);

    /**
     * Brings up to date, ahead of a question, whatever summary the answers read (the SQL stores'
     * per-day summaries); {@link #analytics} does it itself when needed, so calling this is never
     * required. The default has nothing to bring up to date.
     *
     * @return how many units (days, for the SQL stores) were recomputed
     * @throws dev.eventlog.StoreException when the store cannot be written
     */
    default int refreshSummaries() {
        return 0;
    }
}
