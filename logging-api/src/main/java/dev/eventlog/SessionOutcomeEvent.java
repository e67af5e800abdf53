package dev.eventlog;

import java.util.Objects;

/**
 * How a session ended: outcome, quality, cost and size.
 *
 * <p>Stored as {@link EventKind#SESSION_OUTCOME}. Any typed field may be {@code null} in an
 * event read back or imported; {@link #builder()} requires {@code outcome}. Immutable and thread-safe.
 */
public record SessionOutcomeEvent(Envelope envelope, String outcome, Double quality, Double complexity, String intent, String model, Long messagesCount, Double durationMinutes, Double costUsd, Boolean success, String summary) implements Event {

    /** @throws InvalidEventException when a number is not finite */
    public SessionOutcomeEvent {
        Objects.requireNonNull(envelope, "envelope");
        outcome = Values.text("outcome", outcome);
        quality = Values.real("quality", quality);
        complexity = Values.real("complexity", complexity);
        intent = Values.text("intent", intent);
        model = Values.text("model", model);
        durationMinutes = Values.real("duration_minutes", durationMinutes);
        costUsd = Values.real("cost_usd", costUsd);
        summary = Values.text("summary", summary);
    }

    @Override
    public EventKind kind() {
        return EventKind.SESSION_OUTCOME;
    }

    /** A builder for this event; the envelope defaults to now and a new id. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link SessionOutcomeEvent}; not thread-safe. */
    public static final class Builder extends EventBuilder<Builder> {
        private String outcome;
        private Double quality;
        private Double complexity;
        private String intent;
        private String model;
        private Long messagesCount;
        private Double durationMinutes;
        private Double costUsd;
        private Boolean success;
        private String summary;

        Builder() {
        }

        /** Sets outcome (required). */
        public Builder outcome(String outcome) {
            this.outcome = outcome;
            return this;
        }

        /** Sets quality. */
        public Builder quality(double quality) {
            this.quality = quality;
            return this;
        }

        /** Sets complexity. */
        public Builder complexity(double complexity) {
            this.complexity = complexity;
            return this;
        }

        /** Sets intent. */
        public Builder intent(String intent) {
            this.intent = intent;
            return this;
        }

        /** Sets model. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** Sets messages_count. */
        public Builder messagesCount(long messagesCount) {
            this.messagesCount = messagesCount;
            return this;
        }

        /** Sets duration_minutes. */
        public Builder durationMinutes(double durationMinutes) {
            this.durationMinutes = durationMinutes;
            return this;
        }

        /** Sets cost_usd. */
        public Builder costUsd(double costUsd) {
            this.costUsd = costUsd;
            return this;
        }

        /** Sets success. */
        public Builder success(boolean success) {
            this.success = success;
            return this;
        }

        /** Sets summary. */
        public Builder summary(String summary) {
            this.summary = summary;
            return this;
        }

        /**
         * The event.
         *
         * @throws InvalidEventException when a required field is missing or a number is not finite
         */
        public SessionOutcomeEvent build() {
            Values.require("outcome", outcome);
            return new SessionOutcomeEvent(envelope(), outcome, quality, complexity, intent, model, messagesCount, durationMinutes, costUsd, success, summary);
        }
    }
}
