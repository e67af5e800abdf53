package dev.eventlog;

import dev.eventlog.internal.write.AsyncWriter;
import dev.eventlog.internal.write.FailoverWriter;
import dev.eventlog.internal.write.LazyEventStore;
import dev.eventlog.internal.write.Spool;
import dev.eventlog.internal.write.SpoolReplayer;
import dev.eventlog.internal.write.WriteAheadLog;
import dev.eventlog.internal.write.WriteStats;
import dev.eventlog.spi.EventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The facade application code logs through: one typed method per event kind, each returning the
 * event it logged.
 *
 * <p>Two write modes. <b>Sync</b> (the default): the event is committed to the store before the
 * method returns, so acknowledged means committed. <b>Async</b> ({@link Builder#async}): the
 * event is put on a bounded queue and a writer thread commits batches, so acknowledged means
 * queued; see {@link AsyncOptions} for what a crash can lose and {@link Backpressure} for a full
 * queue. In both modes a {@link Builder#spool spool} catches what the store cannot take and
 * replays it, exactly once, when the store answers again.
 *
 * <p>Failure policy: a store failure is never thrown into the caller's thread; it is counted in
 * {@link #metrics()} and handed to the {@link ErrorHandler} (by default a rate-limited SLF4J
 * warning), unless the logger was built with {@link Builder#failFast(boolean) failFast}. Missing
 * required arguments and non-finite numbers are programming errors and always throw
 * {@link InvalidEventException}, naming the field.
 *
 * <p>Each kind has a method taking the event built with its builder, where every field is set by
 * name. A few kinds also have a plain overload for the common case; a plain overload takes at
 * most one {@code String} (the kind's required text), so that two texts can never be passed in
 * each other's place: everything else that is text is set by name on the builder.
 *
 * <p>Thread-safe: any number of threads may log at once. Closing the logger drains its queue,
 * releases its spool and closes its store.
 */
public final class EventLogger implements AutoCloseable {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final int REPLAY_BATCH = 1_000;

    private final EventStore store;
    private final String defaultSource;
    private final String defaultSessionId;
    private final WriteStats stats = new WriteStats();
    private final FailoverWriter failover;
    private final Spool spool;
    private final AsyncWriter async;
    private final SpoolReplayer replayer;
    private final Duration drainTimeout;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EventLogger(Builder builder, Spool spool, EventStore store, EventLogException openFailure) {
        this.store = store;
        this.defaultSource = builder.source;
        this.defaultSessionId = builder.sessionId;
        this.spool = spool;
        long retryNanos = builder.spool == null ? 0 : builder.spool.retryInterval().toNanos();
        this.failover = new FailoverWriter(store, spool, stats, builder.errorHandler, retryNanos, builder.failFast);
        if (openFailure != null) {
            failover.startDown(openFailure);
        }
        if (builder.async != null) {
            WriteAheadLog writeAhead = builder.async.writeAhead()
                    ? new WriteAheadLog(spool.writeAheadDirectory(), builder.spool.fsync()) : null;
            this.async = new AsyncWriter(builder.async, failover, writeAhead, stats, retryNanos);
            this.replayer = null;
            this.drainTimeout = builder.async.drainTimeout();
        } else {
            this.async = null;
            this.replayer = spool == null ? null : new SpoolReplayer(failover, REPLAY_BATCH, retryNanos);
            this.drainTimeout = DEFAULT_TIMEOUT;
        }
        if (async != null || replayer != null) {
            // A JVM that exits without closing the logger still commits (or spools) its queue.
            this.shutdownHook = new Thread(this::close, "eventlog-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            this.shutdownHook = null;
        }
    }

    /** A builder; {@link Builder#store(EventStore)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Logs any event. Returns it, with the logger's default source and session filled in. */
    public <E extends Event> E log(E event) {
        E stamped = stamp(Objects.requireNonNull(event, "event"));
        if (async != null) {
            stats.logged.increment();
            async.offer(stamped);
        } else {
            write(List.of(stamped));
        }
        return stamped;
    }

    /** Logs several events as one batch: one transaction in the SQL stores (in sync mode). */
    public List<Event> logAll(List<? extends Event> events) {
        List<Event> stamped = new ArrayList<>(events.size());
        for (Event event : events) {
            stamped.add(stamp(Objects.requireNonNull(event, "event")));
        }
        if (async != null) {
            stats.logged.add(stamped.size());
            for (Event event : stamped) {
                async.offer(event);
            }
        } else {
            write(stamped);
        }
        return stamped;
    }

    /** Logs any git event built with {@link GitEvent#builder()}. */
    public GitEvent logGit(GitEvent event) {
        return log(event);
    }

    /**
     * Logs a self-healing fix; {@code errorPattern} is required. The fix applied and the other
     * text fields are set by name on {@link SelfHealEvent#builder()}.
     */
    public SelfHealEvent logSelfHeal(String errorPattern, boolean success, long executionTimeMs) {
        return log(SelfHealEvent.builder().errorPattern(errorPattern).success(success)
                .executionTimeMs(executionTimeMs).build());
    }

    /** Logs a self-healing fix built with {@link SelfHealEvent#builder()}. */
    public SelfHealEvent logSelfHeal(SelfHealEvent event) {
        return log(event);
    }

    /**
     * Logs a recovery; {@code errorType} is required. The strategy and the other text fields are
     * set by name on {@link RecoveryEvent#builder()}.
     */
    public RecoveryEvent logRecovery(String errorType, boolean success, int attempts, long timeToRecoverMs) {
        return log(RecoveryEvent.builder().errorType(errorType).success(success).attempts(attempts)
                .timeToRecoverMs(timeToRecoverMs).build());
    }

    /** Logs a recovery built with {@link RecoveryEvent#builder()}. */
    public RecoveryEvent logRecovery(RecoveryEvent event) {
        return log(event);
    }

    /** Logs a routing decision built with {@link RoutingMetricEvent#builder()}. */
    public RoutingMetricEvent logRoutingMetric(RoutingMetricEvent event) {
        return log(event);
    }

    /**
     * Logs how this logger's session ended ({@link Builder#sessionId}); {@code outcome} is
     * required, numbers must be finite. Another session's outcome, and the other fields, are set
     * by name on {@link SessionOutcomeEvent#builder()}.
     */
    public SessionOutcomeEvent logSessionOutcome(String outcome, double quality, double costUsd) {
        return log(SessionOutcomeEvent.builder().outcome(outcome).quality(quality).costUsd(costUsd).build());
    }

    /** Logs a session outcome built with {@link SessionOutcomeEvent#builder()}. */
    public SessionOutcomeEvent logSessionOutcome(SessionOutcomeEvent event) {
        return log(event);
    }

    /** Logs one use of a tool; {@code toolName} is required. */
    public ToolUseEvent logToolUse(String toolName, boolean success, long durationMs) {
        return log(ToolUseEvent.builder().toolName(toolName).success(success).durationMs(durationMs).build());
    }

    /** Logs a tool use built with {@link ToolUseEvent#builder()}. */
    public ToolUseEvent logToolUse(ToolUseEvent event) {
        return log(event);
    }

    /** Logs an activity built with {@link ActivityEvent#builder()}. */
    public ActivityEvent logActivity(ActivityEvent event) {
        return log(event);
    }

    /** Logs a coordinator action built with {@link CoordinatorEvent#builder()}. */
    public CoordinatorEvent logCoordinator(CoordinatorEvent event) {
        return log(event);
    }

    /** Logs an expertise routing decision built with {@link ExpertiseRoutingEvent#builder()}. */
    public ExpertiseRoutingEvent logExpertiseRouting(ExpertiseRoutingEvent event) {
        return log(event);
    }

    /** Logs an event of a kind outside the catalogue, into {@code custom_events}. */
    public CustomEvent logCustom(String kind, Map<String, ?> attributes) {
        return log(CustomEvent.of(kind, attributes));
    }

    /** What this logger has done so far: counts, queue depth, spool size, commit latency. */
    public LoggerMetrics metrics() {
        return stats.snapshot(queueDepth(), failover.spoolBytes());
    }

    /** Whether the store is reachable and the spool draining; see {@link LoggerHealth}. */
    public LoggerHealth health() {
        return new LoggerHealth(failover.storeReachable(), failover.spoolDraining(), queueDepth(),
                failover.spoolBytes(), stats.lastSuccess(), failover.lastError());
    }

    private int queueDepth() {
        return async == null ? 0 : async.depth();
    }

    /** The store this logger writes to. */
    public EventStore store() {
        return store;
    }

    /**
     * Waits until every event logged before this call is committed or spooled, at most the
     * async drain timeout (10 s in sync mode, where there is nothing to wait for).
     *
     * @return false when the time ran out first
     */
    public boolean flush() {
        return flush(drainTimeout);
    }

    /**
     * Waits until every event logged before this call is committed or spooled, at most
     * {@code timeout}. Returns at once in sync mode.
     *
     * @return false when the time ran out first
     */
    public boolean flush(Duration timeout) {
        return async == null || async.flush(timeout.toNanos());
    }

    /**
     * Stops taking events (later ones are counted as dropped), commits what is queued within the
     * async drain timeout and spools the rest, then releases the spool and closes the store.
     * What is spooled stays for the next logger on the same spool directory. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook's own call was refused by the flag above.
                failover.report(new StoreException("closing during JVM shutdown: " + e.getMessage(), e), List.of());
            }
        }
        try {
            if (async != null) {
                async.close(drainTimeout.toNanos());
            }
            if (replayer != null) {
                replayer.stop(drainTimeout.toNanos());
            }
        } finally {
            try {
                if (spool != null) {
                    spool.close();
                }
            } finally {
                store.close();
            }
        }
    }

    private void write(List<? extends Event> batch) {
        stats.logged.add(batch.size());
        failover.write(batch);
    }

    @SuppressWarnings("unchecked")
    private <E extends Event> E stamp(E event) {
        if ((defaultSource == null || event.source() != null)
                && (defaultSessionId == null || event.sessionId() != null)) {
            return event;
        }
        Envelope envelope = event.envelope();
        if (envelope.source() == null && defaultSource != null) {
            envelope = envelope.withSource(defaultSource);
        }
        if (envelope.sessionId() == null && defaultSessionId != null) {
            envelope = envelope.withSessionId(defaultSessionId);
        }
        return (E) event.withEnvelope(envelope);
    }

    /** Builds an {@link EventLogger}; not thread-safe. */
    public static final class Builder {
        private EventStore store;
        private Supplier<? extends EventStore> opener;
        private ErrorHandler errorHandler = ErrorHandler.logging();
        private boolean failFast;
        private String source;
        private String sessionId;
        private AsyncOptions async;
        private SpoolOptions spool;

        private Builder() {
        }

        /** The store to write to (required); closed when the logger is closed. */
        public Builder store(EventStore store) {
            this.store = store;
            return this;
        }

        /**
         * Opens the store when the logger is built, e.g. {@code () -> PostgresEventStore.open(url)};
         * instead of {@link #store(EventStore)}. When it throws and a {@link #spool spool} is set,
         * the logger is built all the same: events go to the spool, and the store is opened again
         * at each retry interval until it answers, when the spool is replayed into it, exactly
         * once. Without a spool its failure is thrown from {@link #build()}.
         */
        public Builder openStore(Supplier<? extends EventStore> opener) {
            this.opener = opener;
            return this;
        }

        /** Where store failures go; default {@link ErrorHandler#logging()}. */
        public Builder errorHandler(ErrorHandler errorHandler) {
            this.errorHandler = errorHandler;
            return this;
        }

        /** Throw store failures into the caller's thread instead of handling them; default false. */
        public Builder failFast(boolean failFast) {
            this.failFast = failFast;
            return this;
        }

        /** The source given to events that have none, e.g. a host name; default none. */
        public Builder source(String source) {
            this.source = source;
            return this;
        }

        /** The session id given to events that have none; default none. */
        public Builder sessionId(String sessionId) {
            this.sessionId = sessionId;
            return this;
        }

        /**
         * Makes the logger asynchronous: callers only queue events and a writer thread commits
         * them in batches. Default: synchronous ({@code null}).
         */
        public Builder async(AsyncOptions async) {
            this.async = async;
            return this;
        }

        /**
         * Keeps what the store cannot take in a spool directory and replays it when the store
         * answers again. Default: no spool ({@code null}): failures are counted and reported.
         */
        public Builder spool(SpoolOptions spool) {
            this.spool = spool;
            return this;
        }

        /**
         * The logger. Opens and locks the spool directory, if any, and starts replaying what an
         * earlier process left in it.
         *
         * @throws ConfigurationException listing every setting that is missing or invalid, or
         *     when the spool directory is held by another logger
         * @throws StoreException when the spool directory cannot be created or read, or the
         *     {@link #openStore opener} fails and there is no spool
         */
        public EventLogger build() {
            List<String> problems = new ArrayList<>();
            if (store == null && opener == null) {
                problems.add("store was 'null' but it must be an EventStore, e.g. SqliteEventStore.open(path),"
                        + " or set openStore(() -> ...)");
            }
            if (store != null && opener != null) {
                problems.add("openStore was set but it must not be set together with store(...); choose one");
            }
            if (errorHandler == null) {
                problems.add("errorHandler was 'null' but it must be an ErrorHandler, e.g. ErrorHandler.logging()");
            }
            if (failFast && (async != null || spool != null)) {
                problems.add("failFast was 'true' but it must be false with async(...) or spool(...), which handle "
                        + "store failures off the caller's thread");
            }
            if (async != null && spool == null) {
                if (async.uses(Backpressure.SPILL)) {
                    problems.add("async.backpressure was 'SPILL' (the default) for some kinds but SPILL needs "
                            + "spool(SpoolOptions.builder(dir).build()); set a spool or choose BLOCK or DROP_NEWEST");
                }
                if (async.writeAhead()) {
                    problems.add("async.writeAhead was 'true' but it needs spool(SpoolOptions.builder(dir).build()), "
                            + "whose directory holds the write-ahead files");
                }
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            Spool opened = spool == null ? null : Spool.open(spool);
            if (opener == null) {
                return new EventLogger(this, opened, store, null);
            }
            try {
                EventStore first = opener.get();
                if (first == null) {
                    throw new ConfigurationException("openStore returned 'null' but it must return an EventStore");
                }
                return new EventLogger(this, opened, first, null);
            } catch (RuntimeException e) {
                // A bad setting will not get better by waiting: only an unreachable store is retried.
                if (opened == null || e instanceof ConfigurationException) {
                    if (opened != null) {
                        opened.close();
                    }
                    throw e;
                }
                EventLogException failure = e instanceof EventLogException known ? known
                        : new StoreException("could not open the store: " + e, e);
                return new EventLogger(this, opened, new LazyEventStore(opener, failure.getMessage()), failure);
            }
        }
    }
}
