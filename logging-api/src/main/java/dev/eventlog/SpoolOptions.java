package dev.eventlog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an {@link EventLogger} keeps the events its store could not take, and how it gives them
 * back. Immutable; built with {@link #builder(Path)} and validated by {@link Builder#build()}.
 *
 * <p>When the store fails (database unreachable, file locked), the failed batch is appended to
 * the spool: a directory of segments, each a JSONL directory in the JSONL format (README, "JSONL format")
 * (one file per kind, the same files {@code eventlog import} reads). While the store is failing,
 * new batches go straight to the spool and the store is tried again every {@code retryInterval}.
 * Once it answers, segments are replayed oldest first, in batches, and a segment is deleted
 * only after every event in it was committed. Event ids make replay idempotent, so a segment
 * replayed twice (after a crash between commit and delete) still stores each event once.
 *
 * <p>The spool survives a restart: a new logger on the same directory replays what the last
 * process left, including its write-ahead files ({@link AsyncOptions#writeAhead()}). One logger
 * at a time may use a directory; it is locked while in use.
 *
 * <p>When full: once the spool holds {@code maxBytes}, events that would go to it are dropped,
 * counted in {@link LoggerMetrics#dropped()} and reported to the {@link ErrorHandler}; what is
 * already spooled is kept, since it was acknowledged earlier. A batch that starts below the
 * limit is written whole, so the spool can exceed the limit by one batch.
 *
 * @param directory the spool directory, created when missing (owner-only permissions)
 * @param maxBytes the most bytes the spool holds; default 1 GiB
 * @param segmentBytes the size at which a segment is closed and a new one started; default 8 MiB
 * @param retryInterval how long after a failure the store is tried again; default 1 s
 * @param fsync whether each spooled batch is forced to disk before it counts as spooled (survives
 *     power loss, not only a crash of the process); default false
 */
public record SpoolOptions(Path directory, long maxBytes, long segmentBytes, Duration retryInterval,
        boolean fsync) {

    /** Validates the settings; see {@link Builder#build()}. */
    public SpoolOptions {
        List<String> problems = new ArrayList<>();
        if (directory == null) {
            problems.add("spool.directory was 'null' but it must be a directory path");
        }
        if (maxBytes < 1024) {
            problems.add("spool.maxBytes was '" + maxBytes + "' but it must be at least 1024");
        }
        if (segmentBytes < 1024) {
            problems.add("spool.segmentBytes was '" + segmentBytes + "' but it must be at least 1024");
        }
        if (retryInterval == null || retryInterval.isNegative() || retryInterval.isZero()) {
            problems.add("spool.retryInterval was '" + retryInterval + "' but it must be a positive duration");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
    }

    /** A builder for a spool in {@code directory}, starting from the defaults. */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** Builds {@link SpoolOptions}; not thread-safe. */
    public static final class Builder {
        private final Path directory;
        private long maxBytes = 1L << 30;
        private long segmentBytes = 8L << 20;
        private Duration retryInterval = Duration.ofSeconds(1);
        private boolean fsync;

        private Builder(Path directory) {
            this.directory = directory;
        }

        /** The most bytes the spool holds; default 1 GiB. */
        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        /** The size at which a segment is closed and a new one started; default 8 MiB. */
        public Builder segmentBytes(long segmentBytes) {
            this.segmentBytes = segmentBytes;
            return this;
        }

        /** How long after a failure the store is tried again; default 1 s. */
        public Builder retryInterval(Duration retryInterval) {
            this.retryInterval = retryInterval;
            return this;
        }

        /** Whether each spooled batch is forced to disk; default false. */
        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /**
         * The options.
         *
         * @throws ConfigurationException listing every invalid setting
         */
        public SpoolOptions build() {
            return new SpoolOptions(directory, maxBytes, segmentBytes, retryInterval, fsync);
        }
    }
}
