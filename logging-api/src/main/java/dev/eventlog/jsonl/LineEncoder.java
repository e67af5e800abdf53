package dev.eventlog.jsonl;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.eventlog.Event;
import dev.eventlog.EventField;
import dev.eventlog.EventKind;
import dev.eventlog.internal.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Writes events as JSONL lines in the JSONL format (README, "JSONL format"): {@code id}, {@code ts} (epoch
 * seconds with fractional milliseconds), {@code kind}, {@code session_id}, {@code source}, the
 * typed fields that are not null, and {@code attributes} when there are any. In
 * {@code custom-events.jsonl} the {@code kind} key holds the custom kind's own name (the
 * {@code kind} column of {@code custom_events}). Not thread-safe:
 * use one per writer.
 */
public final class LineEncoder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);

    /** Appends {@code event} as one {@code \n}-terminated line to the pending output. */
    public void encode(Event event) {
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("id", event.id().toString());
            json.writeFieldName("ts");
            json.writeNumber(BigDecimal.valueOf(event.ts().toEpochMilli(), 3).toPlainString());
            // A custom event's kind column is its own kind name, written as the line's kind.
            if (event.kind() != EventKind.CUSTOM) {
                json.writeStringField("kind", event.kind().key());
            }
            if (event.sessionId() != null) {
                json.writeStringField("session_id", event.sessionId());
            }
            if (event.source() != null) {
                json.writeStringField("source", event.source());
            }
            List<EventField> fields = event.kind().fields();
            for (int i = 0; i < fields.size(); i++) {
                Object value = event.field(i);
                if (value != null) {
                    json.writeFieldName(fields.get(i).name());
                    writeValue(json, value);
                }
            }
            Map<String, Object> attributes = event.attributes();
            if (!attributes.isEmpty()) {
                json.writeFieldName("attributes");
                Json.MAPPER.writeValue(json, attributes);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
    }

    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        if (value instanceof String s) {
            json.writeString(s);
        } else if (value instanceof Long l) {
            json.writeNumber(l);
        } else if (value instanceof Double d) {
            json.writeNumber(d);
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else {
            Json.MAPPER.writeValue(json, value);
        }
    }

    /** Whether nothing is pending. */
    public boolean isEmpty() {
        return out.size() == 0;
    }

    /** The pending lines as bytes; the encoder is empty afterwards. */
    public byte[] drain() {
        byte[] bytes = out.toByteArray();
        out.reset();
        return bytes;
    }
}
