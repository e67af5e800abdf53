package dev.eventlog.postgres;

import dev.eventlog.EventKind;
import dev.eventlog.jdbc.ColumnPlan;
import dev.eventlog.jdbc.SqlDialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/**
 * PostgreSQL's spelling: {@code uuid} ids, {@code timestamptz} times, {@code jsonb} JSON columns
 * (written by {@link PostgresJson}), tables and views qualified with the store's schema,
 * {@code ON CONFLICT DO NOTHING} on the primary key. Immutable and thread-safe.
 */
final class PostgresDialect implements SqlDialect {
    private final String schema;
    private final Map<EventKind, String> tables = new EnumMap<>(EventKind.class);

    PostgresDialect(String schema) {
        this.schema = quote(schema);
        for (EventKind kind : EventKind.values()) {
            tables.put(kind, this.schema + "." + kind.table());
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String table(EventKind kind) {
        return tables.get(kind);
    }

    @Override
    public String relation(String name) {
        return schema + "." + name;
    }

    @Override
    public String parameter(ColumnPlan.ColumnType type) {
        return type == ColumnPlan.ColumnType.JSON ? "CAST(? AS jsonb)" : "?";
    }

    @Override
    public String insertIgnoringKnownIds(String table, String columns, String values) {
        return "INSERT INTO " + table + " (" + columns + ") VALUES " + values + " ON CONFLICT DO NOTHING";
    }

    @Override
    public String json(Object value) {
        return PostgresJson.write(value);
    }

    @Override
    public void bindId(PreparedStatement statement, int index, UUID id) throws SQLException {
        statement.setObject(index, id);
    }

    @Override
    public void bindTime(PreparedStatement statement, int index, Instant ts) throws SQLException {
        statement.setObject(index, OffsetDateTime.ofInstant(ts, ZoneOffset.UTC));
    }

    @Override
    public UUID readId(ResultSet rows, int index) throws SQLException {
        return rows.getObject(index, UUID.class);
    }

    @Override
    public Instant readTime(ResultSet rows, int index) throws SQLException {
        return rows.getObject(index, OffsetDateTime.class).toInstant();
    }

    /** PostgreSQL's default collation follows the locale; {@code "C"} orders by code point. */
    @Override
    public String binaryCollation() {
        return " COLLATE \"C\"";
    }

    /** A transaction-level advisory lock of the schema's session summary (not the lock of schema changes). */
    @Override
    public String refreshLock() {
        return "SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('eventlog session_summary ' || "
                + "'" + schema.replace("'", "''") + "'))";
    }

    @Override
    public String analyzeTemporary() {
        return "ANALYZE %s";
    }

    @Override
    public String lazyCommit() {
        return "SET LOCAL synchronous_commit TO off";
    }

    /**
     * A transaction id makes the transaction write a commit record, and a synchronous commit
     * flushes the log up to it, so every commit record written before it too.
     */
    @Override
    public String durableCommit() {
        return "SELECT pg_catalog.txid_current()";
    }

    @Override
    public String epochDay(String column) {
        return "((" + column + " AT TIME ZONE 'UTC')::date - DATE '1970-01-01')";
    }
}
