package dev.eventlog;

import java.util.Objects;

/**
 * A recovery from an error: the strategy used, the attempts and the time it took.
 *
 * <p>Stored as {@link EventKind#RECOVERY}. Any typed field may be {@code null} in an
 * event read back or imported; {@link #builder()} requires {@code error_type}, {@code success}. Immutable and thread-safe.
 */
public record RecoveryEvent(Envelope envelope, String errorType, String recoveryStrategy, Boolean success, Long attempts, Long timeToRecoverMs, String errorDetails, String recoveryMethod) implements Event {

    /** @throws InvalidEventException when a number is not finite */
    public RecoveryEvent {
        Objects.requireNonNull(envelope, "envelope");
        errorType = Values.text("error_type", errorType);
        recoveryStrategy = Values.text("recovery_strategy", recoveryStrategy);
        errorDetails = Values.text("error_details", errorDetails);
        recoveryMethod = Values.text("recovery_method", recoveryMethod);
    }

    @Override
    public EventKind kind() {
        return EventKind.RECOVERY;
    }

    /** A builder for this event; the envelope defaults to now and a new id. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RecoveryEvent}; not thread-safe. */
    public static final class Builder extends EventBuilder<Builder> {
        private String errorType;
        private String recoveryStrategy;
        private Boolean success;
        private Long attempts;
        private Long timeToRecoverMs;
        private String errorDetails;
        private String recoveryMethod;

        Builder() {
        }

        /** Sets error_type (required). */
        public Builder errorType(String errorType) {
            this.errorType = errorType;
            return this;
        }

        /** Sets recovery_strategy. */
        public Builder recoveryStrategy(String recoveryStrategy) {
            this.recoveryStrategy = recoveryStrategy;
            return this;
        }

        /** Sets success (required). */
        public Builder success(boolean success) {
            this.success = success;
            return this;
        }

        /** Sets attempts. */
        public Builder attempts(long attempts) {
            this.attempts = attempts;
            return this;
        }

        /** Sets time_to_recover_ms. */
        public Builder timeToRecoverMs(long timeToRecoverMs) {
            this.timeToRecoverMs = timeToRecoverMs;
            return this;
        }

        /** Sets error_details. */
        public Builder errorDetails(String errorDetails) {
            this.errorDetails = errorDetails;
            return this;
        }

        /** Sets recovery_method. */
        public Builder recoveryMethod(String recoveryMethod) {
            this.recoveryMethod = recoveryMethod;
            return this;
        }

        /**
         * The event.
         *
         * @throws InvalidEventException when a required field is missing or a number is not finite
         */
        public RecoveryEvent build() {
            Values.require("error_type", errorType);
            Values.require("success", success);
            return new RecoveryEvent(envelope(), errorType, recoveryStrategy, success, attempts, timeToRecoverMs, errorDetails, recoveryMethod);
        }
    }
}
