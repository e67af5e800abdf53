package dev.eventlog.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eventlog.ActivityEvent;
import dev.eventlog.CustomEvent;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.GitEvent;
import dev.eventlog.RoutingMetricEvent;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.internal.json.Json;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.jsonl.LineDecoder;
import dev.eventlog.jsonl.LineEncoder;
import dev.eventlog.jsonl.RejectedLineException;
import dev.eventlog.testkit.SampleEvents;
import dev.eventlog.testkit.Samples;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * The sink's decoding of records against the JSONL import rules it stands for: every record,
 * whether its line takes the short path for lines this library writes or the rules' own, decodes
 * to the very event (typed values of the same Java types, attributes in the same order and JSON)
 * that {@link LineDecoder} makes of the line, or is rejected with the rules' reason.
 */
class RecordCodecTest {
    private static final String TOPIC = "t";

    @Test
    void everyEncodedEventDecodesAsTheImportRulesDecodeItsLine() throws Exception {
        List<Event> events = new ArrayList<>(SampleEvents.everyKind());
        events.addAll(Samples.events());
        for (EventKind kind : EventKind.values()) {
            events.add(SampleEvents.empty(kind, SampleEvents.T0));
        }
        for (String text : SampleEvents.NASTY_TEXT) {
            events.add(ActivityEvent.builder().ts(SampleEvents.T0).sessionId(text).source(text).activityType(text)
                    .description(text).attribute(text.isEmpty() ? "k" : text, text).build());
            events.add(ToolUseEvent.builder().ts(SampleEvents.T0).success(true).toolName(text).filePaths(List.of(text, "", text))
                    .build());
        }
        events.add(ActivityEvent.builder().ts(SampleEvents.T0).activityType("a")
                .attributes(SampleEvents.jsonAttributes()).build());
        events.add(GitEvent.builder().ts(SampleEvents.T0).eventType("push").repo("r").filesChanged(Long.MAX_VALUE).additions(Long.MIN_VALUE)
                .deletions(0L).commits(-1L).attribute("big", Long.MAX_VALUE).attribute("huge", 1e308)
                .attribute("tiny", 5e-324).attribute("neg", -0.0).attribute("int", Integer.MIN_VALUE).build());
        for (double real : new double[] {0.0, -0.0, 3.0, 0.1, 1e-7, 1e21, 1.7976931348623157e308, 4.9e-324,
            123456789.123456789, -2.5}) {
            events.add(RoutingMetricEvent.builder().ts(SampleEvents.T0).predictedModel("m").dqScore(real).complexity(-real)
                    .costSaved(real / 3).accuracy(real > 0).build());
        }
        events.add(ActivityEvent.builder().ts(java.time.Instant.parse("1970-01-01T00:00:00Z")).activityType("x")
                .build());
        events.add(ActivityEvent.builder().ts(java.time.Instant.parse("9999-12-31T23:59:59.999Z")).activityType("y")
                .build());
        events.add(CustomEvent.builder("deploy").ts(SampleEvents.T0).attribute("env", "prod").build());

        LineEncoder encoder = RecordCodec.newEncoder();
        int canonical = 0;
        long offset = 0;
        for (Event event : events) {
            ProducerRecord<byte[], byte[]> sent = RecordCodec.encode(TOPIC, event, encoder);
            ConsumerRecord<byte[], byte[]> record = received(sent, offset++);
            Event decoded = RecordCodec.decode(record);
            Event byRules = byRules(event.kind(), record);
            assertSame(byRules, decoded, new String(sent.value(), StandardCharsets.UTF_8));
            assertEquals(event.id(), decoded.id());
            if (RecordCodec.canonical(event.kind(), sent.value()) != null) {
                canonical++;
            } else {
                boolean ascii = new String(sent.value(), StandardCharsets.UTF_8).chars().allMatch(c -> c < 0x80);
                assertTrue(!ascii || event.kind() == EventKind.CUSTOM,
                        "an ASCII line the encoder wrote took the rules' path: " + new String(sent.value(),
                                StandardCharsets.UTF_8));
            }
        }
        assertTrue(canonical > events.size() / 2, canonical + " of " + events.size() + " took the short path");
    }

