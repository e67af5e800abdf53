package dev.eventlog.sqlite;

import dev.eventlog.EventKind;
import dev.eventlog.internal.json.Json;
import dev.eventlog.jdbc.ColumnPlan;
import dev.eventlog.jdbc.SqlDialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * SQLite's spelling: ids as TEXT, times as INTEGER epoch milliseconds, JSON as TEXT, bare table
 * names, {@code INSERT OR IGNORE}. Stateless and thread-safe.
 */
final class SqliteDialect implements SqlDialect {
    static final SqliteDialect INSTANCE = new SqliteDialect();

    private SqliteDialect() {
    }

    @Override
    public String table(EventKind kind) {
        return kind.table();
    }

    @Override
    public String relation(String name) {
        return name;
    }

    @Override
    public String parameter(ColumnPlan.ColumnType type) {
        return "?";
    }

    @Override
    public String insertIgnoringKnownIds(String table, String columns, String values) {
        return "INSERT OR IGNORE INTO " + table + " (" + columns + ") VALUES " + values;
    }

    @Override
    public String json(Object value) {
        return Json.write(value);
    }

    @Override
    public void bindId(PreparedStatement statement, int index, UUID id) throws SQLException {
        statement.setString(index, id.toString());
    }

    @Override
    public void bindTime(PreparedStatement statement, int index, Instant ts) throws SQLException {
        statement.setLong(index, ts.toEpochMilli());
    }

    @Override
    public UUID readId(ResultSet rows, int index) throws SQLException {
        return UUID.fromString(rows.getString(index));
    }

    @Override
    public Instant readTime(ResultSet rows, int index) throws SQLException {
        return Instant.ofEpochMilli(rows.getLong(index));
    }

    @Override
    public boolean rowidMarks() {
        return true;
    }

    @Override
    public String epochDay(String column) {
        return "((" + column + " - ((" + column + " % 86400000) + 86400000) % 86400000) / 86400000)";
    }
}
