package dev.eventlog;

/**
 * A snapshot of what an {@link EventLogger} has done since it was built. Immutable.
 *
 * @param logged events handed to the logger
 * @param stored events the store reported as new (re-logged ids are not counted again)
 * @param failedBatches batches the store failed to take
 * @param failedEvents events in those batches
 */
public record LoggerMetrics(long logged, long stored, long failedBatches, long failedEvents) {
}
