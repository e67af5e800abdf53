package dev.eventlog.sqlite;

import dev.eventlog.spi.EventStore;
import dev.eventlog.testkit.RowDigestsContractTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * The row digests of a real SQLite file, and the content check of an import built on them; the
 * file is changed behind the store's back by a connection of its own, as another program would.
 */
class SqliteRowDigestsTest extends RowDigestsContractTest {
    private Path file;

    @Override
    protected EventStore openStore(Path dir) {
        file = dir.resolve("events.db");
        return SqliteEventStore.open(file);
    }

    @Override
    protected String table(String table) {
        return table;
    }

    @Override
    protected void execute(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    protected void dropSilently(String table, String column, String value) throws Exception {
        execute("CREATE TRIGGER drop_" + table + " BEFORE INSERT ON " + table + " WHEN NEW." + column + " = '" + value
                + "' BEGIN SELECT RAISE(IGNORE); END");
    }
}
