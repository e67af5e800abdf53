package dev.eventlog.migrate;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.spi.RowDigests;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The content check's server-side sums of the hours a run has finished with, asked on a thread of
 * its own while the run goes on, so that the check at the end only asks for the hours left.
 *
 * <p>After each batch the target committed, the hours before the batch's earliest event (back to
 * the hour of the kind's first committed event) are summed by the target ({@link RowDigests#sums}):
 * with time-ordered input an hour is then complete, and its rows were just written. The answer is
 * kept as it was read; at the end {@link ContentChecker} compares it with the events sent in that
 * hour, and only an hour whose early sums do not agree (events of it came later, out of order, or
 * the server holds something else) is asked again, then read back row by row as before. A match
 * proves the hour held exactly the events sent when it was summed, after they were committed;
 * a change made to those rows later is not seen, as a change made after the end-of-run check is
 * not. A sum that fails is dropped: its hours are asked at the end.
 *
 * <p>{@link #committed} is called by the one thread that appends; {@link #finish} afterwards.
 */
final class EarlySums implements AutoCloseable {
    private final RowDigests digests;
    private final ExecutorService prover;
    private final Map<EventKind, long[]> next = new EnumMap<>(EventKind.class);
    private final Map<EventKind, Map<Long, RowDigests.Bucket>> sums = new ConcurrentHashMap<>();

    EarlySums(RowDigests digests) {
        this.digests = digests;
        this.prover = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "eventlog-check-early-sums");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Notes that the target committed {@code batch}, events of one kind; may ask for the hours before it. */
    void committed(List<Event> batch) {
        if (batch.isEmpty()) {
            return;
        }
        EventKind kind = batch.get(0).kind();
        long min = Long.MAX_VALUE;
        for (Event event : batch) {
            min = Math.min(min, event.ts().toEpochMilli());
        }
        // {first committed millis, the first hour not asked yet}
        long[] state = next.get(kind);
        if (state == null) {
            next.put(kind, new long[] {min, bucketOf(min)});
            return;
        }
        long low = bucketOf(min);
        if (low <= state[1]) {
            return;
        }
        long fromBucket = state[1];
        Instant from = Instant.ofEpochMilli(Math.max(fromBucket * RowDigests.BUCKET_MILLIS, state[0]));
        Instant until = Instant.ofEpochMilli(low * RowDigests.BUCKET_MILLIS);
        state[1] = low;
        prover.execute(() -> {
            Map<Long, RowDigests.Bucket> found;
            try {
                found = digests.sums(kind, from, until);
            } catch (RuntimeException e) {
                // Not an error of the run: these hours are asked again at the end, where a failure is reported.
                return;
            }
            Map<Long, RowDigests.Bucket> kindSums = sums.computeIfAbsent(kind, k -> new ConcurrentHashMap<>());
            for (long bucket = fromBucket; bucket < low; bucket++) {
                kindSums.put(bucket, found.getOrDefault(bucket, new RowDigests.Bucket(0, 0)));
            }
        });
    }

    /**
     * Waits for the sums asked so far and returns them: per kind, each hour asked with what the
     * target held in it then (an empty hour as a count of 0).
     */
    Map<EventKind, Map<Long, RowDigests.Bucket>> finish() {
        prover.shutdown();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (prover.awaitTermination(1, TimeUnit.MINUTES)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return sums;
    }

    /** Stops the thread, dropping sums not asked yet (a run that failed). */
    @Override
    public void close() {
        prover.shutdownNow();
    }

    private static long bucketOf(long millis) {
        return Math.floorDiv(millis, RowDigests.BUCKET_MILLIS);
    }
}
