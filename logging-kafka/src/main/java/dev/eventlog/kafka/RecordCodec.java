package dev.eventlog.kafka;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.eventlog.Envelope;
import dev.eventlog.Event;
import dev.eventlog.EventField;
import dev.eventlog.EventKind;
import dev.eventlog.InvalidEventException;
import dev.eventlog.internal.json.Json;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.jsonl.LineDecoder;
import dev.eventlog.jsonl.LineEncoder;
import dev.eventlog.jsonl.RejectedLineException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
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
 *
 * <p>A record is decoded by the JSONL import rules ({@link LineDecoder}); a line as this library
 * writes it (ASCII, the envelope keys, the kind's own fields and {@code attributes}, each once,
 * with the JSON types the encoder writes) is read by a shorter path straight from the parser's
 * tokens, which builds the same event the rules would: any other line, and any value that path
 * does not take as it stands, goes the rules' way.
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
    // The canonical path reads as LineDecoder's streaming read does: the same mapper settings, an
    // object member's subtree by the same reader, its values converted the same way.
    private static final ObjectMapper PLAIN = Json.newMapper();
    private static final ObjectReader SUBTREE = PLAIN.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(Envelope.MAX_TS.toEpochMilli(), 3);
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** What the canonical path returns for a line it leaves to the import rules. */
    private static final Object NOT_CANONICAL = new Object();

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
            Event canonical = canonical(known, value);
            return canonical != null ? canonical : DECODERS.get(known).decode(value, value.length, derived);
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

    /**
     * The event of a line of {@code kind} as {@link LineEncoder} writes it, read from the parser's
     * tokens; {@code null} when the line is anything else (not ASCII, another key, a key twice, a
     * value of another JSON type than the encoder writes, no id, a value the event refuses), which
     * the import rules then decode, or reject with their reason. For every line it takes it
     * returns the event {@link LineDecoder#decode(byte[], int, LongFunction)} returns.
     */
    static Event canonical(EventKind kind, byte[] line) {
        if (!ascii(line)) {
            return null;
        }
        List<EventField> fields = kind.fields();
        Object[] values = new Object[fields.size()];
        boolean[] seen = new boolean[values.length];
        boolean seenKind = false;
        boolean seenSession = false;
        boolean seenSource = false;
        UUID id = null;
        Instant ts = null;
        String sessionId = null;
        String source = null;
        Map<String, Object> attributes = null;
        try (JsonParser parser = PLAIN.getFactory().createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken token = parser.nextToken();
            for (; token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String key = parser.currentName();
                JsonToken value = parser.nextToken();
                int index = kind.indexOf(key);
                if (index >= 0) {
                    Object typed = value == JsonToken.VALUE_NULL ? null : typed(fields.get(index).type(), parser, value);
                    if (seen[index] || typed == NOT_CANONICAL) {
                        return null;
                    }
                    seen[index] = true;
                    values[index] = typed;
                    continue;
                }
                switch (key) {
                    case "id" -> {
                        if (id != null || value != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        id = parseUuid(parser.getText());
                        if (id == null) {
                            return null;
                        }
                    }
                    case "ts" -> {
                        if (ts != null || (value != JsonToken.VALUE_NUMBER_FLOAT && value != JsonToken.VALUE_NUMBER_INT)) {
                            return null;
                        }
                        ts = time(parser.getDecimalValue());
                        if (ts == null) {
                            return null;
                        }
                    }
                    case "kind" -> {
                        if (seenKind || value != JsonToken.VALUE_STRING || !parser.getText().equals(kind.key())) {
                            return null;
                        }
                        seenKind = true;
                    }
                    case "session_id" -> {
                        if (seenSession || (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL)) {
                            return null;
                        }
                        seenSession = true;
                        sessionId = value == JsonToken.VALUE_NULL ? null : parser.getText();
                    }
                    case "source" -> {
                        if (seenSource || (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL)) {
                            return null;
                        }
                        seenSource = true;
                        source = value == JsonToken.VALUE_NULL ? null : parser.getText();
                    }
                    case "attributes" -> {
                        if (attributes != null || value != JsonToken.START_OBJECT) {
                            return null;
                        }
                        attributes = new LinkedHashMap<>();
                        JsonNode tree = SUBTREE.readTree(parser);
                        Iterator<Map.Entry<String, JsonNode>> members = tree.fields();
                        while (members.hasNext()) {
                            Map.Entry<String, JsonNode> member = members.next();
                            attributes.put(member.getKey(), PLAIN.convertValue(member.getValue(), Object.class));
                        }
                    }
                    default -> {
                        return null;
                    }
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null || id == null || ts == null) {
                return null;
            }
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        try {
            return kind.create(new Envelope(id, ts, sessionId, source,
                    attributes == null ? new LinkedHashMap<>() : attributes), values);
        } catch (InvalidEventException e) {
            return null;
        }
    }

    /** A typed field's value as the encoder writes it, or {@link #NOT_CANONICAL}. */
    private static Object typed(EventField.Type type, JsonParser parser, JsonToken value) throws IOException {
        switch (type) {
            case TEXT -> {
                return value == JsonToken.VALUE_STRING ? parser.getText() : NOT_CANONICAL;
            }
            case INTEGER -> {
                return value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                        ? (Object) parser.getLongValue() : NOT_CANONICAL;
            }
            case REAL -> {
                double d;
                if (value == JsonToken.VALUE_NUMBER_FLOAT) {
                    d = parser.getDecimalValue().doubleValue();
                } else if (value == JsonToken.VALUE_NUMBER_INT) {
                    d = new BigDecimal(parser.getBigIntegerValue()).doubleValue();
                } else {
                    return NOT_CANONICAL;
                }
                return Double.isFinite(d) ? (Object) d : NOT_CANONICAL;
            }
            case BOOLEAN -> {
                return value == JsonToken.VALUE_TRUE ? Boolean.TRUE
                        : value == JsonToken.VALUE_FALSE ? Boolean.FALSE : NOT_CANONICAL;
            }
            case TEXT_LIST -> {
                if (value != JsonToken.START_ARRAY) {
                    return NOT_CANONICAL;
                }
                List<String> list = new ArrayList<>();
                for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                    if (item != JsonToken.VALUE_STRING) {
                        return NOT_CANONICAL;
                    }
                    list.add(parser.getText());
                }
                return list;
            }
            default -> {
                return NOT_CANONICAL;
            }
        }
    }

    /**
     * The time of a {@code ts} number as the import rules read it (epoch seconds up to the latest
     * valid time, epoch milliseconds above, floored to the millisecond), or {@code null} when it
     * is no valid time.
     */
    private static Instant time(BigDecimal number) {
        BigDecimal millis = number.compareTo(MAX_SECONDS) > 0 ? number : number.multiply(THOUSAND);
        try {
            return Envelope.checkTime("ts", Instant.ofEpochMilli(millis.setScale(0, RoundingMode.FLOOR).longValueExact()));
        } catch (ArithmeticException | DateTimeException | InvalidEventException e) {
            return null;
        }
    }

    /** A UUID in its 36-character form, as the import rules take it, or {@code null}. */
    private static UUID parseUuid(String text) {
        if (text.length() != 36 || text.charAt(8) != '-' || text.charAt(13) != '-') {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether every byte is ASCII, eight at a time. */
    private static boolean ascii(byte[] bytes) {
        int i = 0;
        for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
            if (((long) LONGS.get(bytes, i) & 0x8080808080808080L) != 0) {
                return false;
            }
        }
        for (; i < bytes.length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }
}
