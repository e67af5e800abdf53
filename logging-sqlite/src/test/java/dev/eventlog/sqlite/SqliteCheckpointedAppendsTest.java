package dev.eventlog.sqlite;

import dev.eventlog.spi.EventStore;
import dev.eventlog.testkit.CheckpointedAppendsContractTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints committed with their batch in a real SQLite file. */
class SqliteCheckpointedAppendsTest extends CheckpointedAppendsContractTest {
    @TempDir
    Path dir;

    private final Map<EventStore, Path> files = new ConcurrentHashMap<>();

    @Override
    protected EventStore newStore() {
        Path file = dir.resolve(UUID.randomUUID() + ".db");
        EventStore store = SqliteEventStore.open(file);
        files.put(store, file);
        return store;
    }

    @Override
    protected void refuse(EventStore store, String table, String column, String value) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + files.get(store));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TRIGGER refuse_" + table + " BEFORE INSERT ON " + table + " WHEN NEW." + column
                    + " = '" + value + "' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
        }
    }
}
