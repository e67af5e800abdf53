package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteConnectionsTest {
    @TempDir
    Path dir;

    /** The writer keeps a larger page cache than SQLite's default; a read connection keeps the default. */
    @Test
    void theWriterHasItsLargerPageCacheAndReadersSqlitesDefault() throws Exception {
        Path file = dir.resolve("events.db");
        SqliteEventStore.open(file).close();
        SqliteConnections connections = SqliteConnections.open("jdbc:sqlite:" + file, "sqlite:" + file,
                SqliteOptions.DEFAULT);
        try {
            Connection writer = connections.acquire(true);
            try {
                assertThat(cacheSize(writer)).isEqualTo(-SqliteConnections.WRITER_CACHE_KIB);
            } finally {
                connections.release(writer, true);
            }
            Connection reader = connections.acquire(false);
            try {
                assertThat(cacheSize(reader)).isEqualTo(-2000);
            } finally {
                connections.release(reader, false);
            }
        } finally {
            connections.close();
        }
    }

    private static long cacheSize(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("PRAGMA cache_size")) {
            result.next();
            return result.getLong(1);
        }
    }
}
