package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.GitEvent;
import dev.eventlog.RoutingMetricEvent;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.spi.StoreOptions;
import dev.eventlog.testkit.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eventlog import} of databases older scripts wrote: a SQLite file with a table per kind and
 * a PostgreSQL schema with an {@code actions} table, built here by SQL in the old layout (times as
 * TEXT in several forms, booleans as INTEGER 0/1, extra columns, NULLs, rows that are not events).
 */
class ImportDatabaseCommandTest {
    @RegisterExtension
    static final TestDatabase POSTGRES = new TestDatabase();

    @TempDir
    Path dir;

    /** The old routing table: an INTEGER key, a TEXT time, an INTEGER boolean, columns no kind has. */
    private static final String[] OLD_SQLITE = {
        "CREATE TABLE routing_metrics_events (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp TEXT NOT NULL, "
            + "query_id TEXT, predicted_model TEXT, actual_model TEXT, dq_score REAL, complexity REAL, "
            + "accuracy INTEGER, cost_saved REAL, reasoning TEXT, query_text TEXT, host TEXT, schema_version INTEGER)",
        "INSERT INTO routing_metrics_events VALUES (1, '2026-01-28T06:00:43Z', 'q-1', 'opus', 'opus', 0.86, 0.103, 1, "
            + "0.0301, 'moderate', 'how do I fix the build', 'ci-1', 3)",
        "INSERT INTO routing_metrics_events VALUES (2, '2026-01-28 06:05:00', 'q-2', 'haiku', 'sonnet', 0.25, 0.5, 0, "
            + "0.0, 'it''s hard', 'why; DROP TABLE x', 'ci-1', 3)",
        "INSERT INTO routing_metrics_events VALUES (3, '1769580064', 'q-3', 'sonnet', 'sonnet', 0.5, 0.2, 1, 0.01, "
            + "NULL, NULL, NULL, 3)",
        "INSERT INTO routing_metrics_events VALUES (4, '1769580070123', 'q-4', 'opus', 'haiku', 0.1, 0.9, 0, -0.02, "
            + "'ünïcode ✓', 'x', 'ci-2', 2)",
        "INSERT INTO routing_metrics_events VALUES (5, '2026-01-28T07:00:00+0100', 'q-5', 'haiku', 'haiku', 1.0, "
            + "0.0, 1, 0.5, NULL, NULL, NULL, NULL)",
        // NULL-heavy: only the time and the key.
        "INSERT INTO routing_metrics_events (id, timestamp) VALUES (6, '2026-01-28T08:00:00.250Z')",
        // Not events: a time that is no time, a boolean that is no boolean.
        "INSERT INTO routing_metrics_events VALUES (7, 'yesterday', 'q-7', 'opus', 'opus', 0.5, 0.5, 1, 0.0, NULL, "
            + "NULL, NULL, 3)",
        "INSERT INTO routing_metrics_events VALUES (8, '2026-01-28T09:00:00Z', 'q-8', 'opus', 'opus', 0.5, 0.5, 2, "
            + "0.0, NULL, NULL, NULL, 3)",
        // Old key names, a table name no kind has, lists as JSON text, a rowid table without a key.
        "CREATE TABLE legacy_git (ts INTEGER, repository TEXT, hash TEXT, type TEXT, files INTEGER, user TEXT)",
        "INSERT INTO legacy_git VALUES (1769580000, 'app', 'abc123', 'commit', 3, 'dev')",
        "INSERT INTO legacy_git VALUES (1769580100, 'app', 'def456', 'push', NULL, 'dev')",
        "INSERT INTO legacy_git VALUES (1769580100, 'app', 'def456', 'push', NULL, 'dev')",
        "CREATE TABLE tool_usage (ts TEXT, tool TEXT, success INTEGER, exit_code INTEGER, duration_ms INTEGER, "
            + "file_paths TEXT, project_path TEXT, blob_col BLOB)",
        "INSERT INTO tool_usage VALUES ('2026-01-28T06:01:11Z', 'Edit', 1, 0, 120, '[\"src/a.py\", \"src/b.py\"]', "
            + "'/home/dev/app', NULL)",
        "INSERT INTO tool_usage VALUES ('2026-01-28T06:02:11Z', 'Bash', 0, 2, 50, NULL, NULL, x'00ff10')",
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)",
        "INSERT INTO settings VALUES ('theme', 'dark')",
    };

    @Test
    void anOldLayoutSqliteDatabaseImportsByTheLineRulesAndASecondImportAddsNothing() throws Exception {
        Path old = oldSqlite();
        byte[] before = Files.readAllBytes(old);
        String target = "sqlite:" + dir.resolve("events.db");
        Path quarantine = dir.resolve("rejected.jsonl");

        Cli.Result first = Cli.run("import", "--to", target, "--json", "--quarantine", quarantine.toString(),
                "--table", "legacy_git=git", "sqlite:" + old);

        assertThat(first.exitCode()).as(first.err()).isEqualTo(1);
        JsonNode report = first.json();
        assertThat(report.at("/kinds/routing_metric/read").asLong()).isEqualTo(8);
        assertThat(report.at("/kinds/routing_metric/imported").asLong()).isEqualTo(6);
        assertThat(report.at("/kinds/routing_metric/rejected").asLong()).isEqualTo(2);
        assertThat(report.at("/kinds/git/imported").asLong()).isEqualTo(3);
        assertThat(report.at("/kinds/tool_use/read").asLong()).isEqualTo(2);
        assertThat(report.at("/kinds/tool_use/imported").asLong()).isEqualTo(1);
        assertThat(report.at("/kinds/tool_use/rejected").asLong()).isEqualTo(1);
        assertThat(report.at("/rows_after/routing_metrics_events").asLong()).isEqualTo(6);
        assertThat(report.at("/content_check/identical").asLong()).isEqualTo(10);
        assertThat(report.at("/content_check/ok").asBoolean()).isTrue();
        assertThat(report.at("/notes").toString()).contains("table routing_metrics_events read as routing_metric (by its name)",
                "table legacy_git read as git (as told)", "table tool_usage read as tool_use (by its name)",
                "skipped, no kind for their name: settings");
        assertThat(first.reason()).isEqualTo("eventlog import: 3 rejected row(s), written to " + quarantine
                + " (exit code 1)");

        List<JsonNode> rejected = Files.readAllLines(quarantine).stream().map(ImportDatabaseCommandTest::json).toList();
        assertThat(rejected).hasSize(3);
        assertThat(rejected.get(0).get("table").asText()).isEqualTo("routing_metrics_events");
        assertThat(rejected.get(0).get("row").asText()).isEqualTo("rowid 7");
        assertThat(rejected.get(0).get("database").asText()).isEqualTo("sqlite:" + old);
        assertThat(rejected.get(0).get("reason").asText()).contains("timestamp was 'yesterday'");
        assertThat(json(rejected.get(0).get("text").asText()).get("query_id").asText()).isEqualTo("q-7");
        assertThat(rejected.get(1).get("row").asText()).isEqualTo("rowid 8");
        assertThat(rejected.get(1).get("reason").asText()).isEqualTo("accuracy was '2' but it must be a boolean");
        assertThat(rejected.get(2).get("table").asText()).isEqualTo("tool_usage");
        assertThat(rejected.get(2).get("reason").asText()).contains("column 'blob_col' holds binary data (3 bytes)");

        try (EventStore store = EventStores.open(target, StoreOptions.READ)) {
            List<RoutingMetricEvent> routing = read(store, EventKind.ROUTING_METRIC, RoutingMetricEvent.class);
            assertThat(routing).extracting(e -> e.ts().toString()).containsExactly("2026-01-28T06:00:00Z",
                    "2026-01-28T06:00:43Z", "2026-01-28T06:01:04Z", "2026-01-28T06:01:10.123Z",
                    "2026-01-28T06:05:00Z", "2026-01-28T08:00:00.250Z");
            assertThat(routing).extracting(RoutingMetricEvent::queryId).containsExactly("q-5", "q-1", "q-3", "q-4",
                    "q-2", "6");
            RoutingMetricEvent q1 = routing.get(1);
            assertThat(q1.queryId()).isEqualTo("q-1");
            assertThat(q1.accuracy()).isTrue();
            assertThat(q1.dqScore()).isEqualTo(0.86);
            assertThat(q1.attributes()).containsOnlyKeys("host", "schema_version", "id").containsEntry("host", "ci-1");
            assertThat(number(q1.attributes().get("schema_version"))).isEqualTo(3);
            assertThat(number(q1.attributes().get("id"))).as("the key column, kept").isEqualTo(1);
            RoutingMetricEvent q2 = routing.get(4);
            assertThat(q2.accuracy()).isFalse();
            assertThat(q2.reasoning()).isEqualTo("it's hard");
            assertThat(q2.queryText()).isEqualTo("why; DROP TABLE x");
            assertThat(routing.get(3).reasoning()).isEqualTo("ünïcode ✓");
            assertThat(routing.get(3).costSaved()).isEqualTo(-0.02);
            RoutingMetricEvent nulls = routing.get(5);
            assertThat(nulls.queryId()).as("the id column, by the routing kind's id alias").isEqualTo("6");
            assertThat(nulls.predictedModel()).isNull();
            assertThat(nulls.accuracy()).isNull();
            assertThat(nulls.actualModel()).isNull();
            assertThat(nulls.dqScore()).isNull();
            assertThat(nulls.attributes()).isEmpty();

            List<GitEvent> git = read(store, EventKind.GIT, GitEvent.class);
            assertThat(git).extracting(GitEvent::repo, GitEvent::commitHash, GitEvent::eventType, GitEvent::author)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("app", "abc123", "commit", "dev"),
                            org.assertj.core.groups.Tuple.tuple("app", "def456", "push", "dev"),
                            org.assertj.core.groups.Tuple.tuple("app", "def456", "push", "dev"));
            assertThat(git.get(0).filesChanged()).isEqualTo(3L);
            assertThat(git.get(1).id()).as("two identical rows stay two events").isNotEqualTo(git.get(2).id());

            ToolUseEvent edit = read(store, EventKind.TOOL_USE, ToolUseEvent.class).get(0);
            assertThat(edit.toolName()).isEqualTo("Edit");
            assertThat(edit.success()).isTrue();
            assertThat(edit.filePaths()).containsExactly("src/a.py", "src/b.py");
        }

        Cli.Result second = Cli.run("import", "--to", target, "--json", "--quarantine", quarantine.toString(),
                "--table", "legacy_git=git", "sqlite:" + old);
        assertThat(second.json().at("/totals/imported").asLong()).isZero();
        assertThat(second.json().at("/totals/already_present").asLong()).isEqualTo(10);
        assertThat(second.json().at("/content_check/identical").asLong()).isEqualTo(10);
        assertThat(Files.readAllBytes(old)).as("the old database is never written").isEqualTo(before);
    }

    @Test
    void eachRowGetsTheEventItsJsonLineWouldSoVerifyFindsTheImportIdenticalToTheLines() throws Exception {
        Path old = oldSqlite();
        String target = "sqlite:" + dir.resolve("events.db");
        Cli.run("import", "--to", target, "--quarantine", dir.resolve("q.jsonl").toString(), "sqlite:" + old);
        // The good rows of routing_metrics_events as an older script would have logged them to a file.
        Path lines = Files.createDirectories(dir.resolve("lines"));
        Files.write(lines.resolve("routing-metrics.jsonl"), List.of(
                "{\"id\":1,\"timestamp\":\"2026-01-28T06:00:43Z\",\"query_id\":\"q-1\",\"predicted_model\":\"opus\","
                    + "\"actual_model\":\"opus\",\"dq_score\":0.86,\"complexity\":0.103,\"accuracy\":1,"
                    + "\"cost_saved\":0.0301,\"reasoning\":\"moderate\",\"query_text\":\"how do I fix the build\","
                    + "\"host\":\"ci-1\",\"schema_version\":3}",
                "{\"id\":2,\"timestamp\":\"2026-01-28 06:05:00\",\"query_id\":\"q-2\",\"predicted_model\":\"haiku\","
                    + "\"actual_model\":\"sonnet\",\"dq_score\":0.25,\"complexity\":0.5,\"accuracy\":0,"
                    + "\"cost_saved\":0.0,\"reasoning\":\"it's hard\",\"query_text\":\"why; DROP TABLE x\","
                    + "\"host\":\"ci-1\",\"schema_version\":3}",
                "{\"id\":3,\"timestamp\":\"1769580064\",\"query_id\":\"q-3\",\"predicted_model\":\"sonnet\","
                    + "\"actual_model\":\"sonnet\",\"dq_score\":0.5,\"complexity\":0.2,\"accuracy\":1,"
                    + "\"cost_saved\":0.01,\"schema_version\":3}",
                "{\"id\":4,\"timestamp\":\"1769580070123\",\"query_id\":\"q-4\",\"predicted_model\":\"opus\","
                    + "\"actual_model\":\"haiku\",\"dq_score\":0.1,\"complexity\":0.9,\"accuracy\":0,"
                    + "\"cost_saved\":-0.02,\"reasoning\":\"ünïcode ✓\",\"query_text\":\"x\",\"host\":\"ci-2\","
                    + "\"schema_version\":2}",
                "{\"id\":5,\"timestamp\":\"2026-01-28T07:00:00+0100\",\"query_id\":\"q-5\",\"predicted_model\":\"haiku\","
                    + "\"actual_model\":\"haiku\",\"dq_score\":1.0,\"complexity\":0.0,\"accuracy\":1,"
                    + "\"cost_saved\":0.5}",
                "{\"id\":6,\"timestamp\":\"2026-01-28T08:00:00.250Z\"}"));
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("events.db"));
                Statement statement = sqlite.createStatement()) {
            // Only the routing kind is compared: the other tables have no lines here.
            statement.execute("DELETE FROM git_events");
            statement.execute("DELETE FROM tool_events");
        }

        Cli.Result verify = Cli.run("verify", "jsonl:" + lines, target);

        assertThat(verify.exitCode()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("result: identical");
    }

    @Test
    void aPostgresqlActionsTableImportsAsToolUsesWithAMapFileAndASecondImportAddsNothing() throws Exception {
        String schema = POSTGRES.newSchema();
        POSTGRES.execute(
                "CREATE TABLE " + schema + ".actions (action_id bigserial PRIMARY KEY, ts timestamptz NOT NULL, "
                    + "cmd text NOT NULL, ok boolean, exit_code integer, duration_ms bigint, files jsonb, "
                    + "project_path text, cost numeric(10,4), payload bytea)",
                "INSERT INTO " + schema + ".actions (ts, cmd, ok, exit_code, duration_ms, files, project_path, cost) "
                    + "VALUES ('2026-01-28 06:01:11+00', 'Edit', true, 0, 120, '[\"src/a.py\"]', '/home/dev/app', 0.0125)",
                "INSERT INTO " + schema + ".actions (ts, cmd, ok, exit_code, duration_ms) "
                    + "VALUES ('2026-01-28 08:02:11+02', 'Bash', false, 2, 50)",
                "INSERT INTO " + schema + ".actions (ts, cmd) VALUES ('2026-01-28 06:03:00+00', 'Read')",
                "INSERT INTO " + schema + ".actions (ts, cmd, ok, payload) "
                    + "VALUES ('2026-01-28 06:04:00+00', 'Write', true, '\\x0001')",
                "CREATE TABLE " + schema + ".users (name text)");
        Path map = dir.resolve("aliases.json");
        Files.writeString(map, "{\"tool_use\": {\"cmd\": \"tool_name\", \"ok\": \"success\", "
                + "\"files\": \"file_paths\"}}");
        String source = POSTGRES.url(schema);
        String target = "sqlite:" + dir.resolve("events.db");
        Path quarantine = dir.resolve("rejected.jsonl");

        Cli.Result first = Cli.run("import", "--to", target, "--json", "--map", map.toString(), "--quarantine",
                quarantine.toString(), source);

        assertThat(first.exitCode()).as(first.err() + first.out()).isEqualTo(1);
        JsonNode report = first.json();
        assertThat(report.at("/kinds/tool_use/read").asLong()).isEqualTo(4);
        assertThat(report.at("/kinds/tool_use/imported").asLong()).isEqualTo(3);
        assertThat(report.at("/kinds/tool_use/rejected").asLong()).isEqualTo(1);
        assertThat(report.at("/content_check/identical").asLong()).isEqualTo(3);
        assertThat(report.at("/notes").toString()).contains("table actions read as tool_use (by its name)",
                "skipped, no kind for their name: users");
        List<JsonNode> rejected = Files.readAllLines(quarantine).stream().map(ImportDatabaseCommandTest::json).toList();
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0).get("row").asText()).isEqualTo("action_id=4");
        assertThat(rejected.get(0).get("reason").asText()).contains("column 'payload' holds binary data");

        try (EventStore store = EventStores.open(target, StoreOptions.READ)) {
            List<ToolUseEvent> tools = read(store, EventKind.TOOL_USE, ToolUseEvent.class);
            assertThat(tools).extracting(ToolUseEvent::toolName).containsExactly("Edit", "Bash", "Read");
            assertThat(tools).extracting(e -> e.ts()).containsExactly(Instant.parse("2026-01-28T06:01:11Z"),
                    Instant.parse("2026-01-28T06:02:11Z"), Instant.parse("2026-01-28T06:03:00Z"));
            assertThat(tools.get(0).success()).isTrue();
            assertThat(tools.get(0).filePaths()).containsExactly("src/a.py");
            assertThat(tools.get(0).exitCode()).isZero();
            assertThat(tools.get(0).durationMs()).isEqualTo(120L);
            assertThat(tools.get(0).attributes()).containsOnlyKeys("action_id", "cost");
            assertThat(number(tools.get(0).attributes().get("action_id"))).isEqualTo(1);
            assertThat(((Number) tools.get(0).attributes().get("cost")).doubleValue()).isEqualTo(0.0125);
            assertThat(tools.get(1).success()).isFalse();
            assertThat(tools.get(2).success()).isNull();
        }
        Cli.Result second = Cli.run("import", "--to", target, "--json", "--map", map.toString(), "--quarantine",
                quarantine.toString(), source);
        assertThat(second.json().at("/totals/imported").asLong()).isZero();
        assertThat(second.json().at("/totals/already_present").asLong()).isEqualTo(3);
        // Into PostgreSQL too, and the two targets hold the same events.
        String postgresTarget = POSTGRES.newSchemaUrl();
        Cli.Result intoPostgres = Cli.run("import", "--to", postgresTarget, "--json", "--map", map.toString(),
                "--quarantine", quarantine.toString(), source);
        assertThat(intoPostgres.json().at("/totals/imported").asLong()).isEqualTo(3);
        assertThat(Cli.run("verify", target, postgresTarget).exitCode()).isZero();
    }

    @Test
    void anEventlogStoreIsRefusedAsASourceWithOneLineNamingCopy() throws IOException {
        String store = "sqlite:" + dir.resolve("store.db");
        Cli.run("log", "git", "--event-type", "push", "--repo", "app", "--store", store);

        Cli.Result result = Cli.run("import", "--to", "sqlite:" + dir.resolve("other.db"), store);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).contains("is an eventlog store").contains("eventlog copy");
        assertThat(dir.resolve("other.db")).doesNotExist();
    }

    @Test
    void badDatabaseInputsAreRefusedWithOneLineBeforeTheTargetIsCreated() throws Exception {
        Path old = oldSqlite();
        byte[] before = Files.readAllBytes(old);
        Path notADatabase = Files.writeString(dir.resolve("notes.db"), "just some text, not SQLite\n".repeat(100));
        String target = "sqlite:" + dir.resolve("events.db");

        Map<String[], String> cases = Map.of(
                new String[] {"sqlite:" + dir.resolve("missing.db")}, "must be an existing SQLite database file",
                new String[] {"sqlite:" + notADatabase}, "cannot be read as a database",
                new String[] {"--table", "nosuch=git", "sqlite:" + old}, "--table was 'nosuch' but",
                new String[] {"--table", "legacy_git=gitt", "sqlite:" + old}, "--table was 'legacy_git=gitt' but it must be TABLE=KIND",
                new String[] {"--kind", "git", "sqlite:" + old}, "--kind was given but the input is a database",
                new String[] {"sqlite:" + old, old.toString()}, "a database must be the only input");
        for (Map.Entry<String[], String> each : cases.entrySet()) {
            String[] args = Stream.concat(Stream.of("import", "--to", target), Stream.of(each.getKey()))
                    .toArray(String[]::new);
            Cli.Result result = Cli.run(args);
            assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(result.reason()).as(String.join(" ", args)).contains(each.getValue());
            assertThat(dir.resolve("events.db")).doesNotExist();
        }
        Cli.Result intoItself = Cli.run("import", "--to", "sqlite:" + old, "sqlite:" + old);
        assertThat(intoItself.exitCode()).isEqualTo(2);
        assertThat(intoItself.reason()).contains("--to was").contains("is the database being imported");
        assertThat(Files.readAllBytes(old)).as("the old database is never written").isEqualTo(before);
    }

    private Path oldSqlite() throws SQLException {
        return oldSqlite(dir.resolve("old.db"));
    }

    private static Path oldSqlite(Path file) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            for (String sql : OLD_SQLITE) {
                statement.execute(sql);
            }
        }
        return file;
    }

    private static <T extends Event> List<T> read(EventStore store, EventKind kind, Class<T> type) {
        try (Stream<Event> events = store.read(EventQuery.of(kind))) {
            return events.sorted(Comparator.comparing(Event::ts).thenComparing(e -> e.attributes().toString()))
                    .map(type::cast).toList();
        }
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static long number(Object value) {
        assertThat(value).isInstanceOf(Number.class);
        return ((Number) value).longValue();
    }
}
