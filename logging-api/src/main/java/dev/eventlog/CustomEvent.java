package dev.eventlog;

import java.util.Map;
import java.util.Objects;

/**
 * An event of a kind outside the catalogue: its kind name goes to the {@code kind} column of
 * {@code custom_events}, everything else to the attributes. Immutable and thread-safe.
 *
 * @param envelope id, time, session, source and the event's data as attributes
 * @param name the custom kind name, e.g. {@code deploy}, stored in the {@code kind} column and JSONL
 *     key; {@code null} only in imported events
 */
public record CustomEvent(Envelope envelope, @FieldName("kind") String name) implements Event {

    /** Normalises the name like any other text. */
    public CustomEvent {
        Objects.requireNonNull(envelope, "envelope");
        name = Values.text("kind", name);
    }

    /** A custom event of kind {@code name} happening now, with {@code attributes} as its data. */
    public static CustomEvent of(String name, Map<String, ?> attributes) {
        return builder(name).attributes(attributes).build();
    }

    @Override
    public EventKind kind() {
        return EventKind.CUSTOM;
    }

    /** A builder for a custom event of kind {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a {@link CustomEvent}; not thread-safe. */
    public static final class Builder extends EventBuilder<Builder> {
        private final String name;

        Builder(String name) {
            this.name = name;
        }

        /**
         * The event.
         *
         * @throws InvalidEventException when the name is null or blank or an attribute is not JSON
         */
        public CustomEvent build() {
            if (name == null || name.isBlank()) {
                throw new InvalidEventException("kind was '" + name + "' but it must be a non-blank name");
            }
            return new CustomEvent(envelope(), name);
        }
    }
}
