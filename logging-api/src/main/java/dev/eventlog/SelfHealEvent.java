package dev.eventlog;

import java.util.Objects;

/**
 * A self-healing fix applied to a known error pattern, and whether it worked.
 *
 * <p>Stored as {@link EventKind#SELF_HEAL}. Any typed field may be {@code null} in an
 * event read back or imported; {@link #builder()} requires {@code error_pattern}, {@code success}. Immutable and thread-safe.
 */
public record SelfHealEvent(Envelope envelope, String errorPattern, String fixApplied, Boolean success, Long executionTimeMs, String errorMessage, String context, String severity) implements Event {

    /** @throws InvalidEventException when a number is not finite */
    public SelfHealEvent {
        Objects.requireNonNull(envelope, "envelope");
        errorPattern = Values.text("error_pattern", errorPattern);
        fixApplied = Values.text("fix_applied", fixApplied);
        errorMessage = Values.text("error_message", errorMessage);
        context = Values.text("context", context);
        severity = Values.text("severity", severity);
    }

    @Override
    public EventKind kind() {
        return EventKind.SELF_HEAL;
    }

    /** A builder for this event; the envelope defaults to now and a new id. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link SelfHealEvent}; not thread-safe. */
    public static final class Builder extends EventBuilder<Builder> {
        private String errorPattern;
        private String fixApplied;
        private Boolean success;
        private Long executionTimeMs;
        private String errorMessage;
        private String context;
        private String severity;

        Builder() {
        }

        /** Sets error_pattern (required). */
        public Builder errorPattern(String errorPattern) {
            this.errorPattern = errorPattern;
            return this;
        }

        /** Sets fix_applied. */
        public Builder fixApplied(String fixApplied) {
            this.fixApplied = fixApplied;
            return this;
        }

        /** Sets success (required). */
        public Builder success(boolean success) {
            this.success = success;
            return this;
        }

        /** Sets execution_time_ms. */
        public Builder executionTimeMs(long executionTimeMs) {
            this.executionTimeMs = executionTimeMs;
            return this;
        }

        /** Sets error_message. */
        public Builder errorMessage(String errorMessage) {
            this.errorMessage = errorMessage;
            return this;
        }

        /** Sets context. */
        public Builder context(String context) {
            this.context = context;
            return this;
        }

        /** Sets severity. */
        public Builder severity(String severity) {
            this.severity = severity;
            return this;
        }

        /**
         * The event.
         *
         * @throws InvalidEventException when a required field is missing or a number is not finite
         */
        public SelfHealEvent build() {
            Values.require("error_pattern", errorPattern);
            Values.require("success", success);
            return new SelfHealEvent(envelope(), errorPattern, fixApplied, success, executionTimeMs, errorMessage, context, severity);
        }
    }
}
