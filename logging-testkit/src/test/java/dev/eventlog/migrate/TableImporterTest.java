package dev.eventlog.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventlog.ConfigurationException;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.GitEvent;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The engine under {@code eventlog import DATABASE}: table names to kinds, and reading a real PostgreSQL table. */
class TableImporterTest {
    @RegisterExtension
    static final TestDatabase POSTGRES = new TestDatabase();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyKindIsFoundByItsTableItsKeyAndItsFileNameWhateverTheCase() {
        for (EventKind kind : EventKind.values()) {
            String stem = kind.fileName().replace(".jsonl", "").replace('-', '_');
            assertThat(TableImporter.kindOfTable(kind.table())).contains(kind);
            assertThat(TableImporter.kindOfTable(kind.key().toUpperCase(Locale.ROOT))).contains(kind);
            assertThat(TableImporter.kindOfTable(stem)).as(stem).contains(kind);
        }
        assertThat(TableImporter.kindOfTable("tool_usage")).contains(EventKind.TOOL_USE);
        assertThat(TableImporter.kindOfTable("actions")).contains(EventKind.TOOL_USE);
        assertThat(TableImporter.kindOfTable("routing_metrics")).contains(EventKind.ROUTING_METRIC);
        assertThat(TableImporter.kindOfTable("settings")).isEmpty();
    }

    @Test
    void aTableWithoutPrimaryKeyIsReadWholeItsBadRowsNamedByReadOrderAndASecondRunAddsNothing()
            throws SQLException, IOException {
        String schema = POSTGRES.newSchema();
        POSTGRES.execute(
                "CREATE TABLE " + schema + ".commits (\"timestamp\" text, repository text, type text, "
                    + "insertions integer, branch varchar(40))",
                "INSERT INTO " + schema + ".commits VALUES ('2026-01-28T06:00:00Z', 'app', 'commit', 5, 'main')",
                "INSERT INTO " + schema + ".commits VALUES ('2026-01-28T06:01:00Z', 'app', 'push', NULL, NULL)",
                "INSERT INTO " + schema + ".commits VALUES (NULL, 'app', 'commit', 1, 'main')");
        Path quarantine = dir.resolve("rejected.jsonl");
        MigrationReport first;
        MigrationReport second;
        try (Connection source = readOnly(POSTGRES.url(schema));
                JsonlEventStore target = JsonlEventStore.open(dir.resolve("target"))) {
            TableImporter.Builder builder = TableImporter.builder().source(source, "old").target(target)
                    .table("COMMITS", EventKind.GIT).quarantine(quarantine).batchSize(1);
            first = builder.build().run();
            second = builder.build().run();
            List<GitEvent> events = new ArrayList<>();
            try (Stream<Event> read = target.read(EventQuery.of(EventKind.GIT))) {
                read.sorted(Comparator.comparing(Event::ts)).forEach(e -> events.add((GitEvent) e));
            }
            assertThat(events).extracting(GitEvent::eventType).containsExactly("commit", "push");
            assertThat(events.get(0).additions()).isEqualTo(5L);
            assertThat(events.get(0).branch()).isEqualTo("main");
            assertThat(events.get(1).branch()).isNull();
            assertThat(source.isReadOnly()).isTrue();
        }

        assertThat(first.kinds().get(EventKind.GIT)).isEqualTo(new KindTally(3, 2, 0, 1));
        assertThat(first.contentCheck().identical()).isEqualTo(2);
        assertThat(second.kinds().get(EventKind.GIT)).isEqualTo(new KindTally(3, 0, 2, 1));
        List<String> lines = Files.readAllLines(quarantine);
        assertThat(lines).hasSize(2);
        JsonNode rejected = JSON.readTree(lines.get(0));
        assertThat(rejected.get("table").asText()).isEqualTo("commits");
        assertThat(rejected.get("row").asText()).isEqualTo("row 3 (read order: no primary key)");
        assertThat(rejected.get("reason").asText()).isEqualTo("no time: neither 'ts' nor 'timestamp' holds a value");
        assertThat(rejected.has("file")).isFalse();
    }

    @Test
    void aTableGivenAKindThatTheDatabaseDoesNotHoldIsRefusedNamingTheTablesItHolds() throws SQLException {
        String schema = POSTGRES.newSchema();
        POSTGRES.execute("CREATE TABLE " + schema + ".actions (ts text, tool text, success boolean)");
        try (Connection source = readOnly(POSTGRES.url(schema))) {
            TableImporter.Builder builder = TableImporter.builder().source(source, "old")
                    .table("action", EventKind.TOOL_USE).quarantine(dir.resolve("q.jsonl"));

            assertThatThrownBy(builder::checkSource).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("table was 'action' but old holds no such table; it holds actions");
        }
    }

    private static Connection readOnly(String url) throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        connection.setReadOnly(true);
        connection.setAutoCommit(false);
        return connection;
    }
}
