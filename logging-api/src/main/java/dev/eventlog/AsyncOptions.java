package dev.eventlog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How an asynchronous {@link EventLogger} queues and commits. Immutable; built with
 * {@link #builder()} and validated by {@link Builder#build()}.
 *
 * <p>The caller's thread only puts the event on a bounded in-memory queue. One writer thread
 * commits what is queued in batches: when {@code batchSize} events are waiting, or every
 * {@code flushInterval}, whichever comes first. Acknowledged means queued: a crash of the process
 * loses what is still in the queue, unless {@code writeAhead} is set.
 *
 * @param queueCapacity how many events the queue holds (rounded up to a power of two); default 65 536
 * @param batchSize the most events committed in one transaction; default 5 000 (a backlog drains
 *     faster in large transactions; under a steady trickle a batch holds what one flush interval brought)
 * @param flushInterval the longest an event waits in the queue before the writer commits it; default 100 ms
 * @param maxBlock the longest a caller waits for room under {@link Backpressure#BLOCK}; default 100 ms
 * @param backpressure what happens when the queue is full, for kinds without their own setting; default SPILL
 * @param backpressureByKind per-kind overrides of {@code backpressure}; never null
 * @param drainTimeout how long {@link EventLogger#close()} waits for the queue to be committed
 *     before spooling (or, without a spool, dropping and counting) the rest; default 10 s
 * @param writeAhead whether every event is first appended to a write-ahead JSONL file in the spool
 *     directory (on the caller's thread, a buffered write of a few microseconds), so that a crash
 *     loses nothing: the next logger on the same spool replays it. Needs a spool. Default false.
 */
public record AsyncOptions(int queueCapacity, int batchSize, Duration flushInterval, Duration maxBlock,
        Backpressure backpressure, Map<EventKind, Backpressure> backpressureByKind, Duration drainTimeout,
        boolean writeAhead) {

    /** The defaults. */
    public static final AsyncOptions DEFAULT = builder().build();

    /** Validates the settings; see {@link Builder#build()}. */
    public AsyncOptions {
        List<String> problems = new ArrayList<>();
        if (queueCapacity < 2 || queueCapacity > (1 << 30)) {
            problems.add("async.queueCapacity was '" + queueCapacity + "' but it must be between 2 and 2^30");
        }
        if (batchSize < 1) {
            problems.add("async.batchSize was '" + batchSize + "' but it must be at least 1");
        } else if (queueCapacity >= 2 && batchSize > queueCapacity) {
            problems.add("async.batchSize was '" + batchSize + "' but it must not exceed async.queueCapacity ("
                    + queueCapacity + ")");
        }
        positive(problems, "async.flushInterval", flushInterval);
        notNegative(problems, "async.maxBlock", maxBlock);
        positive(problems, "async.drainTimeout", drainTimeout);
        if (backpressure == null) {
            problems.add("async.backpressure was 'null' but it must be BLOCK, DROP_NEWEST or SPILL");
        }
        if (backpressureByKind == null) {
            problems.add("async.backpressureByKind was 'null' but it must be a map (empty for none)");
        } else {
            for (Map.Entry<EventKind, Backpressure> entry : backpressureByKind.entrySet()) {
                if (entry.getKey() == null || entry.getValue() == null) {
                    problems.add("async.backpressureByKind held '" + entry.getKey() + "=" + entry.getValue()
                            + "' but every kind and policy must be non-null");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        EnumMap<EventKind, Backpressure> copy = new EnumMap<>(EventKind.class);
        copy.putAll(backpressureByKind);
        backpressureByKind = Collections.unmodifiableMap(copy);
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The policy for events of {@code kind}. */
    public Backpressure backpressure(EventKind kind) {
        return backpressureByKind.getOrDefault(kind, backpressure);
    }

    /** Whether any kind's policy is {@code policy}. */
    public boolean uses(Backpressure policy) {
        if (backpressureByKind.size() < EventKind.values().length && backpressure == policy) {
            return true;
        }
        return backpressureByKind.containsValue(policy);
    }

    private static void positive(List<String> problems, String setting, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            problems.add(setting + " was '" + value + "' but it must be a positive duration");
        }
    }

    private static void notNegative(List<String> problems, String setting, Duration value) {
        if (value == null || value.isNegative()) {
            problems.add(setting + " was '" + value + "' but it must be zero or a positive duration");
        }
    }

    /** Builds {@link AsyncOptions}; not thread-safe. */
    public static final class Builder {
        private int queueCapacity = 65_536;
        private int batchSize = 5_000;
        private Duration flushInterval = Duration.ofMillis(100);
        private Duration maxBlock = Duration.ofMillis(100);
        private Backpressure backpressure = Backpressure.SPILL;
        private final Map<EventKind, Backpressure> backpressureByKind = new EnumMap<>(EventKind.class);
        private Duration drainTimeout = Duration.ofSeconds(10);
        private boolean writeAhead;

        private Builder() {
        }

        /** How many events the queue holds, rounded up to a power of two; default 65 536. */
        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
            return this;
        }

        /** The most events committed in one transaction; default 5 000. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** The longest an event waits before it is committed; default 100 ms. */
        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
            return this;
        }

        /** The longest a caller waits for room under {@link Backpressure#BLOCK}; default 100 ms. */
        public Builder maxBlock(Duration maxBlock) {
            this.maxBlock = maxBlock;
            return this;
        }

        /** What happens when the queue is full, for every kind without its own policy; default SPILL. */
        public Builder backpressure(Backpressure backpressure) {
            this.backpressure = backpressure;
            return this;
        }

        /** What happens to events of {@code kind} when the queue is full. */
        public Builder backpressure(EventKind kind, Backpressure policy) {
            this.backpressureByKind.put(Objects.requireNonNull(kind, "kind"), policy);
            return this;
        }

        /** How long closing waits for the queue to be committed; default 10 s. */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
            return this;
        }

        /** Whether every event is written ahead to the spool directory so a crash loses nothing; default false. */
        public Builder writeAhead(boolean writeAhead) {
            this.writeAhead = writeAhead;
            return this;
        }

        /**
         * The options.
         *
         * @throws ConfigurationException listing every invalid setting
         */
        public AsyncOptions build() {
            return new AsyncOptions(queueCapacity, batchSize, flushInterval, maxBlock, backpressure,
                    new EnumMap<>(backpressureByKind), drainTimeout, writeAhead);
        }
    }
}
