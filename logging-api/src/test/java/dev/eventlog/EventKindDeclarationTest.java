package dev.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.jsonl.LineDecoder;
import dev.eventlog.jsonl.LineEncoder;
import dev.eventlog.jsonl.RejectedLineException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Each kind is declared once, by its record; these tests pin what that declaration means to users:
 * the column names, their order and types (the SQL tables), the JSONL lines, and the way values
 * travel between a record's components and the generic field list the stores use. The golden files
 * beside this class were written by the build before the kinds were derived from the records, so a
 * declaration whose fields were swapped, renamed or retyped fails here.
 */
class EventKindDeclarationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-01-28T06:00:00.123Z");

    /** One event of every kind; within one event no two typed fields hold the same value. */
    static List<Event> distinctSamples() {
        List<Event> events = new ArrayList<>();
        events.add(GitEvent.builder().id(id(1)).ts(T0).sessionId("s-git").source("host-git")
                .attribute("hook", "post-commit").eventType("commit").repo("claude-home").branch("main")
                .commitHash("4144498cdc48").message("feat: add feature").filesChanged(3).additions(120)
                .deletions(4).author("dev1").commits(2).build());
        events.add(SelfHealEvent.builder().id(id(2)).ts(T0.plusSeconds(1)).sessionId("s-heal").source("host-heal")
                .errorPattern("git-username-typo").fixApplied("rewrote the URL").success(true).executionTimeMs(42)
                .errorMessage("permission denied").context("push").severity("high").build());
        events.add(RecoveryEvent.builder().id(id(3)).ts(T0.plusSeconds(2)).errorType("oom")
                .recoveryStrategy("restart").success(false).attempts(3).timeToRecoverMs(12_585)
                .errorDetails("killed by the kernel").recoveryMethod("assisted").build());
        events.add(RoutingMetricEvent.builder().id(id(4)).ts(T0.plusSeconds(3)).queryId("q-1")
                .predictedModel("opus").actualModel("sonnet").dqScore(0.86).complexity(0.103).accuracy(false)
                .costSaved(0.0301).reasoning("moderate complexity").queryText("how do I fix the build").build());
        events.add(SessionOutcomeEvent.builder().id(id(5)).ts(T0.plusSeconds(4)).sessionId("s-000815")
                .outcome("abandoned").quality(0.01).complexity(0.21).intent("debug").model("haiku")
                .messagesCount(86).durationMinutes(46.8).costUsd(2.2656).success(true)
                .summary("refactored the router").build());
        events.add(ToolUseEvent.builder().id(id(6)).ts(T0.plusSeconds(5)).toolName("Grep").toolType("builtin")
                .success(true).exitCode(1).durationMs(8105).filePaths(List.of("src/a.py", "src/b.py"))
                .projectPath("/home/dev/x").build());
        events.add(ActivityEvent.builder().id(id(7)).ts(T0.plusSeconds(6)).activityType("research")
                .description("read docs").projectPath("/home/dev/y").build());
        events.add(CoordinatorEvent.builder().id(id(8)).ts(T0.plusSeconds(7)).agentId("agent-7").action("spawn")
                .strategy("parallel").filePath("src/main.rs").result("ok").durationMs(1500).exitCode(2).build());
        events.add(ExpertiseRoutingEvent.builder().id(id(9)).ts(T0.plusSeconds(8)).domain("databases")
                .expertiseLevel(0.75).queryComplexity(0.4).chosenModel("opus").reasoning("deep domain")
                .queryHash("ab12").build());
        events.add(CustomEvent.builder("deploy").id(id(10)).ts(T0.plusSeconds(9)).attribute("env", "prod")
                .attribute("replicas", 3).build());
        return events;
    }

    private static UUID id(int n) {
        return UUID.fromString(String.format("0194a8c0-0000-7000-8000-%012d", n));
    }

    @Test
    void everyKindHasTheColumnsNamesAndTypesItHasAlwaysHadInTheirOrder() throws IOException {
        List<String> actual = new ArrayList<>();
        for (EventKind kind : EventKind.values()) {
            StringBuilder line = new StringBuilder(kind.key()).append(' ').append(kind.table()).append(' ')
                    .append(kind.fileName()).append(':');
            for (EventField field : kind.fields()) {
                line.append(' ').append(field.name()).append(' ').append(field.type());
            }
            actual.add(line.toString());
        }
        List<String> golden = resource("kind-columns.txt").lines().toList();

        System.out.println("kinds: " + actual.size() + ", golden: " + golden.size() + ", fields: "
                + java.util.Arrays.stream(EventKind.values()).mapToInt(k -> k.fields().size()).sum());
        assertThat(actual).as("the kinds' columns; actual:\n%s", String.join("\n", actual)).isEqualTo(golden);
    }

    @Test
    void aSampleOfEveryKindWritesTheJsonlLinesItHasAlwaysWritten() throws IOException {
        LineEncoder encoder = new LineEncoder();
        distinctSamples().forEach(encoder::encode);
        String actual = new String(encoder.drain(), StandardCharsets.UTF_8);
        String golden = resource("kind-samples.jsonl");

        System.out.println("lines: " + actual.lines().count() + ", golden lines: " + golden.lines().count());
        assertThat(actual).as("the sample lines; actual:\n%s", actual).isEqualTo(golden);
    }

    @Test
    void everyFieldCarriesTheValueOfTheComponentOfItsName() throws IOException {
        List<Event> samples = distinctSamples();
        List<String> lines = resource("kind-samples.jsonl").lines().toList();
        int checked = 0;
        for (int k = 0; k < samples.size(); k++) {
            Event event = samples.get(k);
            JsonNode line = JSON.readTree(lines.get(k));
            List<EventField> fields = event.kind().fields();
            Object[] values = event.fieldValues();
            assertThat(values).hasSize(fields.size());
            for (int i = 0; i < fields.size(); i++) {
                EventField field = fields.get(i);
                assertThat(values[i]).as("%s.%s", event.kind().key(), field.name())
                        .isInstanceOf(field.type().javaType())
                        .isEqualTo(event.field(i))
                        .isEqualTo(javaValue(field, line.get(field.name())));
                checked++;
            }
        }
        System.out.println("kinds: " + samples.size() + ", field values checked: " + checked);
        assertThat(samples).extracting(Event::kind).containsExactly(EventKind.values());
    }

    @Test
    void everyKindRoundTripsExactlyThroughItsFieldValuesAndThroughItsJsonlLine() throws RejectedLineException {
        LineEncoder encoder = new LineEncoder();
        int roundTrips = 0;
        for (Event event : distinctSamples()) {
            Event rebuilt = event.kind().create(event.envelope(), event.fieldValues());
            assertThat(rebuilt).as(event.kind().key()).isEqualTo(event).isInstanceOf(event.getClass());

            encoder.encode(event);
            String line = new String(encoder.drain(), StandardCharsets.UTF_8).strip();
            Event decoded = new LineDecoder(event.kind(), KeyAliases.builtIn()).decode(line, millis -> {
                throw new AssertionError("the line has its id");
            });
            assertThat(decoded).as(event.kind().key()).isEqualTo(event);

            Event moved = event.withEnvelope(event.envelope().withSource("elsewhere"));
            assertThat(moved.fieldValues()).isEqualTo(event.fieldValues());
            assertThat(moved.source()).isEqualTo("elsewhere");
            roundTrips += 3;
        }
        System.out.println("round trips: " + roundTrips);
    }

    @Test
    void buildingAKindFromValuesOfTheWrongTypeOrCountIsRefusedNamingTheKind() {
        Envelope envelope = Envelope.of(T0);
        Set<EventKind> refused = EnumSet.noneOf(EventKind.class);
        for (EventKind kind : EventKind.values()) {
            Object[] wrongType = new Object[kind.fields().size()];
            EventField first = kind.fields().get(0);
            wrongType[0] = first.type() == EventField.Type.TEXT ? (Object) 7L : "seven";
            assertThatThrownBy(() -> kind.create(envelope, wrongType)).as(kind.key())
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining(kind.key());
            assertThatThrownBy(() -> kind.create(envelope, new Object[kind.fields().size() + 1])).as(kind.key())
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining(kind.key());
            refused.add(kind);
        }
        System.out.println("kinds refusing wrong values: " + refused.size());
        assertThat(refused).hasSize(EventKind.values().length);
    }

    /** One byte over the limit of one text value. */
    private static final String TOO_LONG = "x".repeat((int) Envelope.MAX_TEXT_BYTES + 1);

    @Test
    void aValueTheRecordRefusesIsReportedUnderItsFieldsDeclaredName() {
        // The records' compact constructors name the fields they check; a renamed component must rename them too.
        int refused = 0;
        for (EventKind kind : EventKind.values()) {
            for (int i = 0; i < kind.fields().size(); i++) {
                EventField field = kind.fields().get(i);
                Object bad = switch (field.type()) {
                    case TEXT -> TOO_LONG;
                    case REAL -> Double.NaN;
                    case TEXT_LIST -> List.of("ok", 7L);
                    default -> null;
                };
                if (bad == null) {
                    continue;
                }
                Object[] values = new Object[kind.fields().size()];
                values[i] = bad;
                assertThatThrownBy(() -> kind.create(Envelope.of(T0), values)).as("%s.%s", kind.key(), field.name())
                        .isInstanceOf(InvalidEventException.class)
                        .hasMessageStartingWith(field.name() + " ");
                refused++;
            }
        }
        long checked = java.util.Arrays.stream(EventKind.values())
                .flatMap(kind -> kind.fields().stream())
                .filter(field -> field.type() != EventField.Type.INTEGER && field.type() != EventField.Type.BOOLEAN)
                .count();
        System.out.println("checked values refused under their field's name: " + refused + " (text, real and list fields)");
        assertThat(refused).as("every text, real and list field").isEqualTo(checked);
    }

    @Test
    void anEventOfEveryKindWithNoTypedValuesHasOnlyNulls() {
        for (EventKind kind : EventKind.values()) {
            Event empty = kind.create(Envelope.of(T0), new Object[kind.fields().size()]);
            assertThat(empty.kind()).isEqualTo(kind);
            assertThat(empty.fieldValues()).as(kind.key()).hasSize(kind.fields().size()).containsOnlyNulls();
            for (EventField field : kind.fields()) {
                assertThat(kind.indexOf(field.name())).isBetween(0, kind.fields().size() - 1);
            }
            assertThat(kind.indexOf("id")).isEqualTo(-1);
        }
    }

    private static Object javaValue(EventField field, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return switch (field.type()) {
            case TEXT -> node.textValue();
            case INTEGER -> node.longValue();
            case REAL -> node.doubleValue();
            case BOOLEAN -> node.booleanValue();
            case TEXT_LIST -> {
                List<String> list = new ArrayList<>();
                node.forEach(each -> list.add(each.textValue()));
                yield list;
            }
        };
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = EventKindDeclarationTest.class.getResourceAsStream(name)) {
            assertThat(in).as("test resource " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
