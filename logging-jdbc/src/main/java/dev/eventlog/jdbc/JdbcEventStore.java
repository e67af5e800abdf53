package dev.eventlog.jdbc;

import dev.eventlog.internal.json.Json;
import dev.eventlog.spi.EventCursor;
import dev.eventlog.Envelope;
import dev.eventlog.Event;
import dev.eventlog.EventField;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.analytics.Analytics;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What the SQL stores share: the tables of the catalogue, batched idempotent inserts in one
 * transaction, streaming reads and counts. A subclass says how to get connections and how its
 * database spells ids, times and JSON. Thread-safe when the subclass's connection handling is.
 */
public abstract class JdbcEventStore implements EventStore {
    /** Columns every table starts with, before the typed fields. */
    protected static final List<String> ENVELOPE_COLUMNS = List.of("id", "ts", "session_id", "source", "attributes");

    private static final int FETCH_SIZE = 1_000;

    private final String description;
    private volatile boolean closed;

    /** @param description how the store names itself in messages, without a password */
    protected JdbcEventStore(String description) {
        this.description = description;
    }

    /** A connection for a write ({@code write}) or a read; returned through {@link #release}. */
    protected abstract Connection acquire(boolean write) throws SQLException;

    /** Gives back a connection from {@link #acquire}. */
    protected abstract void release(Connection connection, boolean write) throws SQLException;

    /** A prepared statement inserting one row of {@code kind}, ignoring a row whose id exists. */
    protected abstract PreparedStatement insertStatement(Connection connection, EventKind kind) throws SQLException;

    /** Whether {@link #insertStatement} statements are cached and must not be closed after use. */
    protected abstract boolean cachesStatements();

    /** Binds an event id. */
    protected abstract void setId(PreparedStatement statement, int index, UUID id) throws SQLException;

    /** Binds an event time. */
    protected abstract void setTs(PreparedStatement statement, int index, Instant ts) throws SQLException;

    /** Binds an event time as a query bound. */
    protected void setBound(PreparedStatement statement, int index, Instant ts) throws SQLException {
        setTs(statement, index, ts);
    }

    /**
     * How SQL names {@code kind}'s table; the default is the bare table name, a store that keeps
     * its tables in a named schema qualifies it.
     */
    protected String table(EventKind kind) {
        return kind.table();
    }

    /** Reads an event id. */
    protected abstract UUID getId(ResultSet rows, int index) throws SQLException;

    /** Reads an event time. */
    protected abstract Instant getTs(ResultSet rows, int index) throws SQLException;

    /**
     * Inserts {@code events} of one kind inside the open transaction of {@code connection}.
     * The default runs one batch of the prepared insert.
     *
     * @return how many rows were new
     */
    protected int insert(Connection connection, EventKind kind, List<Event> events) throws SQLException {
        PreparedStatement statement = insertStatement(connection, kind);
        try {
            for (Event event : events) {
                bindRow(statement, event);
                statement.addBatch();
            }
            int added = 0;
            for (int count : statement.executeBatch()) {
                added += count > 0 ? 1 : 0;
            }
            return added;
        } finally {
            if (!cachesStatements()) {
                statement.close();
            }
        }
    }

    /** Binds every column of {@code event} in table order, starting at parameter 1. */
    protected final void bindRow(PreparedStatement statement, Event event) throws SQLException {
        bindRow(statement, event, 0);
    }

    /**
     * Binds every column of {@code event} in table order, starting at parameter {@code offset + 1}:
     * one row of a multi-row insert.
     */
    protected final void bindRow(PreparedStatement statement, Event event, int offset) throws SQLException {
        setId(statement, offset + 1, event.id());
        setTs(statement, offset + 2, event.ts());
        statement.setString(offset + 3, event.sessionId());
        statement.setString(offset + 4, event.source());
        statement.setString(offset + 5, event.attributes().isEmpty() ? "{}" : Json.write(event.attributes()));
        List<EventField> fields = event.kind().fields();
        for (int i = 0; i < fields.size(); i++) {
            setField(statement, offset + 6 + i, fields.get(i).type(), event.field(i));
        }
    }

