package dev.eventlog.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.jsonl.LineDecoder;
import dev.eventlog.jsonl.LineEncoder;
import dev.eventlog.jsonl.RejectedLineException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One event as one Kafka record, and back: the key is the session id (so a session's events stay
 * in one partition, in order), or the event id when there is none; the value is the event's JSONL
 * line without its newline ({@link LineEncoder}); the headers {@value #KIND_HEADER} and
 * {@value #SCHEMA_HEADER} say the kind and the version of the line format. Thread-safe.
 */
public final class RecordCodec {
    /** The header naming the event's kind, e.g. {@code tool_use}. */
    public static final String KIND_HEADER = "eventlog-kind";
    /** The header naming the version of the line format. */
    public static final String SCHEMA_HEADER = "eventlog-schema";
    /** The version of the line format this build writes and reads. */
    public static final String SCHEMA_VERSION = "1";
    /**
     * The longest record value written, 16 MiB: the producer's and the created topic's limits are
     * set from it, so an event the encoder takes is never refused by Kafka.
     */
    public static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private static final byte[] SCHEMA_BYTES = SCHEMA_VERSION.getBytes(StandardCharsets.US_ASCII);
    private static final Map<EventKind, byte[]> KIND_BYTES = new EnumMap<>(EventKind.class);
    private static final Map<EventKind, LineDecoder> DECODERS = new EnumMap<>(EventKind.class);

    static {
        for (EventKind kind : EventKind.values()) {
            KIND_BYTES.put(kind, kind.key().getBytes(StandardCharsets.US_ASCII));
            DECODERS.put(kind, new LineDecoder(kind, KeyAliases.builtIn()));
        }
    }

    private RecordCodec() {
    }

    /** A new encoder for the lines of records, refusing a line longer than {@link #MAX_LINE_BYTES}. */
    public static LineEncoder newEncoder() {
        return new LineEncoder(MAX_LINE_BYTES);
    }

    /**
     * The record of {@code event} for {@code topic}.
     *
     * @param encoder an empty encoder, left empty
     * @throws dev.eventlog.InvalidEventException when the event cannot be encoded
     */
    public static ProducerRecord<byte[], byte[]> encode(String topic, Event event, LineEncoder encoder) {
        encoder.encode(event);
        byte[] value = encoder.drainLine();
        String key = event.sessionId() != null ? event.sessionId() : event.id().toString();
        RecordHeaders headers = new RecordHeaders();
        headers.add(KIND_HEADER, KIND_BYTES.get(event.kind()));
        headers.add(SCHEMA_HEADER, SCHEMA_BYTES);
        return new ProducerRecord<>(topic, null, null, key.getBytes(StandardCharsets.UTF_8), value, headers);
    }

    /** The kind whose header bytes are {@code bytes}, or {@code null}: no String made per record. */
    private static EventKind kindOf(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        for (Map.Entry<EventKind, byte[]> kind : KIND_BYTES.entrySet()) {
            if (Arrays.equals(kind.getValue(), bytes)) {
                return kind.getKey();
            }
        }
        return null;
    }

    /** The kind a record's header names, or {@code null} when it has none. */
    static String kindHeader(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(KIND_HEADER);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * The event of {@code record}. A record without a kind header is read by its line's
     * {@code kind} key (a kind this library does not know is a custom kind); a line without an
     * id gets one derived from the record's topic, partition and offset, the same at every read.
     *
     * @throws RejectedLineException with the reason when the record is not an event: no value, a
     *     newer line format, an unknown kind header, or a line the JSONL rules reject
     */
    public static Event decode(ConsumerRecord<byte[], byte[]> record) throws RejectedLineException {
        byte[] value = record.value();
        if (value == null || value.length == 0) {
            throw new RejectedLineException("the record has no value");
        }
        Header schema = record.headers().lastHeader(SCHEMA_HEADER);
        if (schema != null && !Arrays.equals(SCHEMA_BYTES, schema.value())) {
            throw new RejectedLineException("its line format is version '"
                    + new String(schema.value(), StandardCharsets.UTF_8) + "' but this build reads version "
                    + SCHEMA_VERSION);
        }
        // Only a line without an id needs one derived (an MD5 of the record's place): computed then, not per record.
        LongFunction<UUID> derived = millis -> UUID.nameUUIDFromBytes(
                (record.topic() + "/" + record.partition() + "/" + record.offset()).getBytes(StandardCharsets.UTF_8));
        Header kindBytes = record.headers().lastHeader(KIND_HEADER);
        EventKind known = kindBytes == null ? null : kindOf(kindBytes.value());
        if (known != null) {
            return DECODERS.get(known).decode(value, value.length, derived);
        }
        String kindName = kindHeader(record);
        if (kindName != null) {
            EventKind kind = EventKind.fromKey(kindName).orElseThrow(() -> new RejectedLineException(
                    "its " + KIND_HEADER + " header was '" + kindName + "' but it must be one of the kinds "
                            + Arrays.toString(EventKind.values()).toLowerCase(java.util.Locale.ROOT)));
            return DECODERS.get(kind).decode(value, value.length, derived);
        }
        JsonNode root = LineDecoder.parse(new String(value, StandardCharsets.UTF_8));
        JsonNode kindKey = root.get("kind");
        if (kindKey == null || !kindKey.isTextual()) {
            throw new RejectedLineException("the record has no " + KIND_HEADER + " header and its line no kind");
        }
        EventKind kind = EventKind.fromKey(kindKey.asText()).orElse(EventKind.CUSTOM);
        return DECODERS.get(kind).decode(root, derived);
    }
}
