package dev.eventlog.migrate;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.eventlog.Event;
import dev.eventlog.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The SHA-256 of an event's canonical encoding: kind, id, time in epoch milliseconds, session,
 * source, every typed field in column order (nulls included) and the attributes with their keys
 * sorted at every depth. Two stores that keep an event exactly alike give it the same
 * fingerprint, whatever order they keep attribute keys in. Not thread-safe: one per thread.
 */
final class EventFingerprints {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    private final MessageDigest sha256;

    EventFingerprints() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The 32-byte SHA-256 of {@code event}'s canonical encoding. */
    byte[] of(Event event) {
        out.reset();
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartArray();
            json.writeString(event.kind().key());
            json.writeString(event.id().toString());
            json.writeNumber(event.ts().toEpochMilli());
            json.writeString(event.sessionId());
            json.writeString(event.source());
            json.writeStartArray();
            for (int i = 0; i < event.kind().fields().size(); i++) {
                writeValue(json, event.field(i));
            }
            json.writeEndArray();
            writeValue(json, event.attributes());
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sha256.digest(out.toByteArray());
    }

    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String s) {
            json.writeString(s);
        } else if (value instanceof Long l) {
            json.writeNumber(l);
        } else if (value instanceof Double d) {
            json.writeNumber(d);
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (value instanceof Map<?, ?> map) {
            List<String> keys = new ArrayList<>(map.size());
            map.keySet().forEach(k -> keys.add((String) k));
            keys.sort(null);
            json.writeStartObject();
            for (String key : keys) {
                json.writeFieldName(key);
                writeValue(json, map.get(key));
            }
            json.writeEndObject();
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (Object item : list) {
                writeValue(json, item);
            }
            json.writeEndArray();
        } else {
            // Events normalise their values to the types above; anything else is written as Jackson sees it.
            Json.MAPPER.writeValue(json, value);
        }
    }
}
