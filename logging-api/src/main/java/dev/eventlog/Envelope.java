package dev.eventlog;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What every event carries besides its typed fields.
 *
 * <p>The time is truncated to millisecond precision; text has U+0000 replaced by U+FFFD (which
 * PostgreSQL cannot store, so every store agrees); attributes are an immutable copy whose
 * integers are {@link Long}s and whose decimals are finite {@link Double}s.
 *
 * @param id the event id, a time-ordered UUID (version 7) unless the caller gave one
 * @param ts when the event happened, millisecond precision
 * @param sessionId the session the event belongs to, or {@code null}
 * @param source the host or application that produced it, or {@code null}
 * @param attributes any further fields; never {@code null}, empty when there are none
 */
public record Envelope(UUID id, Instant ts, String sessionId, String source, Map<String, Object> attributes) {

    /** @throws InvalidEventException when the id or time is missing or an attribute is not JSON */
    public Envelope {
        if (id == null) {
            throw new InvalidEventException("id was null but it must be a UUID");
        }
        if (ts == null) {
            throw new InvalidEventException("ts was null but it must be an instant");
        }
        if (ts.getNano() % 1_000_000 != 0) {
            ts = ts.truncatedTo(ChronoUnit.MILLIS);
        }
        sessionId = Values.text(sessionId);
        source = Values.text(source);
        attributes = Values.attributes(attributes);
    }

    /** An envelope with a new time-ordered id, the given time and no session, source or attributes. */
    public static Envelope of(Instant ts) {
        return new Envelope(Ids.next(ts.toEpochMilli()), ts, null, null, Map.of());
    }

    /** This envelope with another source. */
    public Envelope withSource(String newSource) {
        return Objects.equals(source, newSource) ? this : new Envelope(id, ts, sessionId, newSource, attributes);
    }

    /** This envelope with another session id. */
    public Envelope withSessionId(String newSessionId) {
        return Objects.equals(sessionId, newSessionId) ? this : new Envelope(id, ts, newSessionId, source, attributes);
    }
}
