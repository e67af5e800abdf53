package dev.eventlog.internal.write;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts durations in logarithmic buckets (eight per power of two, so a percentile is within
 * 12.5% of the true value) in fixed memory. Recording is one atomic increment and allocates
 * nothing. Thread-safe: any number of threads may record while others read.
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 3;
    private static final int SUB_BUCKETS = 1 << SUB_BITS;
    private static final int BUCKETS = 64 * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** Records one duration of {@code nanos} nanoseconds; negative values count as zero. */
    public void record(long nanos) {
        counts.incrementAndGet(bucket(Math.max(0, nanos)));
    }

    /** How many durations were recorded. */
    public long count() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /**
     * The duration, in nanoseconds, that {@code quantile} (0 to 1) of the recorded durations do
     * not exceed: the upper bound of the bucket holding that rank, or 0 when nothing was recorded.
     */
    public long quantile(double quantile) {
        long[] snapshot = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
            total += snapshot[i];
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(BUCKETS - 1);
    }

    /** Forgets every recorded duration. */
    public void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
    }

    static int bucket(long nanos) {
        if (nanos < SUB_BUCKETS) {
            return (int) nanos;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(nanos);
        int sub = (int) (nanos >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
        return (exponent - SUB_BITS + 1) * SUB_BUCKETS + sub;
    }

    static long upperBound(int bucket) {
        if (bucket < SUB_BUCKETS) {
            return bucket;
        }
        int exponent = bucket / SUB_BUCKETS + SUB_BITS - 1;
        long sub = bucket % SUB_BUCKETS;
        long lower = (1L << exponent) + (sub << (exponent - SUB_BITS));
        long width = 1L << (exponent - SUB_BITS);
        return exponent >= 62 ? Long.MAX_VALUE : lower + width - 1;
    }
}
