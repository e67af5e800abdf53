package dev.eventlog;

import java.util.Objects;

/**
 * An action of an agent coordinator: spawning, completing or failing an agent.
 *
 * <p>Stored as {@link EventKind#COORDINATOR}. Any typed field may be {@code null} in an
 * event read back or imported; {@link #builder()} requires {@code agent_id}, {@code action}. Immutable and thread-safe.
 */
public record CoordinatorEvent(Envelope envelope, String agentId, String action, String strategy, String filePath, String result, Long durationMs, Long exitCode) implements Event {

    /** @throws InvalidEventException when a number is not finite */
    public CoordinatorEvent {
        Objects.requireNonNull(envelope, "envelope");
        agentId = Values.text("agent_id", agentId);
        action = Values.text("action", action);
        strategy = Values.text("strategy", strategy);
        filePath = Values.text("file_path", filePath);
        result = Values.text("result", result);
    }

    @Override
    public EventKind kind() {
        return EventKind.COORDINATOR;
    }

    /** A builder for this event; the envelope defaults to now and a new id. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link CoordinatorEvent}; not thread-safe. */
    public static final class Builder extends EventBuilder<Builder> {
        private String agentId;
        private String action;
        private String strategy;
        private String filePath;
        private String result;
        private Long durationMs;
        private Long exitCode;

        Builder() {
        }

        /** Sets agent_id (required). */
        public Builder agentId(String agentId) {
            this.agentId = agentId;
            return this;
        }

        /** Sets action (required). */
        public Builder action(String action) {
            this.action = action;
            return this;
        }

        /** Sets strategy. */
        public Builder strategy(String strategy) {
            this.strategy = strategy;
            return this;
        }

        /** Sets file_path. */
        public Builder filePath(String filePath) {
            this.filePath = filePath;
            return this;
        }

        /** Sets result. */
        public Builder result(String result) {
            this.result = result;
            return this;
        }

        /** Sets duration_ms. */
        public Builder durationMs(long durationMs) {
            this.durationMs = durationMs;
            return this;
        }

        /** Sets exit_code. */
        public Builder exitCode(long exitCode) {
            this.exitCode = exitCode;
            return this;
        }

        /**
         * The event.
         *
         * @throws InvalidEventException when a required field is missing or a number is not finite
         */
        public CoordinatorEvent build() {
            Values.require("agent_id", agentId);
            Values.require("action", action);
            return new CoordinatorEvent(envelope(), agentId, action, strategy, filePath, result, durationMs, exitCode);
        }
    }
}
