package dev.eventlog.analytics;

/**
 * A store that answers the session questions itself, such as a SQL store from the
 * {@code session_summary_view} of its changelog, instead of having its events streamed through
 * {@link SessionAnalytics#streaming(dev.eventlog.spi.EventStore)}. {@link SessionAnalytics#of} uses
 * it when a store implements it. The answers must equal the streaming ones; the session contract
 * test of the test kit checks it. Thread-safe.
 */
public interface NativeSessionAnalytics {

    /** The store's own session analytics. */
    SessionAnalytics sessionAnalytics();
}