    @Test
    void linesOtherProducersWriteDecodeOrAreRejectedAsByTheImportRules() throws Exception {
        String id = "\"id\":\"0190b2a0-0000-7000-8000-000000000001\"";
        List<String> lines = List.of(
                "{" + id + ",\"ts\":1769580000.123,\"activity_type\":\"a\"}",
                "{" + id + ",\"ts\":1769580000123,\"activity_type\":\"a\"}",
                "{" + id + ",\"ts\":1769580000,\"activity_type\":\"a\"}",
                "{" + id + ",\"ts\":1769580000.1239,\"activity_type\":\"a\"}",
                "{" + id + ",\"ts\":\"2026-01-28T06:00:00.123Z\",\"activity_type\":\"a\"}",
                "{" + id + ",\"timestamp\":1769580000.5,\"activity_type\":\"a\"}",
                "{" + id + ",\"ts\":1769580000.5,\"timestamp\":1,\"activity_type\":\"a\"}",
                "{\"ts\":1769580000.5,\"activity_type\":\"no id\"}",
                "{\"id\":\"not-a-uuid\",\"ts\":1769580000.5,\"activity_type\":\"a\"}",
                "{\"id\":42,\"ts\":1769580000.5,\"activity_type\":\"a\"}",
                "{" + id + ",\"ts\":1769580000.5,\"activity_type\":\"a\",\"extra\":{\"deep\":[1,2.50,\"x\",null]}}",
                "{" + id + ",\"ts\":1769580000.5,\"activity_type\":\"a\",\"activity_type\":\"b\"}",
                "{" + id + ",\"ts\":1769580000.5,\"activity_type\":\"a\",\"attributes\":{\"a\":1},\"attributes\":{}}",
                "{" + id + ",\"ts\":1769580000.5,\"kind\":\"git\",\"activity_type\":\"a\"}",
                "{" + id + ",\"ts\":1769580000.5,\"kind\":\"activity\",\"activity_type\":\"a\"}",
                "{" + id + ",\"ts\":1769580000.5,\"activity_type\":12}",
                "{" + id + ",\"ts\":1769580000.5,\"activity_type\":\"caf\\u00e9 \\ud83d\\ude80 \\ud800 \\\"q\\\" \\n\"}",
                "{" + id + ",\"ts\":1769580000.5,\"activity_type\":null,\"session_id\":null,\"source\":null}",
                "{" + id + ",\"ts\":1769580000.5,\"session_id\":7,\"source\":true}",
                "{" + id + ",\"ts\":1769580000.5,\"attributes\":{\"n\":12345678901234567890123,\"f\":1.0e400,"
                        + "\"g\":1.50,\"h\":-0.0,\"i\":2147483648,\"s\":\"\\u0000\"}}",
                "{" + id + ",\"ts\":1769580000.5,\"attributes\":[1,2]}",
                "  {" + id + " , \"ts\" : 1769580000.5 ,\"activity_type\" : \"spaced\" }  ",
                "{" + id + ",\"ts\":1769580000.5,\"activity_type\":\"a\"} trailing",
                "{" + id + ",\"ts\":1769580000.5,\"activity_type\":\"a\"",
                "[1,2]",
                "{" + id + ",\"ts\":-1,\"activity_type\":\"a\"}",
                "{" + id + ",\"ts\":1e300,\"activity_type\":\"a\"}",
                "{" + id + ",\"ts\":null,\"activity_type\":\"a\"}",
                "{" + id + ",\"ts\":1769580000.5,\"description\":\"é non-ASCII\"}");
        List<String> gitLines = List.of(
                "{" + id + ",\"ts\":1769580000.5,\"files_changed\":12345678901234567890}",
                "{" + id + ",\"ts\":1769580000.5,\"files_changed\":3.0}",
                "{" + id + ",\"ts\":1769580000.5,\"files_changed\":\"3\"}",
                "{" + id + ",\"ts\":1769580000.5,\"files_changed\":-9223372036854775808}",
                "{" + id + ",\"ts\":1769580000.5,\"hash\":\"abc\"}");
        List<String> routingLines = List.of(
                "{" + id + ",\"ts\":1769580000.5,\"dq_score\":1e400}",
                "{" + id + ",\"ts\":1769580000.5,\"dq_score\":12345678901234567890123}",
                "{" + id + ",\"ts\":1769580000.5,\"dq_score\":0.1000,\"accuracy\":1}",
                "{" + id + ",\"ts\":1769580000.5,\"dq_score\":7,\"accuracy\":\"yes\"}",
                "{" + id + ",\"ts\":1769580000.5,\"accuracy\":false}");
        List<String> toolLines = List.of(
                "{" + id + ",\"ts\":1769580000.5,\"file_paths\":[\"a\",\"b\"]}",
                "{" + id + ",\"ts\":1769580000.5,\"file_paths\":[]}",
                "{" + id + ",\"ts\":1769580000.5,\"file_paths\":[\"a\",null]}",
                "{" + id + ",\"ts\":1769580000.5,\"file_paths\":[\"a\",3]}",
                "{" + id + ",\"ts\":1769580000.5,\"file_paths\":\"a\"}");
        int offset = 0;
        for (String line : lines) {
            compare(EventKind.ACTIVITY, line, offset++);
        }
        for (String line : gitLines) {
            compare(EventKind.GIT, line, offset++);
        }
        for (String line : routingLines) {
            compare(EventKind.ROUTING_METRIC, line, offset++);
        }
        for (String line : toolLines) {
            compare(EventKind.TOOL_USE, line, offset++);
        }
        // The plain line of another producer takes the short path; the odd ones do not.
        assertNotNull(RecordCodec.canonical(EventKind.ACTIVITY, lines.get(0).getBytes(StandardCharsets.UTF_8)));
        assertNull(RecordCodec.canonical(EventKind.ACTIVITY, lines.get(11).getBytes(StandardCharsets.UTF_8)));
        assertNull(RecordCodec.canonical(EventKind.ACTIVITY, lines.get(4).getBytes(StandardCharsets.UTF_8)));
    }

