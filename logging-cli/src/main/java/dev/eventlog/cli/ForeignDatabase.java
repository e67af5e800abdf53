package dev.eventlog.cli;

import dev.eventlog.ConfigurationException;
import dev.eventlog.spi.EventStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;
import org.sqlite.SQLiteConfig;

/**
 * A database older scripts wrote, named as an input of {@code eventlog import}
 * ({@code sqlite:PATH}, {@code jdbc:sqlite:PATH}, {@code jdbc:postgresql://…}), opened only to
 * read: SQLite in read-only mode, PostgreSQL in a read-only transaction with autocommit off, so its
 * rows stream through a cursor. Nothing is ever written into it.
 *
 * @param url the URL as given
 * @param sqliteFile the SQLite file, or {@code null} for another database
 */
record ForeignDatabase(String url, Path sqliteFile) {

    /** Whether {@code input} names a database rather than a file or directory. */
    static boolean isDatabase(String input) {
        return input.startsWith("sqlite:") || input.startsWith("jdbc:sqlite:") || input.startsWith("jdbc:postgresql:");
    }

    /**
     * The database {@code url} names.
     *
     * @throws ConfigurationException when it names no existing SQLite file, or no database at all
     */
    static ForeignDatabase of(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return new ForeignDatabase(url, null);
        }
        String path = url.substring(url.indexOf("sqlite:") + "sqlite:".length());
        if (path.isBlank() || path.contains("?") || !Files.isRegularFile(Path.of(path))) {
            throw new ConfigurationException("input was '" + url + "' but it must be an existing SQLite database "
                    + "file: sqlite:PATH");
        }
        return new ForeignDatabase(url, Path.of(path).toAbsolutePath().normalize());
    }

    /** The name in reports and the quarantine: the absolute file, or the URL without secrets. */
    String description() {
        return sqliteFile != null ? "sqlite:" + sqliteFile : EventStores.redact(url);
    }

    /**
     * Opens it to read.
     *
     * @throws ConfigurationException with the driver's reason when it cannot be opened
     */
    Connection open() {
        try {
            if (sqliteFile != null) {
                SQLiteConfig config = new SQLiteConfig();
                config.setReadOnly(true);
                Connection connection = config.createConnection("jdbc:sqlite:" + sqliteFile);
                try (var statement = connection.createStatement()) {
                    // Not every file is a database; the first read says so.
                    statement.executeQuery("SELECT count(*) FROM sqlite_master").close();
                } catch (SQLException e) {
                    connection.close();
                    throw e;
                }
                return connection;
            }
            Connection connection = new Driver().connect(url, new Properties());
            if (connection == null) {
                throw new ConfigurationException("input was '" + description() + "' but it must be a PostgreSQL URL: "
                        + "jdbc:postgresql://HOST:PORT/DATABASE?currentSchema=SCHEMA&user=USER");
            }
            connection.setReadOnly(true);
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            throw new ConfigurationException("input was '" + description() + "' but it cannot be read as a database: "
                    + e.getMessage());
        }
    }

    /**
     * Refuses a target that is this database: the import would write eventlog's tables into it.
     *
     * @throws ConfigurationException naming {@code option} when {@code target} is the same database
     */
    void checkNotTarget(String option, String target) {
        boolean same;
        if (sqliteFile != null && ForeignDatabase.isDatabase(target) && !target.startsWith("jdbc:postgresql:")) {
            Path other = Path.of(target.substring(target.indexOf("sqlite:") + "sqlite:".length())).toAbsolutePath()
                    .normalize();
            try {
                same = other.equals(sqliteFile) || (Files.exists(other) && Files.isSameFile(other, sqliteFile));
            } catch (IOException e) {
                same = false;
            }
        } else {
            same = target.strip().equals(url.strip());
        }
        if (same) {
            throw new ConfigurationException(option + " was '" + EventStores.redact(target) + "' but it is the database "
                    + "being imported, which is only read: import into another store");
        }
    }
}
