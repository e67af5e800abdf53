package dev.eventlog;

import dev.eventlog.internal.Values;
import dev.eventlog.spi.EventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The facade application code logs through: one typed method per event kind, each returning the
 * event it logged.
 *
 * <p>Failure policy: a store failure is never thrown into the caller's thread; it is counted in
 * {@link #metrics()} and handed to the {@link ErrorHandler} (by default a rate-limited SLF4J
 * warning), unless the logger was built with {@link Builder#failFast(boolean) failFast}. Missing
 * required arguments and non-finite numbers are programming errors and always throw
 * {@link InvalidEventException}, naming the field.
 *
 * <p>Thread-safe: any number of threads may log at once. Closing the logger closes its store.
 */
public final class EventLogger implements AutoCloseable {
    private final EventStore store;
    private final ErrorHandler errorHandler;
    private final boolean failFast;
    private final String defaultSource;
    private final String defaultSessionId;
    private final LongAdder logged = new LongAdder();
    private final LongAdder stored = new LongAdder();
    private final LongAdder failedBatches = new LongAdder();
    private final LongAdder failedEvents = new LongAdder();

    private EventLogger(Builder builder) {
        this.store = builder.store;
        this.errorHandler = builder.errorHandler;
        this.failFast = builder.failFast;
        this.defaultSource = builder.source;
        this.defaultSessionId = builder.sessionId;
    }

    /** A builder; {@link Builder#store(EventStore)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Logs any event. Returns it, with the logger's default source and session filled in. */
    public <E extends Event> E log(E event) {
        E stamped = stamp(Objects.requireNonNull(event, "event"));
        write(List.of(stamped));
        return stamped;
    }

    /** Logs several events as one batch: one transaction in the SQL stores. */
    public List<Event> logAll(List<? extends Event> events) {
        List<Event> stamped = new ArrayList<>(events.size());
        for (Event event : events) {
            stamped.add(stamp(Objects.requireNonNull(event, "event")));
        }
        write(stamped);
        return stamped;
    }

    /** Logs a commit; {@code repo} and {@code commitHash} are required. */
    public GitEvent logGitCommit(String repo, String branch, String commitHash, String message, int filesChanged) {
        Values.require("commit_hash", commitHash);
        return log(GitEvent.builder().eventType("commit").repo(repo).branch(branch).commitHash(commitHash)
                .message(message).filesChanged(filesChanged).build());
    }

    /** Logs a push of {@code commits} commits; {@code repo} is required. */
    public GitEvent logGitPush(String repo, String branch, int commits) {
        return log(GitEvent.builder().eventType("push").repo(repo).branch(branch).commits(commits).build());
    }

    /** Logs a pull request; {@code repo} is required. */
    public GitEvent logGitPr(String repo, String branch, String message) {
        return log(GitEvent.builder().eventType("pr").repo(repo).branch(branch).message(message).build());
    }

    /** Logs any git event built with {@link GitEvent#builder()}. */
    public GitEvent logGit(GitEvent event) {
        return log(event);
    }

    /** Logs a self-healing fix; {@code errorPattern} is required. */
    public SelfHealEvent logSelfHeal(String errorPattern, String fixApplied, boolean success, long executionTimeMs) {
        return log(SelfHealEvent.builder().errorPattern(errorPattern).fixApplied(fixApplied).success(success)
                .executionTimeMs(executionTimeMs).build());
    }

    /** Logs a self-healing fix built with {@link SelfHealEvent#builder()}. */
    public SelfHealEvent logSelfHeal(SelfHealEvent event) {
        return log(event);
    }

    /** Logs a recovery; {@code errorType} is required. */
    public RecoveryEvent logRecovery(String errorType, String recoveryStrategy, boolean success, int attempts,
            long timeToRecoverMs) {
        return log(RecoveryEvent.builder().errorType(errorType).recoveryStrategy(recoveryStrategy).success(success)
                .attempts(attempts).timeToRecoverMs(timeToRecoverMs).build());
    }

    /** Logs a recovery built with {@link RecoveryEvent#builder()}. */
    public RecoveryEvent logRecovery(RecoveryEvent event) {
        return log(event);
    }

    /** Logs a routing decision; {@code predictedModel} is required and {@code dqScore} must be finite. */
    public RoutingMetricEvent logRoutingMetric(String queryId, String predictedModel, String actualModel,
            double dqScore, boolean accurate) {
        return log(RoutingMetricEvent.builder().queryId(queryId).predictedModel(predictedModel)
                .actualModel(actualModel).dqScore(dqScore).accuracy(accurate).build());
    }

    /** Logs a routing decision built with {@link RoutingMetricEvent#builder()}. */
    public RoutingMetricEvent logRoutingMetric(RoutingMetricEvent event) {
        return log(event);
    }

    /** Logs how a session ended; {@code outcome} is required, numbers must be finite. */
    public SessionOutcomeEvent logSessionOutcome(String sessionId, String outcome, double quality, double costUsd) {
        return log(SessionOutcomeEvent.builder().sessionId(sessionId).outcome(outcome).quality(quality)
                .costUsd(costUsd).build());
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

    /** Logs an activity; {@code activityType} is required. */
    public ActivityEvent logActivity(String activityType, String description, String projectPath) {
        return log(ActivityEvent.builder().activityType(activityType).description(description)
                .projectPath(projectPath).build());
    }

    /** Logs an activity built with {@link ActivityEvent#builder()}. */
    public ActivityEvent logActivity(ActivityEvent event) {
        return log(event);
    }

    /** Logs a coordinator action; {@code agentId} and {@code action} are required. */
    public CoordinatorEvent logCoordinator(String agentId, String action, String result) {
        return log(CoordinatorEvent.builder().agentId(agentId).action(action).result(result).build());
    }

    /** Logs a coordinator action built with {@link CoordinatorEvent#builder()}. */
    public CoordinatorEvent logCoordinator(CoordinatorEvent event) {
        return log(event);
    }

    /** Logs an expertise routing decision; {@code domain} and {@code chosenModel} are required. */
    public ExpertiseRoutingEvent logExpertiseRouting(String domain, double expertiseLevel, String chosenModel) {
        return log(ExpertiseRoutingEvent.builder().domain(domain).expertiseLevel(expertiseLevel)
                .chosenModel(chosenModel).build());
    }

    /** Logs an expertise routing decision built with {@link ExpertiseRoutingEvent#builder()}. */
    public ExpertiseRoutingEvent logExpertiseRouting(ExpertiseRoutingEvent event) {
        return log(event);
    }

    /** Logs an event of a kind outside the catalogue, into {@code custom_events}. */
    public CustomEvent logCustom(String kind, Map<String, ?> attributes) {
        return log(CustomEvent.of(kind, attributes));
    }

    /** What this logger has done so far. */
    public LoggerMetrics metrics() {
        return new LoggerMetrics(logged.sum(), stored.sum(), failedBatches.sum(), failedEvents.sum());
    }

    /** The store this logger writes to. */
    public EventStore store() {
        return store;
    }

    /** Closes the store. */
    @Override
    public void close() {
        store.close();
    }

    private void write(List<? extends Event> batch) {
        logged.add(batch.size());
        try {
            stored.add(store.append(batch));
        } catch (RuntimeException e) {
            failedBatches.increment();
            failedEvents.add(batch.size());
            if (failFast) {
                throw e;
            }
            EventLogException error = e instanceof EventLogException ele ? ele
                    : new StoreException(store.describe() + " failed: " + e, e);
            try {
                errorHandler.onFailure(error, batch);
            } catch (RuntimeException handlerFailure) {
                // A handler must not throw; the failure is already counted.
                error.addSuppressed(handlerFailure);
            }
        }
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
        private ErrorHandler errorHandler = ErrorHandler.logging();
        private boolean failFast;
        private String source;
        private String sessionId;

        private Builder() {
        }

        /** The store to write to (required); closed when the logger is closed. */
        public Builder store(EventStore store) {
            this.store = store;
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
         * The logger.
         *
         * @throws ConfigurationException listing every setting that is missing or invalid
         */
        public EventLogger build() {
            List<String> problems = new ArrayList<>();
            if (store == null) {
                problems.add("store was 'null' but it must be an EventStore, e.g. SqliteEventStore.open(path)");
            }
            if (errorHandler == null) {
                problems.add("errorHandler was 'null' but it must be an ErrorHandler, e.g. ErrorHandler.logging()");
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            return new EventLogger(this);
        }
    }
}
