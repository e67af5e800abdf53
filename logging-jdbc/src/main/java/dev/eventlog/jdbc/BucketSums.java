package dev.eventlog.jdbc;

import dev.eventlog.StoreException;
import dev.eventlog.spi.RowDigests;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs a store's {@link RowDigests#sums} query over a time range as two queries at once, on two
 * connections, each over one half of the range split at an hour boundary: the content check runs
 * after the import's last batch, when nothing else keeps the second core busy, and summing every
 * row's hash is the database's work (PostgreSQL's backend per connection, SQLite's engine per
 * reading thread). The halves hold disjoint buckets, so their maps are simply joined. Thread-safe.
 */
public final class BucketSums {
    /** Below this span a range is summed in one query: two hours at most, hardly worth a thread. */
    private static final long MIN_SPLIT_MILLIS = 2 * RowDigests.BUCKET_MILLIS;

    /** The rows of one kind in {@code [from, until)} summed per bucket, as {@link RowDigests#sums} returns them. */
    @FunctionalInterface
    public interface Query {
        /** The non-empty buckets of {@code [from, until)} by their number. */
        Map<Long, RowDigests.Bucket> sums(Instant from, Instant until);
    }

    private BucketSums() {
    }

    /**
     * {@code query} over {@code [from, until)}: in two halves at once when {@code parallel} and the
     * range spans more than two hours, else in one call.
     *
     * @throws StoreException as {@code query} throws it, from whichever half failed first
     */
    public static Map<Long, RowDigests.Bucket> of(Instant from, Instant until, boolean parallel, Query query) {
        long start = from.toEpochMilli();
        long end = until.toEpochMilli();
        if (!parallel || end - start <= MIN_SPLIT_MILLIS) {
            return query.sums(from, until);
        }
        long middle = Math.floorDiv(start + (end - start) / 2, RowDigests.BUCKET_MILLIS) * RowDigests.BUCKET_MILLIS;
        // At least an hour in from either end (the range spans more than two), on an hour boundary.
        Instant split = Instant.ofEpochMilli(middle);
        FutureTask<Map<Long, RowDigests.Bucket>> first = new FutureTask<>(() -> query.sums(from, split));
        Thread helper = new Thread(first, "eventlog-check-sums");
        helper.setDaemon(true);
        helper.start();
        Map<Long, RowDigests.Bucket> second;
        try {
            second = query.sums(split, until);
        } catch (RuntimeException e) {
            first.cancel(true);
            throw e;
        }
        Map<Long, RowDigests.Bucket> all = new HashMap<>(join(first));
        all.putAll(second);
        return all;
    }

    private static Map<Long, RowDigests.Bucket> join(FutureTask<Map<Long, RowDigests.Bucket>> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new StoreException("cannot sum the row hashes: " + cause, cause);
        } catch (CancellationException e) {
            throw new StoreException("the summing of the row hashes was cancelled", e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
