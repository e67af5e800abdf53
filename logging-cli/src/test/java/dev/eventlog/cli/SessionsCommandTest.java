package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.postgres.PostgresEventStore;
import dev.eventlog.spi.EventStore;
import dev.eventlog.sqlite.SqliteEventStore;
import dev.eventlog.testkit.SessionFixtures;
import dev.eventlog.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SessionsCommandTest {
    @RegisterExtension
    static final TestDatabase POSTGRES = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void sessionsAllAsJsonIsTheSameObjectFromSqlitePostgresAndJsonl() {
        String sqlite = "sqlite:" + dir.resolve("events.db");
        String jsonl = "jsonl:" + dir.resolve("events");
        String postgres = POSTGRES.url(POSTGRES.newSchemaName());
        for (EventStore store : List.of(SqliteEventStore.open(dir.resolve("events.db")),
                JsonlEventStore.open(dir.resolve("events")), PostgresEventStore.open(postgres))) {
            try (store) {
                store.append(SessionFixtures.events());
            }
        }

        List<JsonNode> answers = new ArrayList<>();
        for (String url : List.of(sqlite, jsonl, postgres)) {
            Cli.Result result = Cli.run("sessions", url, "--all", "--format", "json");
            assertThat(result.exitCode()).as(result.err()).isZero();
            answers.add(result.json());
        }

        JsonNode json = answers.get(0);
        System.out.printf("sessions: %d, workflows: %d, agents: %d from each of 3 stores%n", json.get("sessions").size(),
                json.get("workflows").size(), json.get("agents").size());
        assertThat(json.fieldNames()).toIterable().containsExactly("sessions", "workflows", "agents", "quality");
        JsonNode ties = json.get("sessions").get(7);
        assertThat(ties.fieldNames()).toIterable().containsExactly("session_id", "first_ts", "last_ts", "events",
                "tool_calls", "tool_failures", "tool_success_rate", "distinct_tools", "outcome", "quality", "cost_usd",
                "model", "messages_count", "workflow", "success_score");
        assertThat(ties.get("session_id").asText()).isEqualTo("s-ties");
        assertThat(ties.get("first_ts").asText()).isEqualTo("2026-01-28T05:59:55.123Z");
        assertThat(ties.get("last_ts").asText()).isEqualTo("2026-01-28T06:00:03.723Z");
        assertThat(ties.get("tool_success_rate").asDouble()).isEqualTo(0.75);
        assertThat(ties.get("workflow").asText()).isEqualTo("Read>Bash>Edit");
        assertThat(ties.get("success_score").asDouble()).isEqualTo(72.5);
        assertThat(json.get("sessions").get(0).get("success_score").isNull()).isTrue();
        assertThat(json.get("workflows").get(0).fieldNames()).toIterable()
                .containsExactly("workflow", "sessions", "mean_success_score");
        assertThat(json.get("agents").get(1).fieldNames()).toIterable()
                .containsExactly("agent_id", "events", "actions", "mean_duration_ms", "sessions");
        assertThat(json.get("agents").get(1).get("actions").toString()).isEqualTo("{\"complete\":1,\"fail\":1,\"spawn\":2}");
        assertThat(json.get("quality").toString()).startsWith("{\"sessions\":8,\"scored\":6,\"mean\":71.95")
                .endsWith("\"median\":86.25,\"p90\":100.0,\"tiers\":{\"high\":3,\"medium\":2,\"low\":1}}");
        for (JsonNode other : answers.subList(1, 3)) {
            assertThat(other.get("sessions")).isEqualTo(json.get("sessions"));
            assertThat(other.get("agents")).isEqualTo(json.get("agents"));
            assertThat(other.get("quality").get("mean").asDouble())
                    .isCloseTo(json.get("quality").get("mean").asDouble(), within(1e-9));
            assertThat(other.get("workflows").findValuesAsText("workflow"))
                    .isEqualTo(json.get("workflows").findValuesAsText("workflow"));
        }
    }

    @Test
    void theTextFormListsTheLatestSessionsAndTheQuality() {
        String sqlite = fixtureStore();

        Cli.Result result = Cli.run("sessions", sqlite, "--top", "2");

        assertThat(result.exitCode()).as(result.err()).isZero();
        System.out.print(result.out());
        assertThat(result.out()).contains("Sessions (2 of 8, latest first)", "s-none", "s-one",
                "Read>Edit>Bash", "planner", "Quality: 8 sessions, 6 scored; mean 72.0, median 86.3, p90 100.0;"
                        + " high (>= 80) 3, medium (>= 50) 2, low (< 50) 1")
                .doesNotContain("s-mid2  ");
    }

    @Test
    void oneSessionAsJsonAndAsText() {
        String sqlite = fixtureStore();

        Cli.Result json = Cli.run("session", sqlite, "s-mid", "--format", "json");
        Cli.Result text = Cli.run("session", sqlite, "s-mid");

        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.json().get("success_score").asDouble()).isEqualTo(59.2);
        assertThat(json.json().get("workflow").asText()).isEqualTo("Read>Edit>Bash");
        assertThat(text.out()).contains("success_score      59.2 (medium)", "tool_success_rate  66.7 %");
    }

    @Test
    void anUnknownSessionIdIsABadArgument() {
        String sqlite = fixtureStore();

        Cli.Result result = Cli.run("session", sqlite, "no-such-session");

        System.out.println(result.err());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).contains("ID was 'no-such-session'", "carries that session id");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void badLimitsAndMissingStoresAreRejectedWithOneLineAndNoStoreIsCreated() {
        String sqlite = fixtureStore();
        Path missing = dir.resolve("missing.db");

        Cli.Result zero = Cli.run("sessions", sqlite, "--top", "0");
        Cli.Result both = Cli.run("sessions", sqlite, "--top", "3", "--all");
        Cli.Result absent = Cli.run("sessions", "sqlite:" + missing);
        Cli.Result absentOne = Cli.run("session", "sqlite:" + missing, "s-1");

        for (Cli.Result result : List.of(zero, both, absent, absentOne)) {
            System.out.println(result.exitCode() + " " + result.reason());
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.err()).doesNotContain("\tat ");
        }
        assertThat(zero.reason()).contains("--top was '0'");
        assertThat(both.reason()).contains("--top", "--all");
        assertThat(absent.reason()).contains("missing.db", "existing database file");
        assertThat(Files.exists(missing)).isFalse();
    }

    private String fixtureStore() {
        try (SqliteEventStore store = SqliteEventStore.open(dir.resolve("fixtures.db"))) {
            store.append(SessionFixtures.events());
        }
        return "sqlite:" + dir.resolve("fixtures.db");
    }
}
