package dev.eventlog.jdbc;

import dev.eventlog.StoreException;
import dev.eventlog.spi.RowDigests;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
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
 * reading thread). The halves hold disjoint buckets, so their maps are simply joined. Also what
 * both SQL stores' {@link RowDigests} share: a half read on a read connection ({@link #read}), and
 * a row's hash from the bytes a store spells it in ({@link #md5}, {@link #rowHash}). Thread-safe.
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

    /** One query's sums read on {@code connection}, a read connection whose transaction is not yet begun. */
    @FunctionalInterface
    public interface Read {
        /** The non-empty buckets the query reads, by their number. */
        Map<Long, RowDigests.Bucket> sums(Connection connection) throws SQLException;
    }

    private BucketSums() {
    }

    /**
     * Runs {@code read} on a read connection of {@code connections}, then ends its transaction and
     * gives the connection back.
     *
     * @param table the table summed, for the failure message
     * @throws StoreException when the read or giving the connection back fails
     */
    public static Map<Long, RowDigests.Bucket> read(ConnectionSource connections, String table, Read read) {
        Connection connection = null;
        try {
            connection = connections.acquire(false);
            Map<Long, RowDigests.Bucket> sums = read.sums(connection);
            connection.rollback();
            return sums;
        } catch (SQLException e) {
            throw new StoreException("cannot sum the row hashes of " + table + ": " + e.getMessage(), e);
        } finally {
            if (connection != null) {
                try {
                    connections.release(connection, false);
                } catch (SQLException e) {
                    throw new StoreException("could not release a connection: " + e.getMessage(), e);
                }
            }
        }
    }

    /** A new MD5 digest, for one thread. */
    public static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java platform", e);
        }
    }

    /** A row's hash: the first 8 bytes (big-endian) of the MD5 of {@code bytes[0, length)}. */
    public static long rowHash(MessageDigest md5, byte[] bytes, int length) {
        md5.update(bytes, 0, length);
        byte[] digest = md5.digest();
        long hash = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            hash = (hash << 8) | (digest[i] & 0xFF);
        }
        return hash;
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