    /** The record of {@code line} with the kind and schema headers decodes as the rules decode the line, or fails alike. */
    private static void compare(EventKind kind, String line, long offset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(RecordCodec.KIND_HEADER, kind.key().getBytes(StandardCharsets.US_ASCII));
        headers.add(RecordCodec.SCHEMA_HEADER, RecordCodec.SCHEMA_VERSION.getBytes(StandardCharsets.US_ASCII));
        byte[] value = line.getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(TOPIC, 0, offset, 0L, TimestampType.CREATE_TIME,
                1, value.length, new byte[] {'k'}, value, headers, Optional.empty());
        Object byRules;
        try {
            byRules = byRules(kind, record);
        } catch (RejectedLineException e) {
            byRules = e.getMessage();
        }
        Object decoded;
        try {
            decoded = RecordCodec.decode(record);
        } catch (RejectedLineException e) {
            decoded = e.getMessage();
        }
        if (byRules instanceof Event expected && decoded instanceof Event actual) {
            assertSame(expected, actual, line);
        } else {
            assertEquals(byRules, decoded, line);
        }
    }

    private static Event byRules(EventKind kind, ConsumerRecord<byte[], byte[]> record) throws RejectedLineException {
        byte[] value = record.value();
        return new LineDecoder(kind, KeyAliases.builtIn()).decode(value, value.length, millis -> UUID.nameUUIDFromBytes(
                (record.topic() + "/" + record.partition() + "/" + record.offset()).getBytes(StandardCharsets.UTF_8)));
    }

    /** Equal events, typed values of the same classes, attributes of the same JSON in the same order. */
    private static void assertSame(Event expected, Event actual, String line) {
        assertEquals(expected, actual, line);
        assertEquals(expected.kind(), actual.kind(), line);
        for (int i = 0; i < expected.kind().fields().size(); i++) {
            Object e = expected.field(i);
            Object a = actual.field(i);
            assertEquals(e == null ? null : e.getClass(), a == null ? null : a.getClass(), line);
        }
        assertEquals(Json.write(expected.attributes()), Json.write(actual.attributes()), line);
        assertEquals(new ArrayList<>(expected.attributes().keySet()), new ArrayList<>(actual.attributes().keySet()),
                line);
        assertEquals(types(expected.attributes()), types(actual.attributes()), line);
    }

    /** The Java classes of every value in {@code value}, nested, as text. */
    private static String types(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, String> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, types(v)));
            return out.toString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(RecordCodecTest::types).toList().toString();
        }
        return value == null ? "null" : value.getClass().getSimpleName();
    }

    private static ConsumerRecord<byte[], byte[]> received(ProducerRecord<byte[], byte[]> sent, long offset) {
        return new ConsumerRecord<>(TOPIC, 0, offset, 0L, TimestampType.CREATE_TIME, sent.key().length,
                sent.value().length, sent.key(), sent.value(), sent.headers(), Optional.empty());
    }
}
