package dev.eventlog;

import java.util.Objects;

/**
 * A free-form activity in a project.
 *
 * <p>Stored as {@link EventKind#ACTIVITY}. Any typed field may be {@code null} in an
 * event read back or imported; {@link #builder()} requires {@code activity_type}. Immutable and thread-safe.
 */
public record ActivityEvent(Envelope envelope, String activityType, String description, String projectPath) implements Event {

    /** @throws InvalidEventException when a number is not finite */
    public ActivityEvent {
        Objects.requireNonNull(envelope, "envelope");
        activityType = Values.text("activity_type", activityType);
        description = Values.text("description", description);
        projectPath = Values.text("project_path", projectPath);
    }

    @Override
    public EventKind kind() {
        return EventKind.ACTIVITY;
    }

    /** A builder for this event; the envelope defaults to now and a new id. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ActivityEvent}; not thread-safe. */
    public static final class Builder extends EventBuilder<Builder> {
        private String activityType;
        private String description;
        private String projectPath;

        Builder() {
        }

        /** Sets activity_type (required). */
        public Builder activityType(String activityType) {
            this.activityType = activityType;
            return this;
        }

        /** Sets description. */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** Sets project_path. */
        public Builder projectPath(String projectPath) {
            this.projectPath = projectPath;
            return this;
        }

        /**
         * The event.
         *
         * @throws InvalidEventException when a required field is missing or a number is not finite
         */
        public ActivityEvent build() {
            Values.require("activity_type", activityType);
            return new ActivityEvent(envelope(), activityType, description, projectPath);
        }
    }
}
