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
 * <p>Every event keeps within the event limits (README, "Event limits"), so that every store
 * can encode it and read back exactly what it was given: the time lies in {@link #MIN_TS} ..
 * {@link #MAX_TS}; the attributes nest at most {@link #MAX_ATTRIBUTE_DEPTH} levels and take at
 * most {@link #MAX_ATTRIBUTES_BYTES} encoded as JSON; one text value (here or in a typed field)
 * holds at most {@link #MAX_TEXT_BYTES} of UTF-8; one list at most {@link #MAX_LIST_ITEMS}
 * items. Anything else is refused with an {@link InvalidEventException} naming the field.
 *
 * @param id the event id, a time-ordered UUID (version 7) unless the caller gave one
 * @param ts when the event happened, millisecond precision
 * @param sessionId the session the event belongs to, or {@code null}
 * @param source the host or application that produced it, or {@code null}
 * @param attributes any further fields; never {@code null}, empty when there are none
 */
public record Envelope(UUID id, Instant ts, String sessionId, String source, Map<String, Object> attributes) {
    /** The earliest time an event may carry: 1970-01-01T00:00:00Z. */
    public static final Instant MIN_TS = Instant.EPOCH;
    // From its epoch milliseconds: Instant.parse would set up java.time's formatters at every start
    // (EventLimitsTest checks the value).
    /** The latest time an event may carry: 9999-12-31T23:59:59.999Z. */
    public static final Instant MAX_TS = Instant.ofEpochMilli(253_402_300_799_999L);
    /** How many levels attribute maps and lists may nest; the attributes map itself is level 1. */
    public static final int MAX_ATTRIBUTE_DEPTH = 32;
    /** The most bytes the attributes may take encoded as JSON in UTF-8: 8 MiB. */
    public static final long MAX_ATTRIBUTES_BYTES = 8L * 1024 * 1024;
    /** The most UTF-8 bytes one text value (a typed field, an attribute key or string) may hold: 4 MiB. */
    public static final long MAX_TEXT_BYTES = 4L * 1024 * 1024;
    /** The most items one list (a typed list field or an attribute list) may hold. */
    public static final int MAX_LIST_ITEMS = 65_536;

    /**
     * @throws InvalidEventException when the id or time is missing, the time is out of range, an
     *     attribute is not JSON or a limit is passed; the message names the field
     */
    public Envelope {
        if (id == null) {
            throw new InvalidEventException("id was null but it must be a UUID");
        }
        if (ts != null && ts.getNano() % 1_000_000 != 0) {
            ts = ts.truncatedTo(ChronoUnit.MILLIS);
        }
        checkTime("ts", ts);
        sessionId = Values.text("session_id", sessionId);
        source = Values.text("source", source);
        attributes = Values.attributes(attributes);
    }

    /**
     * Checks that {@code ts} is a time every store keeps exactly: in {@link #MIN_TS} .. {@link #MAX_TS}.
     *
     * @param field the name the message gives the time
     * @return {@code ts}
     * @throws InvalidEventException naming {@code field} when {@code ts} is {@code null} or out of range
     */
    public static Instant checkTime(String field, Instant ts) {
        if (ts == null) {
            throw new InvalidEventException(field + " was null but it must be an instant");
        }
        if (ts.isBefore(MIN_TS) || ts.truncatedTo(ChronoUnit.MILLIS).isAfter(MAX_TS)) {
            throw new InvalidEventException(field + " was '" + ts + "' but it must lie in " + MIN_TS + " .. " + MAX_TS);
        }
        return ts;
    }

    /**
     * An envelope with a new time-ordered id, the given time and no session, source or attributes.
     *
     * @throws InvalidEventException when {@code ts} is {@code null} or out of range
     */
    public static Envelope of(Instant ts) {
        checkTime("ts", ts);
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
