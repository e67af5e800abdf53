package dev.eventlog.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.testkit.Samples;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * The import reads a line from its bytes with a streaming parser; the service and {@code eventlog
 * log} decode text through a tree. Both must make the same event, or the same rejection, of every
 * line: every line of the test kit's legacy samples and lines built to reach each rule (numbers of
 * every form, aliases, repeated keys, nested values, lines that are no JSON object).
 */
class LineDecoderBytesTest {
    private static final LongFunction<UUID> DERIVED = millis -> new UUID(millis, 42);

    /** The event, or "rejected: reason", that a decode gives. */
    private interface Decode {
        Event apply() throws RejectedLineException;
    }

    private static String outcome(Decode decode) {
        try {
            return "event: " + decode.apply();
        } catch (RejectedLineException e) {
            return "rejected: " + e.getMessage();
        }
    }

    private static void assertSameOutcome(EventKind kind, String line) {
        assertSameOutcome(new LineDecoder(kind, KeyAliases.builtIn()), line);
    }

    private static void assertSameOutcome(LineDecoder decoder, String line) {
        EventKind kind = decoder.kind();
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[bytes.length + 7];
        System.arraycopy(bytes, 0, padded, 0, bytes.length);
        padded[bytes.length] = '}';
        String fromText = outcome(() -> decoder.decode(line, DERIVED));
        String fromBytes = outcome(() -> decoder.decode(padded, bytes.length, DERIVED));
        assertThat(fromBytes).as("%s line %s", kind.key(), line).isEqualTo(fromText);
    }

    @Test
    void theStreamingReadMakesItsNodesWithTheTreeReadersFactory() {
        // The streaming read builds its nodes without the mapper; decimals must be kept or stripped alike.
        assertThat(LineDecoder.sameNodeFactory()).isTrue();
    }

    @Test
    void everySampleLineDecodesAlikeFromBytesAndFromText() throws IOException {
        int lines = 0;
        int events = 0;
        try (var files = Files.list(Samples.directory())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
                EventKind kind = EventKind.fromFileName(file.getFileName().toString()).orElseThrow();
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    assertSameOutcome(kind, line);
                    lines++;
                    try {
                        new LineDecoder(kind, KeyAliases.builtIn()).decode(line, DERIVED);
                        events++;
                    } catch (RejectedLineException e) {
                        // Counted below: the samples hold rejected lines too, and they must agree as well.
                    }
                }
            }
        }
        assertThat(lines).isGreaterThan(events).isGreaterThan(100);
    }

    @Test
    void linesBuiltForEachRuleDecodeAlikeFromBytesAndFromText() {
        List<String> lines = new ArrayList<>();
        String[] numbers = {"1", "0", "-0", "1.0", "1.50", "0.00", "-0.0", "1e2", "1E+2", "1.5e-3", "2.5", "3",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890.5",
            "1e400", "-1e400", "1e-400", "4.9e-324", "0.1", "100", "2147483648", "\"7\"", "\" 2.50 \"", "\"x\"",
            "true", "false", "null", "\"yes\"", "\"No\"", "[]", "[\"a\", 1]", "{}", "{\"a\": 1.50}"};
        for (String n : numbers) {
            lines.add("{\"ts\": 1767225600, \"dq\": " + n + ", \"complexity\": " + n + ", \"correct\": " + n
                    + ", \"predicted\": " + n + ", \"query_id\": " + n + ", \"extra\": " + n + "}");
            lines.add("{\"ts\": " + n + ", \"query_id\": \"q\"}");
            lines.add("{\"timestamp\": " + n + ", \"ts\": null, \"query_id\": \"q\"}");
            lines.add("{\"ts\": 1767225600.5, \"attributes\": {\"n\": " + n + ", \"deep\": {\"m\": [" + n + "]}}}");
        }
        lines.add("{\"ts\": \"2026-01-01T00:00:00Z\", \"predicted\": \"opus\", \"predicted_model\": \"haiku\"}");
        lines.add("{\"ts\": \"2026-01-01 00:00:00+0100\", \"dq\": 0.5, \"dq_score\": 0.75, \"dq\": 0.25}");
        lines.add("{\"ts\": 1, \"ts\": 1767225600, \"query_id\": \"q\"}");
        lines.add("{\"ts\": 1767225600, \"id\": \"0190a5e2-7a3b-7c4d-8e5f-0123456789ab\", \"kind\": \"routing_metric\"}");
        lines.add("{\"ts\": 1767225600, \"id\": \"not-a-uuid\", \"kind\": \"git\", \"session_id\": 5, \"source\": true}");
        lines.add("{\"ts\": 1767225600, \"session_id\": {\"a\": 1}}");
        lines.add("{\"ts\": 1767225600, \"attributes\": [1, 2], \"timestamp\": \"yesterday\"}");
        lines.add("{\"ts\": \"\", \"timestamp\": \"2026-01-01\"}");
        lines.add("{\"ts\": 1767225600}{\"ts\": 1}");
        lines.add("{\"ts\": 1767225600} x");
        lines.add("{\"ts\": 1767225600,}");
        lines.add("{\"ts\": 1767225600");
        lines.add("[1, 2]");
        lines.add("\"text\"");
        lines.add("42");
        lines.add("null");
        lines.add("{}");
        lines.add("   {\"ts\": 1767225600}   ");
        lines.add("\uFEFF{\"ts\": 1767225600}");
        lines.add("{\"ts\": 1767225600, \"query_text\": \"caf\u00e9 \u2603 \uD83D\uDE00\"}");
        lines.add("{\"ts\": 1767225600, \"query_text\": \"a\\u0000b\\n\\\"c\"}");
        for (String line : lines) {
            for (EventKind kind : List.of(EventKind.ROUTING_METRIC, EventKind.GIT, EventKind.SESSION_OUTCOME,
                    EventKind.CUSTOM)) {
                assertSameOutcome(kind, line);
            }
        }
    }

    @Test
    void aliasesOfEnvelopeFieldsDecodeAlikeFromBytesAndFromText() {
        KeyAliases aliases = KeyAliases.builtIn().withEveryKind("created_at", "ts").withEveryKind("sid", "session_id")
                .withEveryKind("uuid", "id").withEveryKind("origin", "source");
        String uuid = "\"0190a5b2-0000-7000-8000-0000000000aa\"";
        List<String> lines = List.of(
                "{\"created_at\": \"2026-01-28 06:05:00\", \"sid\": \"s-1\", \"uuid\": " + uuid + ", \"origin\": \"h\"}",
                "{\"created_at\": 1769580000.5, \"sid\": 7, \"uuid\": 42, \"origin\": null}",
                "{\"ts\": 1, \"created_at\": 2, \"session_id\": \"a\", \"sid\": \"b\", \"id\": " + uuid
                        + ", \"uuid\": " + uuid + ", \"source\": \"s\", \"origin\": \"o\"}",
                "{\"ts\": \"\", \"timestamp\": null, \"created_at\": \"2026-01-28\"}",
                "{\"created_at\": \"yesterday\"}",
                "{\"created_at\": null}",
                "{\"created_at\": 1, \"sid\": {\"a\": 1}}",
                "{\"created_at\": 1, \"created_at\": 2}");
        for (EventKind kind : EventKind.values()) {
            LineDecoder decoder = new LineDecoder(kind, aliases);
            for (String line : lines) {
                assertSameOutcome(decoder, line);
            }
        }
    }
}
