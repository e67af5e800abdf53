package dev.eventlog.bench;

import java.util.Arrays;

/** Exact percentiles of recorded durations (nanoseconds). */
final class Percentiles {
    private final long[] sorted;

    Percentiles(long[] samples, int count) {
        this.sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
    }

    /** The duration that {@code quantile} of the samples do not exceed, in microseconds. */
    double micros(double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1_000.0;
    }

    /** The largest sample in microseconds. */
    double maxMicros() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1_000.0;
    }

    /** {@code p50 / p99 / p99.9 / max} in microseconds. */
    String summary() {
        return String.format("p50 %.1f / p99 %.1f / p99.9 %.1f / max %.0f µs", micros(0.5), micros(0.99),
                micros(0.999), maxMicros());
    }
}
