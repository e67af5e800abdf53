package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.EventField;
import dev.eventlog.testkit.SqlSchemaContractTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite changelog against the kinds' declarations. */
class SqliteSqlSchemaContractTest extends SqlSchemaContractTest {
    @TempDir
    Path dir;

    @Override
    protected Connection migratedDatabase() throws SQLException {
        Path file = dir.resolve("events.db");
        SqliteEventStore.open(file).close();
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    @Override
    protected String columnType(EventField.Type type) {
        return switch (type) {
            case TEXT, TEXT_LIST -> "TEXT";
            case INTEGER, BOOLEAN -> "INTEGER";
            case REAL -> "REAL";
        };
    }

    @Override
    protected List<String> envelopeColumnTypes() {
        return List.of("TEXT", "INTEGER", "TEXT", "TEXT", "TEXT");
    }

    @Test
    void aTableWhoseColumnsAreSwappedOrRetypedIsReportedNamingTableAndColumn() throws SQLException {
        List<String> differences;
        try (Connection connection = migratedDatabase(); Statement statement = connection.createStatement()) {
            statement.execute("DROP VIEW analytics_git_commits_view");
            statement.execute("DROP VIEW analytics_event_days_view");
            statement.execute("DROP VIEW git_events_view");
            statement.execute("DROP TABLE git_events");
            statement.execute("CREATE TABLE git_events (id TEXT NOT NULL PRIMARY KEY, ts INTEGER NOT NULL,"
                    + " session_id TEXT, source TEXT, attributes TEXT NOT NULL DEFAULT '{}', event_type TEXT,"
                    + " branch TEXT, repo TEXT, commit_hash TEXT, message TEXT, files_changed REAL, additions INTEGER,"
                    + " deletions INTEGER, author TEXT)");
            differences = tableDifferences(connection);
        }

        differences.forEach(System.out::println);
        assertThat(differences).containsExactly(
                "git_events column 7 is branch TEXT but the declaration has repo TEXT",
                "git_events column 8 is repo TEXT but the declaration has branch TEXT",
                "git_events column 11 (files_changed) is of type REAL but the declaration's INTEGER field is stored as INTEGER",
                "git_events column 15 is missing; the declaration has commits INTEGER");
    }
}
