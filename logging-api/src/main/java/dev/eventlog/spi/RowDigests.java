package dev.eventlog.spi;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import java.time.Instant;
import java.util.Map;

/**
 * A store that can prove in one query per kind that it holds a set of events exactly as they were
 * sent, without sending the rows back: the client hashes each event as the store would keep it
 * ({@link Hasher}), the store hashes each stored row the same way (PostgreSQL in SQL; SQLite from
 * the row's stored columns, in the process) and sums the hashes per hour of event time
 * ({@link #sums}). Equal counts and sums mean equal rows (the hash covers every
 * column, the id included; two different rows hash alike with a chance of 2^-64). The content
 * check of an import, copy or reconcile uses it when the target has it (found through
 * {@link EventStore#capability(Class)}) and reads back, row by row, only the hours whose sums
 * differ. The PostgreSQL and SQLite stores have it. Implementations are thread-safe; a {@link Hasher} is not.
 */
public interface RowDigests {
    /** The width of a {@link #sums} bucket: one hour of event time, in milliseconds. */
    long BUCKET_MILLIS = 3_600_000L;

    /** Hashes events one at a time as the store would keep them. Not thread-safe: one per thread. */
    @FunctionalInterface
    interface Hasher {
        /** The 64-bit hash of the row the store keeps of {@code event}. */
        long hash(Event event);
    }

    /**
     * The rows of one bucket: how many, and the sum of their hashes, modulo 2^64.
     *
     * @param count how many rows the bucket holds
     * @param sum the sum of their hashes, wrapped as Java's {@code long} addition wraps
     */
    record Bucket(long count, long sum) {
    }

    /** A new hasher, for one thread. */
    Hasher hasher();

    /**
     * The rows of {@code kind} with an event time in {@code [from, until)}, summed per bucket.
     *
     * @return the non-empty buckets by their number, {@code floorDiv(epochMillis, }{@value #BUCKET_MILLIS}{@code )}
     * @throws dev.eventlog.StoreException when the database fails
     */
    Map<Long, Bucket> sums(EventKind kind, Instant from, Instant until);

    /**
     * Whether {@link #sums} may be asked on another thread while the store appends, without
     * holding the appends up (PostgreSQL: its pool holds more than one connection). The content
     * check then sums the hours a run has finished with during the run. Default {@code false}.
     */
    default boolean sumsWhileAppending() {
        return false;
    }
}
