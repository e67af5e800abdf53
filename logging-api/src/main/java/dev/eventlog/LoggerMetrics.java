package dev.eventlog;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of what an {@link EventLogger} has done since it was built. Immutable.
 *
 * <p>Every event handed to the logger ends in exactly one of: committed to the store, spooled
 * (and later replayed), dropped, or (sync mode without a spool) failed; plus, in async mode,
 * still waiting in the queue ({@code queueDepth}).
 *
 * @param logged events handed to the logger (appended by the application)
 * @param stored events the store reported as new (a re-logged or replayed id is not counted again)
 * @param failedBatches store calls that failed (first attempts, retries and replays)
 * @param failedEvents events in those failed calls
 * @param committed events in store calls that succeeded, replays included
 * @param batches store calls that succeeded, replays included
 * @param retried store calls made again after a failure (held batches and replays)
 * @param spooled events written to the spool (failed batches, spilled events, unfinished queue at close)
 * @param replayed spooled events committed to the store
 * @param dropped events given up: dropped under backpressure, rejected by a full spool or
 *     a closed logger, or left over when a logger without spool closed with a failing store
 * @param queueDepth events waiting in the async queue now (0 in sync mode)
 * @param spoolBytes bytes in the spool now (0 without a spool)
 * @param lastSuccess when the store last took a batch, or {@code null} if it never did
 * @param commitLatency how long store calls that succeeded took
 */
public record LoggerMetrics(long logged, long stored, long failedBatches, long failedEvents, long committed,
        long batches, long retried, long spooled, long replayed, long dropped, int queueDepth, long spoolBytes,
        Instant lastSuccess, Latency commitLatency) {

    /**
     * Percentiles of a duration over a logger's life, each within 12.5% of the true value.
     *
     * @param count how many durations were measured
     * @param p50 the median
     * @param p99 the 99th percentile
     * @param p999 the 99.9th percentile
     * @param max the largest
     */
    public record Latency(long count, Duration p50, Duration p99, Duration p999, Duration max) {
    }
}
