package dev.eventlog;

import java.util.Objects;

/**
 * A routing decision made by domain expertise.
 *
 * <p>Stored as {@link EventKind#EXPERTISE_ROUTING}. Any typed field may be {@code null} in an
 * event read back or imported; {@link #builder()} requires {@code domain}, {@code chosen_model}. Immutable and thread-safe.
 */
public record ExpertiseRoutingEvent(Envelope envelope, String domain, Double expertiseLevel, Double queryComplexity, String chosenModel, String reasoning, String queryHash) implements Event {

    /** @throws InvalidEventException when a number is not finite */
    public ExpertiseRoutingEvent {
        Objects.requireNonNull(envelope, "envelope");
        domain = Values.text("domain", domain);
        expertiseLevel = Values.real("expertise_level", expertiseLevel);
        queryComplexity = Values.real("query_complexity", queryComplexity);
        chosenModel = Values.text("chosen_model", chosenModel);
        reasoning = Values.text("reasoning", reasoning);
        queryHash = Values.text("query_hash", queryHash);
    }

    @Override
    public EventKind kind() {
        return EventKind.EXPERTISE_ROUTING;
    }

    /** A builder for this event; the envelope defaults to now and a new id. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ExpertiseRoutingEvent}; not thread-safe. */
    public static final class Builder extends EventBuilder<Builder> {
        private String domain;
        private Double expertiseLevel;
        private Double queryComplexity;
        private String chosenModel;
        private String reasoning;
        private String queryHash;

        Builder() {
        }

        /** Sets domain (required). */
        public Builder domain(String domain) {
            this.domain = domain;
            return this;
        }

        /** Sets expertise_level. */
        public Builder expertiseLevel(double expertiseLevel) {
            this.expertiseLevel = expertiseLevel;
            return this;
        }

        /** Sets query_complexity. */
        public Builder queryComplexity(double queryComplexity) {
            this.queryComplexity = queryComplexity;
            return this;
        }

        /** Sets chosen_model (required). */
        public Builder chosenModel(String chosenModel) {
            this.chosenModel = chosenModel;
            return this;
        }

        /** Sets reasoning. */
        public Builder reasoning(String reasoning) {
            this.reasoning = reasoning;
            return this;
        }

        /** Sets query_hash. */
        public Builder queryHash(String queryHash) {
            this.queryHash = queryHash;
            return this;
        }

        /**
         * The event.
         *
         * @throws InvalidEventException when a required field is missing or a number is not finite
         */
        public ExpertiseRoutingEvent build() {
            Values.require("domain", domain);
            Values.require("chosen_model", chosenModel);
            return new ExpertiseRoutingEvent(envelope(), domain, expertiseLevel, queryComplexity, chosenModel, reasoning, queryHash);
        }
    }
}