    private static void setField(PreparedStatement statement, int index, EventField.Type type, Object value)
            throws SQLException {
        switch (type) {
            case TEXT -> statement.setString(index, (String) value);
            case INTEGER -> {
                if (value == null) {
                    statement.setNull(index, Types.BIGINT);
                } else {
                    statement.setLong(index, (Long) value);
                }
            }
            case REAL -> {
                if (value == null) {
                    statement.setNull(index, Types.DOUBLE);
                } else {
                    statement.setDouble(index, (Double) value);
                }
            }
            case BOOLEAN -> {
                if (value == null) {
                    statement.setNull(index, Types.BOOLEAN);
                } else {
                    statement.setBoolean(index, (Boolean) value);
                }
            }
            case TEXT_LIST -> statement.setString(index, value == null ? null : Json.write(value));
        }
    }

    /** The comma-separated column list of {@code kind}'s table, envelope first. */
    protected static String columns(EventKind kind) {
        StringBuilder sql = new StringBuilder(String.join(", ", ENVELOPE_COLUMNS));
        for (EventField field : kind.fields()) {
            sql.append(", ").append(field.name());
        }
        return sql.toString();
    }

    @Override
    public int append(List<? extends Event> batch) {
        ensureOpen();
        if (batch.isEmpty()) {
            return 0;
        }
        Map<EventKind, List<Event>> byKind = new EnumMap<>(EventKind.class);
        for (Event event : batch) {
            byKind.computeIfAbsent(event.kind(), k -> new ArrayList<>(batch.size())).add(event);
        }
        Connection connection = null;
        try {
            connection = acquire(true);
            int added = 0;
            for (Map.Entry<EventKind, List<Event>> entry : byKind.entrySet()) {
                added += insert(connection, entry.getKey(), entry.getValue());
            }
            connection.commit();
            return added;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection, e);
            throw new StoreException(description + " could not append " + batch.size() + " event(s): "
                    + e.getMessage(), e);
        } finally {
            releaseQuietly(connection, true);
        }
    }

    @Override
    public Stream<Event> read(EventQuery query) {
        ensureOpen();
        return new RowCursor(query).stream();
    }

    @Override
    public Map<EventKind, Long> count(EventQuery query) {
        return inReadTransaction("count events", connection -> {
            Map<EventKind, Long> counts = new EnumMap<>(EventKind.class);
            for (EventKind kind : query.orderedKinds()) {
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(*) FROM " + table(kind) + where(query))) {
                    bindRange(statement, query);
                    try (ResultSet rows = statement.executeQuery()) {
                        rows.next();
                        counts.put(kind, rows.getLong(1));
                    }
                }
            }
            return counts;
        });
    }

    /**
     * The analytics of the events in {@code [from, until)}, asked of the {@code analytics_*_view}
     * views of the store's changelog in one read transaction. A store whose changelog creates them
     * implements {@link dev.eventlog.analytics.NativeAnalytics} with this.
     *
     * @throws StoreException when the views cannot be read
     */
    protected final Analytics analyticsFromViews(Instant from, Instant until) {
        return inReadTransaction("compute analytics",
                connection -> SqlAnalytics.compute(connection, this::setBound, this::relation, from, until));
    }

    /**
     * The session questions, asked of the {@code session_summary_view} of the store's changelog. A
     * store whose changelog creates it implements
     * {@link dev.eventlog.analytics.NativeSessionAnalytics} with this.
     *
     * @param binaryCollation what orders a text column by code point in this database (see
     *     {@link SqlSessionAnalytics})
     */
    protected final dev.eventlog.analytics.SessionAnalytics sessionAnalyticsFromViews(String binaryCollation) {
        SqlSessionAnalytics.Reads reads = new SqlSessionAnalytics.Reads() {
            @Override
            public <T> T inReadTransaction(String what, SqlSessionAnalytics.Work<T> work) {
                return JdbcEventStore.this.inReadTransaction(what, work::apply);
            }
        };
        return new SqlSessionAnalytics(reads, this::setBound, this::getTs, this::relation, binaryCollation);
    }

    /**
     * How SQL names the view or table {@code name} of the changelog; the default is the bare name,
     * a store that keeps its schema objects in a named schema qualifies it.
     */
    protected String relation(String name) {
        return name;
    }

    /** Work done on a read connection. */
    @FunctionalInterface
    protected interface ReadWork<T> {
        /** Does the work; the connection's transaction is committed afterwards. */
        T apply(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on a read connection and releases it.
     *
     * @param what what the work does, for the failure message ("count events")
     * @throws StoreException when the work fails with a {@link SQLException}
     */
    protected final <T> T inReadTransaction(String what, ReadWork<T> work) {
        ensureOpen();
        Connection connection = null;
        try {
            connection = acquire(false);
            T result = work.apply(connection);
            connection.commit();
            return result;
        } catch (SQLException e) {
            rollbackQuietly(connection, e);
            throw new StoreException(description + " could not " + what + ": " + e.getMessage(), e);
        } finally {
            releaseQuietly(connection, false);
        }
    }

    private static String where(EventQuery query) {
        if (query.from() == null && query.until() == null) {
            return "";
        }
        if (query.until() == null) {
            return " WHERE ts >= ?";
        }
        return query.from() == null ? " WHERE ts < ?" : " WHERE ts >= ? AND ts < ?";
    }

    private void bindRange(PreparedStatement statement, EventQuery query) throws SQLException {
        int index = 1;
        if (query.from() != null) {
            setBound(statement, index++, query.from());
        }
        if (query.until() != null) {
            setBound(statement, index, query.until());
        }
    }

    private Event readRow(EventKind kind, ResultSet rows) throws SQLException {
        Envelope envelope = new Envelope(getId(rows, 1), getTs(rows, 2), rows.getString(3), rows.getString(4),
                Json.readAttributes(rows.getString(5)));
        List<EventField> fields = kind.fields();
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < values.length; i++) {
            int column = 6 + i;
            values[i] = switch (fields.get(i).type()) {
                case TEXT -> rows.getString(column);
                case INTEGER -> {
                    long v = rows.getLong(column);
                    yield rows.wasNull() ? null : v;
                }
                case REAL -> {
                    double v = rows.getDouble(column);
                    yield rows.wasNull() ? null : v;
                }
                case BOOLEAN -> {
                    boolean v = rows.getBoolean(column);
                    yield rows.wasNull() ? null : v;
                }
                case TEXT_LIST -> Json.readTextList(rows.getString(column));
            };
        }
        return kind.create(envelope, values);
    }

    /** Throws when the store is closed. */
    protected final void ensureOpen() {
        if (closed) {
            throw new StoreException(description + " is closed");
        }
    }

    /** Marks the store closed; returns false when it already was. */
    protected final boolean markClosed() {
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }

    @Override
    public String describe() {
        return description;
    }

    private static void rollbackQuietly(Connection connection, Exception failure) {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private void releaseQuietly(Connection connection, boolean write) {
        if (connection != null) {
            try {
                release(connection, write);
            } catch (SQLException e) {
                throw new StoreException(description + " could not release a connection: " + e.getMessage(), e);
            }
        }
    }

    /** Streams the rows of each kind's table in turn on one read connection. */
    private final class RowCursor extends EventCursor {
        private final EventQuery query;
        private final Iterator<EventKind> kinds;
        private Connection connection;
        private PreparedStatement statement;
        private ResultSet rows;
        private EventKind kind;

        RowCursor(EventQuery query) {
            this.query = query;
            this.kinds = query.orderedKinds().iterator();
        }

        @Override
        protected Event fetch() {
            try {
                while (true) {
                    if (rows == null) {
                        if (!kinds.hasNext()) {
                            close();
                            return null;
                        }
                        kind = kinds.next();
                        if (connection == null) {
                            connection = acquire(false);
                        }
                        statement = connection.prepareStatement("SELECT " + columns(kind) + " FROM " + table(kind)
                                + where(query) + " ORDER BY ts, id");
                        statement.setFetchSize(FETCH_SIZE);
                        bindRange(statement, query);
                        rows = statement.executeQuery();
                    }
                    if (rows.next()) {
                        return readRow(kind, rows);
                    }
                    rows.close();
                    statement.close();
                    rows = null;
                }
            } catch (SQLException e) {
                StoreException failure = new StoreException(description + " could not read "
                        + (kind == null ? "events" : kind.table()) + ": " + e.getMessage(), e);
                try {
                    close();
                } catch (RuntimeException closing) {
                    failure.addSuppressed(closing);
                }
                throw failure;
            }
        }

        @Override
        protected void close() {
            if (connection == null) {
                return;
            }
            Connection toRelease = connection;
            connection = null;
            try {
                if (rows != null) {
                    rows.close();
                }
                if (statement != null) {
                    statement.close();
                }
                toRelease.commit();
            } catch (SQLException e) {
                rollbackQuietly(toRelease, e);
                throw new StoreException(description + " could not end a read: " + e.getMessage(), e);
            } finally {
                rows = null;
                statement = null;
                releaseQuietly(toRelease, false);
            }
        }
    }
}
