package dev.eventlog;

import java.util.Objects;

/**
 * A model-routing decision: the model predicted, the one actually needed, and the scores.
 *
 * <p>Stored as {@link EventKind#ROUTING_METRIC}. Any typed field may be {@code null} in an
 * event read back or imported; {@link #builder()} requires {@code predicted_model}. Immutable and thread-safe.
 */
public record RoutingMetricEvent(Envelope envelope, String queryId, String predictedModel, String actualModel, Double dqScore, Double complexity, Boolean accuracy, Double costSaved, String reasoning, String queryText) implements Event {

    /** @throws InvalidEventException when a number is not finite */
    public RoutingMetricEvent {
        Objects.requireNonNull(envelope, "envelope");
        queryId = Values.text("query_id", queryId);
        predictedModel = Values.text("predicted_model", predictedModel);
        actualModel = Values.text("actual_model", actualModel);
        dqScore = Values.real("dq_score", dqScore);
        complexity = Values.real("complexity", complexity);
        costSaved = Values.real("cost_saved", costSaved);
        reasoning = Values.text("reasoning", reasoning);
        queryText = Values.text("query_text", queryText);
    }

    @Override
    public EventKind kind() {
        return EventKind.ROUTING_METRIC;
    }

    /** A builder for this event; the envelope defaults to now and a new id. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RoutingMetricEvent}; not thread-safe. */
    public static final class Builder extends EventBuilder<Builder> {
        private String queryId;
        private String predictedModel;
        private String actualModel;
        private Double dqScore;
        private Double complexity;
        private Boolean accuracy;
        private Double costSaved;
        private String reasoning;
        private String queryText;

        Builder() {
        }

        /** Sets query_id. */
        public Builder queryId(String queryId) {
            this.queryId = queryId;
            return this;
        }

        /** Sets predicted_model (required). */
        public Builder predictedModel(String predictedModel) {
            this.predictedModel = predictedModel;
            return this;
        }

        /** Sets actual_model. */
        public Builder actualModel(String actualModel) {
            this.actualModel = actualModel;
            return this;
        }

        /** Sets dq_score. */
        public Builder dqScore(double dqScore) {
            this.dqScore = dqScore;
            return this;
        }

        /** Sets complexity. */
        public Builder complexity(double complexity) {
            this.complexity = complexity;
            return this;
        }

        /** Sets accuracy. */
        public Builder accuracy(boolean accuracy) {
            this.accuracy = accuracy;
            return this;
        }

        /** Sets cost_saved. */
        public Builder costSaved(double costSaved) {
            this.costSaved = costSaved;
            return this;
        }

        /** Sets reasoning. */
        public Builder reasoning(String reasoning) {
            this.reasoning = reasoning;
            return this;
        }

        /** Sets query_text. */
        public Builder queryText(String queryText) {
            this.queryText = queryText;
            return this;
        }

        /**
         * The event.
         *
         * @throws InvalidEventException when a required field is missing or a number is not finite
         */
        public RoutingMetricEvent build() {
            Values.require("predicted_model", predictedModel);
            return new RoutingMetricEvent(envelope(), queryId, predictedModel, actualModel, dqScore, complexity, accuracy, costSaved, reasoning, queryText);
        }
    }
}
