package dev.eventlog.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.CustomEvent;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.GitEvent;
import dev.eventlog.Ids;
import dev.eventlog.RecoveryEvent;
import dev.eventlog.RoutingMetricEvent;
import dev.eventlog.SelfHealEvent;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.testkit.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineDecoderTest {
    private static final UUID DERIVED = UUID.fromString("00000000-0000-7000-8000-000000000000");

    @TempDir
    Path dir;

    private static Event decode(EventKind kind, String line) throws RejectedLineException {
        return new LineDecoder(kind, KeyAliases.builtIn()).decode(line, millis -> DERIVED);
    }

    @Test
    void readsEveryTimeForm() throws Exception {
        Instant expected = Instant.parse("2026-01-28T06:00:19.123Z");
        for (String ts : List.of("1769580019.123", "1769580019123", "\"2026-01-28T06:00:19.123Z\"",
                "\"2026-01-28T08:00:19.123+02:00\"", "\"2026-01-28T06:00:19.123\"", "\"1769580019.123\"",
                "\"2026-01-28 06:00:19.123456\"", "\"2026-01-28t06:00:19.123z\"", "\"2026-01-28T01:00:19.123-0500\"")) {
            assertThat(decode(EventKind.ACTIVITY, "{\"ts\": " + ts + "}").ts()).as(ts).isEqualTo(expected);
        }
        assertThat(decode(EventKind.ACTIVITY, "{\"timestamp\": 1769580019}").ts())
                .isEqualTo(Instant.parse("2026-01-28T06:00:19Z"));
        assertThat(decode(EventKind.ACTIVITY, "{\"timestamp\": \"2026-01-28\"}").ts())
                .isEqualTo(Instant.parse("2026-01-28T00:00:00Z"));
        assertThat(decode(EventKind.ACTIVITY, "\uFEFF{\"ts\": 1769580019}").ts())
                .isEqualTo(Instant.parse("2026-01-28T06:00:19Z"));
    }

    @Test
    void readsLenientBooleansAndNumericStrings() throws Exception {
        for (String yes : List.of("true", "1", "\"true\"", "\"yes\"", "\"YES\"")) {
            SelfHealEvent e = (SelfHealEvent) decode(EventKind.SELF_HEAL, "{\"ts\": 1, \"success\": " + yes + "}");
            assertThat(e.success()).as(yes).isTrue();
        }
        for (String no : List.of("false", "0", "\"false\"", "\"no\"")) {
            SelfHealEvent e = (SelfHealEvent) decode(EventKind.SELF_HEAL, "{\"ts\": 1, \"success\": " + no + "}");
            assertThat(e.success()).as(no).isFalse();
        }
        GitEvent git = (GitEvent) decode(EventKind.GIT, "{\"ts\": 1, \"files_changed\": \"12\", \"additions\": 4.0}");
        assertThat(git.filesChanged()).isEqualTo(12L);
        assertThat(git.additions()).isEqualTo(4L);
    }

    @Test
    void rejectsValuesThatCannotBeCoercedNamingTheField() {
        assertThatThrownBy(() -> decode(EventKind.SELF_HEAL, "{\"ts\": 1, \"success\": \"maybe\"}"))
                .hasMessage("success was 'maybe' but it must be a boolean");
        assertThatThrownBy(() -> decode(EventKind.SELF_HEAL, "{\"ts\": 1, \"execution_time_ms\": 1.5}"))
                .hasMessage("execution_time_ms was '1.5' but it must be an integer");
        assertThatThrownBy(() -> decode(EventKind.ROUTING_METRIC, "{\"ts\": 1, \"dq_score\": \"high\"}"))
                .hasMessage("dq_score was 'high' but it must be a number");
        assertThatThrownBy(() -> decode(EventKind.GIT, "{\"ts\": 1, \"repo\": {\"name\": \"x\"}}"))
                .hasMessage("repo was an object but it must be text");
        assertThatThrownBy(() -> decode(EventKind.GIT, "{\"ts\": 1} trailing"))
                .hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> decode(EventKind.GIT, "\"just text\""))
                .hasMessage("not a JSON object but text");
    }

    @Test
    void appliesTheBuiltInAliasesAndLetsTheCanonicalKeyWin() throws Exception {
        RoutingMetricEvent routing = (RoutingMetricEvent) decode(EventKind.ROUTING_METRIC,
                "{\"ts\": 1, \"id\": \"q-13\", \"predicted\": \"sonnet\", \"actual\": \"opus\", \"dq\": 0.3,"
                        + " \"correct\": true, \"savings\": 0.02, \"query\": \"why\"}");
        assertThat(routing.queryId()).isEqualTo("q-13");
        assertThat(routing.predictedModel()).isEqualTo("sonnet");
        assertThat(routing.actualModel()).isEqualTo("opus");
        assertThat(routing.dqScore()).isEqualTo(0.3);
        assertThat(routing.accuracy()).isTrue();
        assertThat(routing.costSaved()).isEqualTo(0.02);
        assertThat(routing.queryText()).isEqualTo("why");
        assertThat(routing.id()).isEqualTo(DERIVED);

        GitEvent git = (GitEvent) decode(EventKind.GIT,
                "{\"ts\": 1, \"type\": \"merge\", \"event_type\": \"commit\", \"hash\": \"h1\", \"commit\": \"h2\"}");
        assertThat(git.eventType()).isEqualTo("commit");
        assertThat(git.commitHash()).isEqualTo("h1");
        assertThat(git.attributes()).isEqualTo(Map.of("type", "merge", "commit", "h2"));

        RecoveryEvent recovery = (RecoveryEvent) decode(EventKind.RECOVERY,
                "{\"ts\": 1, \"category\": \"permission-denied\", \"action\": \"chmod +x\", \"recovered\": 1,"
                        + " \"details\": \"hook\", \"method\": \"assisted\", \"auto\": true}");
        assertThat(recovery.errorType()).isEqualTo("permission-denied");
        assertThat(recovery.recoveryStrategy()).isEqualTo("chmod +x");
        assertThat(recovery.success()).isTrue();
        assertThat(recovery.errorDetails()).isEqualTo("hook");
        assertThat(recovery.recoveryMethod()).isEqualTo("assisted");
        assertThat(recovery.attributes()).isEqualTo(Map.of("auto", true));
    }

    @Test
    void addsAUsersOwnAliases() throws Exception {
        KeyAliases aliases = KeyAliases.builtIn().with(EventKind.TOOL_USE, "name", "tool_name");

        ToolUseEvent tool = (ToolUseEvent) new LineDecoder(EventKind.TOOL_USE, aliases)
                .decode("{\"ts\": 1, \"name\": \"Bash\"}", millis -> DERIVED);

        assertThat(tool.toolName()).isEqualTo("Bash");
        assertThatThrownBy(() -> KeyAliases.builtIn().with(EventKind.TOOL_USE, "x", "no_such_field"))
                .hasMessageContaining("no_such_field");
    }

    @Test
    void aliasesOfEnvelopeFieldsGiveTheTimeIdSessionAndSourceAndTheCanonicalKeyWins() throws Exception {
        KeyAliases aliases = KeyAliases.builtIn().withEveryKind("created_at", "ts").withEveryKind("sid", "session_id")
                .withEveryKind("uuid", "id").with(EventKind.GIT, "origin", "source");
        LineDecoder git = new LineDecoder(EventKind.GIT, aliases);
        String uuid = "0190a5b2-0000-7000-8000-0000000000aa";

        GitEvent aliased = (GitEvent) git.decode("{\"created_at\": \"2026-01-28 06:05:00\", \"sid\": \"s-1\", "
                + "\"uuid\": \"" + uuid + "\", \"origin\": \"old-hook\", \"repo\": \"app\"}", millis -> DERIVED);
        assertThat(aliased.ts()).isEqualTo(Instant.parse("2026-01-28T06:05:00Z"));
        assertThat(aliased.sessionId()).isEqualTo("s-1");
        assertThat(aliased.id()).isEqualTo(UUID.fromString(uuid));
        assertThat(aliased.source()).isEqualTo("old-hook");
        assertThat(aliased.attributes()).isEmpty();

        GitEvent canonical = (GitEvent) git.decode("{\"ts\": 1769580000, \"created_at\": \"2026-01-28 06:05:00\", "
                + "\"sid\": \"s-1\", \"session_id\": \"s-2\", \"uuid\": \"" + uuid + "\", \"id\": \"" + DERIVED
                + "\", \"source\": \"hook\", \"origin\": \"old-hook\"}", millis -> new UUID(millis, 1));
        assertThat(canonical.ts()).isEqualTo(Instant.ofEpochSecond(1769580000));
        assertThat(canonical.sessionId()).isEqualTo("s-2");
        assertThat(canonical.id()).isEqualTo(DERIVED);
        assertThat(canonical.source()).isEqualTo("hook");
        assertThat(canonical.attributes()).isEqualTo(Map.of("created_at", "2026-01-28 06:05:00", "sid", "s-1",
                "uuid", uuid, "origin", "old-hook"));

        GitEvent notAUuid = (GitEvent) git.decode("{\"created_at\": 1769580000, \"uuid\": 42}", millis -> DERIVED);
        assertThat(notAUuid.id()).as("an alias of id that holds no UUID").isEqualTo(DERIVED);
        assertThat(notAUuid.attributes()).isEqualTo(Map.of("uuid", 42L));

        assertThatThrownBy(() -> git.decode("{\"created_at\": \"yesterday\"}", millis -> DERIVED))
                .hasMessageStartingWith("created_at was 'yesterday'");
        assertThatThrownBy(() -> git.decode("{\"created_at\": \" \"}", millis -> DERIVED))
                .hasMessage("no time: neither 'ts', 'timestamp' nor 'created_at' holds a value");
        assertThat(new LineDecoder(EventKind.TOOL_USE, aliases).decode("{\"ts\": 1, \"origin\": \"x\"}",
                millis -> DERIVED).attributes()).as("an alias of one kind is no alias of another")
                .isEqualTo(Map.of("origin", "x"));
        assertThatThrownBy(() -> KeyAliases.builtIn().withEveryKind("x", "repo"))
                .hasMessageContaining("'repo'").hasMessageContaining("[ts, id, session_id, source]");
        assertThatThrownBy(() -> KeyAliases.builtIn().withEveryKind("timestamp", "ts"))
                .as("an alias that would never apply").hasMessageContaining("alias was 'timestamp'");
        assertThatThrownBy(() -> KeyAliases.builtIn().with(EventKind.GIT, "repo", "source"))
                .hasMessageContaining("alias was 'repo'");
    }

    @Test
    void keepsAUuidIdAndUnknownKeysAndNulls() throws Exception {
        UUID id = UUID.randomUUID();
        Event event = decode(EventKind.SELF_HEAL, "{\"id\": \"" + id + "\", \"ts\": 1, \"ok\": 12, \"details\": null,"
                + " \"error\": \"disk\\u0000full\"}");

        assertThat(event.id()).isEqualTo(id);
        assertThat(((SelfHealEvent) event).errorMessage()).isEqualTo("disk\uFFFDfull");
        SelfHealEvent surrogates = (SelfHealEvent) decode(EventKind.SELF_HEAL,
                "{\"ts\": 1, \"context\": \"lone \\ud800 pair \\ud83d\\ude80\"}");
        assertThat(surrogates.context()).isEqualTo("lone \uFFFD pair \uD83D\uDE80");
        assertThat(event.attributes()).containsEntry("ok", 12L).containsEntry("details", null).hasSize(2);
    }

    @Test
    void readsBackEveryLineItWrites() throws Exception {
        LineEncoder encoder = new LineEncoder();
        List<Event> events = new ArrayList<>(SampleEvents.everyKind());
        events.add(CustomEvent.builder("shapes").ts(SampleEvents.T0).attributes(SampleEvents.jsonAttributes()).build());
        for (Event event : events) {
            encoder.encode(event);
            String line = new String(encoder.drain(), StandardCharsets.UTF_8);
            assertThat(line).endsWith("\n");
            assertThat(decode(event.kind(), line.strip())).isEqualTo(event);
        }
    }

    @Test
    void derivesStableIdsFromKindContentAndOccurrence() throws Exception {
        Path file = dir.resolve("activity.jsonl");
        Files.writeString(file, "{\"ts\": 1769580019, \"activity_type\": \"x\"}\n\n"
                + "{\"ts\": 1769580019, \"activity_type\": \"x\"}\r\n{\"ts\": 1769580019, \"activity_type\": \"y\"}");
        List<UUID> ids = new ArrayList<>();
        try (JsonlReader reader = JsonlReader.open(file, new LineDecoder(EventKind.ACTIVITY, KeyAliases.builtIn()))) {
            for (JsonlReader.Line line = reader.next(); line != null; line = reader.next()) {
                ids.add(line.event().id());
            }
        }
        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
        assertThat(ids).allSatisfy(id -> assertThat(Ids.epochMillis(id)).isEqualTo(1_769_580_019_000L));

        // Resuming after the first line keeps the derived ids of the lines after it.
        try (JsonlReader reader = JsonlReader.open(file, new LineDecoder(EventKind.ACTIVITY, KeyAliases.builtIn()),
                JsonlReader.DEFAULT_MAX_LINE_BYTES, 42)) {
            assertThat(reader.next().event().id()).isEqualTo(ids.get(1));
            JsonlReader.Line last = reader.next();
            assertThat(last.event().id()).isEqualTo(ids.get(2));
            assertThat(last.terminated()).isFalse();
            assertThat(last.number()).isEqualTo(4);
        }
    }

    @Test
    void rejectsInvalidUtf8AndOverlongLinesAndGoesOn() throws Exception {
        Path file = dir.resolve("activity.jsonl");
        byte[] bad = "{\"ts\": 1, \"description\": \"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1);
        String longLine = "{\"ts\": 1, \"description\": \"" + "x".repeat(5000) + "\"}\n";
        Files.write(file, concat(bad, longLine.getBytes(StandardCharsets.UTF_8),
                "{\"ts\": 2}\n".getBytes(StandardCharsets.UTF_8)));

        List<String> outcomes = new ArrayList<>();
        try (JsonlReader reader = JsonlReader.open(file, new LineDecoder(EventKind.ACTIVITY, KeyAliases.builtIn()),
                4096, 0)) {
            for (JsonlReader.Line line = reader.next(); line != null; line = reader.next()) {
                outcomes.add(line.number() + ":" + (line.event() != null ? "event" : line.rejection()));
            }
        }
        assertThat(outcomes).containsExactly("1:not valid UTF-8", "2:line is longer than 4096 bytes", "3:event");
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
