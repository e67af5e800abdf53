package dev.eventlog;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An operational event: an {@link Envelope} plus the typed fields of its {@link EventKind}.
 * Every implementation is an immutable record and safe to share between threads.
 *
 * <p>Stores treat events generically through {@link #kind()} and {@link #field(int)}; application
 * code uses the records' own accessors and builders.
 */
public sealed interface Event permits GitEvent, SelfHealEvent, RecoveryEvent, RoutingMetricEvent,
        SessionOutcomeEvent, ToolUseEvent, ActivityEvent, CoordinatorEvent, ExpertiseRoutingEvent, CustomEvent {

    /** The id, time, session, source and attributes. */
    Envelope envelope();

    /** Which kind this event is, and so which table and file it belongs to. */
    EventKind kind();

    /**
     * The value of typed field {@code index} in the order of {@link EventKind#fields()}, of that
     * field's Java type, or {@code null}: the record component the field is derived from, read
     * through an accessor resolved once per kind.
     *
     * @throws IndexOutOfBoundsException when the kind has no field {@code index}
     */
    default Object field(int index) {
        return kind().read(this, index);
    }

    /** The event id. */
    default UUID id() {
        return envelope().id();
    }

    /** When the event happened, millisecond precision. */
    default Instant ts() {
        return envelope().ts();
    }

    /** The session id, or {@code null}. */
    default String sessionId() {
        return envelope().sessionId();
    }

    /** The producing host or application, or {@code null}. */
    default String source() {
        return envelope().source();
    }

    /** Any further fields; never {@code null}. */
    default Map<String, Object> attributes() {
        return envelope().attributes();
    }

    /** The typed field values in column order, as a new array. */
    default Object[] fieldValues() {
        Object[] values = new Object[kind().fields().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = field(i);
        }
        return values;
    }

    /** This event with another envelope and the same typed fields. */
    default Event withEnvelope(Envelope envelope) {
        return kind().create(envelope, fieldValues());
    }
}
