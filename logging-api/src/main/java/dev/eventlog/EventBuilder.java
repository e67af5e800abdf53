package dev.eventlog;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The envelope part shared by every event builder. A builder is not thread-safe; the event it
 * builds is immutable.
 *
 * @param <B> the concrete builder type, returned by every setter
 */
public abstract class EventBuilder<B extends EventBuilder<B>> {
    private UUID id;
    private Instant ts;
    private String sessionId;
    private String source;
    private Map<String, Object> attributes;

    EventBuilder() {
    }

    /** Sets the event id; by default a new time-ordered UUID is made from the event time. */
    public B id(UUID id) {
        this.id = id;
        return self();
    }

    /** Sets when the event happened; by default the time {@code build()} is called. */
    public B ts(Instant ts) {
        this.ts = ts;
        return self();
    }

    /** Sets the session id. */
    public B sessionId(String sessionId) {
        this.sessionId = sessionId;
        return self();
    }

    /** Sets the producing host or application. */
    public B source(String source) {
        this.source = source;
        return self();
    }

    /** Adds one attribute: a string, number, boolean, list or map. */
    public B attribute(String key, Object value) {
        if (attributes == null) {
            attributes = new LinkedHashMap<>();
        }
        attributes.put(key, value);
        return self();
    }

    /** Adds every entry of {@code values} to the attributes. */
    public B attributes(Map<String, ?> values) {
        if (attributes == null) {
            attributes = new LinkedHashMap<>();
        }
        attributes.putAll(values);
        return self();
    }

    /** The envelope from what was set, with defaults for the id and the time. */
    Envelope envelope() {
        Instant time = ts != null ? Envelope.checkTime("ts", ts) : Instant.now();
        UUID eventId = id != null ? id : Ids.next(time.toEpochMilli());
        return new Envelope(eventId, time, sessionId, source, attributes);
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
