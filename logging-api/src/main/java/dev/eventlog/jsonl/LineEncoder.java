package dev.eventlog.jsonl;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.eventlog.Event;
import dev.eventlog.EventField;
import dev.eventlog.EventKind;
import dev.eventlog.InvalidEventException;
import dev.eventlog.internal.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Writes events as JSONL lines in the JSONL format (README, "JSONL format"): {@code id}, {@code ts} (epoch
 * seconds with fractional milliseconds), {@code kind}, {@code session_id}, {@code source}, the
 * typed fields that are not null, and {@code attributes} when there are any. In
 * {@code custom-events.jsonl} the {@code kind} key holds the custom kind's own name (the
 * {@code kind} column of {@code custom_events}).
 *
 * <p>An event that cannot be encoded leaves nothing behind: the pending output is rolled back to
 * where it was before the event, so a half-written line is never glued onto the next one. Not
 * thread-safe: use one per writer.
 */
public final class LineEncoder {
    private final Buffer out = new Buffer();
    private final int maxLineBytes;

    /** An encoder for lines of at most {@link JsonlReader#DEFAULT_MAX_LINE_BYTES}, the longest a default reader reads. */
    public LineEncoder() {
        this(JsonlReader.DEFAULT_MAX_LINE_BYTES);
    }

    /**
     * An encoder that refuses an event whose line (without its newline) would be longer than
     * {@code maxLineBytes}: a reader with that limit could not read it back.
     */
    public LineEncoder(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Appends {@code event} as one {@code \n}-terminated line to the pending output.
     *
     * @throws InvalidEventException naming the event when it cannot be encoded or its line would be
     *     longer than the maximum; the pending output is then exactly what it was before the call
     */
    public void encode(Event event) {
        int mark = out.size();
        boolean done = false;
        try {
            write(event);
            long length = (long) out.size() - mark;
            if (length > maxLineBytes) {
                throw new InvalidEventException("event " + event.id() + " (" + event.kind().key() + ") is "
                        + length + " bytes as a JSON line but a JSONL line may be at most " + maxLineBytes
                        + " bytes (maxLineBytes), so it could not be read back");
            }
            out.write('\n');
            done = true;
        } catch (InvalidEventException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String reason = e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage() : e.toString();
            InvalidEventException refused = new InvalidEventException("event " + event.id() + " ("
                    + event.kind().key() + ") cannot be encoded as a JSON line: " + reason);
            refused.initCause(e);
            throw refused;
        } finally {
            if (!done) {
                out.truncate(mark);
            }
        }
    }

    /** Discards the pending output. */
    public void reset() {
        out.reset();
    }

    private void write(Event event) throws IOException {
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
        }
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

    /**
     * The one pending line without its newline, as bytes (one copy, for a consumer that frames
     * lines itself, such as a Kafka record); the encoder is empty afterwards.
     *
     * @throws IllegalStateException when nothing is pending
     */
    public byte[] drainLine() {
        if (out.size() == 0) {
            throw new IllegalStateException("no line is pending");
        }
        byte[] bytes = out.copyWithoutLastByte();
        out.reset();
        return bytes;
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

    /** A byte buffer that can be cut back to an earlier size. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(64 * 1024);
        }

        void truncate(int size) {
            count = Math.min(count, size);
        }

        byte[] copyWithoutLastByte() {
            return java.util.Arrays.copyOf(buf, count - 1);
        }
    }
}
