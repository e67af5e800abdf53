package dev.eventlog.bench;

import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One fresh database for one contender: a new SQLite file, or a new PostgreSQL schema that is
 * dropped afterwards. Every contender gets eventlog's tables (made by opening the eventlog store
 * once), so they all insert into the same {@code tool_events} layout with the same indexes.
 */
final class Target implements AutoCloseable {
    final String name;
    final boolean postgres;
    final Path file;
    private final String baseUrl;
    private final String schema;

    private Target(String name, boolean postgres, Path file, String baseUrl, String schema) {
        this.name = name;
        this.postgres = postgres;
        this.file = file;
        this.baseUrl = baseUrl;
        this.schema = schema;
    }

    /** A new SQLite file {@code NAME.db} in {@code dir}, with eventlog's schema. */
    static Target sqlite(Path dir, String name) {
        Target target = new Target(name, false, dir.resolve(name + ".db"), null, null);
        target.openStore().close();
        return target;
    }

    /** A new schema in the PostgreSQL database at {@code baseUrl}, with eventlog's schema. */
    static Target postgres(String baseUrl, String name) throws SQLException {
        String schema = "bench_" + name + "_" + ProcessHandle.current().pid();
        try (Connection connection = DriverManager.getConnection(baseUrl);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            statement.execute("CREATE SCHEMA " + schema);
        }
        Target target = new Target(name, true, null, baseUrl, schema);
        try {
            target.openStore().close();
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
        return target;
    }

    /** The eventlog store URL. */
    String storeUrl() {
        return postgres ? withParameter(baseUrl, "currentSchema=" + schema) : "sqlite:" + file;
    }

    /** Opens the eventlog store. */
    EventStore openStore() {
        return EventStores.open(storeUrl());
    }

    /**
     * The JDBC URL a peer uses: for SQLite the same pragmas as eventlog's store (WAL,
     * synchronous=NORMAL, a busy timeout), for PostgreSQL the same schema; {@code extra} is
     * appended for PostgreSQL (e.g. {@code stringtype=unspecified}).
     */
    String jdbcUrl(String extra) {
        if (postgres) {
            String url = withParameter(baseUrl, "currentSchema=" + schema);
            return extra == null ? url : withParameter(url, extra);
        }
        return "jdbc:sqlite:" + file + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=30000";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(null));
    }

    long count(String table) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String withParameter(String url, String parameter) {
        return url + (url.contains("?") ? "&" : "?") + parameter;
    }

    @Override
    public void close() throws SQLException {
        if (postgres) {
            try (Connection connection = DriverManager.getConnection(baseUrl);
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
