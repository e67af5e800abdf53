package dev.eventlog.analytics;

/**
 * The success scores of a set of sessions. Immutable and thread-safe.
 *
 * @param sessions how many sessions
 * @param scored how many of them have a success score
 * @param mean the mean score, or {@code null} when none is scored
 * @param median the median score (the mean of the two middle ones for an even count), or {@code null}
 * @param p90 the nearest-rank 90th percentile: the score at rank {@code ceil(0.9 × n)} in ascending
 *     order, or {@code null}
 * @param high scored sessions with a score of 80 or more
 * @param medium scored sessions with a score of 50 or more, below 80
 * @param low scored sessions with a score below 50
 */
public record SessionQuality(long sessions, long scored, Double mean, Double median, Double p90, long high, long medium,
        long low) {
}
