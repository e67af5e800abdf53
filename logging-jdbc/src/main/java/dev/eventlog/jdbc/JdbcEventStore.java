package dev.eventlog.jdbc;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.analytics.Analytics;
import dev.eventlog.analytics.NativeAnalytics;
import dev.eventlog.analytics.NativeSessionAnalytics;
import dev.eventlog.analytics.SessionAnalytics;
import dev.eventlog.spi.CheckpointedAppends;
import dev.eventlog.spi.EventCursor;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.Expiring;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The SQL event store: the tables of the catalogue, batched idempotent inserts in one transaction,
 * streaming reads, counts, batched removal of old events ({@link Expiring}) and the analytics of
 * the changelog's views. It is composed of the parts
 * a database plugs in — a {@link SqlDialect}, a {@link ConnectionSource} and a
 * {@link RowInserter} — and binds or reads every row through the kind's {@link ColumnPlan}. The
 * SQLite and PostgreSQL modules' public stores wrap one. It keeps readers' checkpoints in the
 * changelog's {@value #CHECKPOINTS} table, each committed with the batch it describes
 * ({@link CheckpointedAppends}). Thread-safe as far as its connection source is.
 */
public final class JdbcEventStore implements EventStore, NativeAnalytics, NativeSessionAnalytics,
        CheckpointedAppends, Expiring {
    /** The changelog's table of checkpoints kept with their batches. */
    public static final String CHECKPOINTS = "eventlog_follow_checkpoints";
    private static final int FETCH_SIZE = 1_000;
    /** Rows removed per committed transaction by {@link #removeBefore}. */
    public static final int REMOVE_BATCH = 5_000;

    private final String description;
    private final SqlDialect dialect;
    private final ConnectionSource connections;
    private final RowInserter inserter;
    private final SessionSummaries summaries;
    private final AnalyticsRollup rollup;
    private volatile boolean closed;

    private JdbcEventStore(String description, SqlDialect dialect, ConnectionSource connections,
            RowInserter inserter) {
        this.description = Objects.requireNonNull(description, "description");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.connections = Objects.requireNonNull(connections, "connections");
        this.inserter = Objects.requireNonNull(inserter, "inserter");
        this.summaries = new SessionSummaries(dialect);
        this.rollup = new AnalyticsRollup(dialect);
    }

    /**
     * A store of the given parts; closing it closes {@code connections}.
     *
     * @param description how the store names itself in messages, without a password
     */
    public static JdbcEventStore of(String description, SqlDialect dialect, ConnectionSource connections,
            RowInserter inserter) {
        return new JdbcEventStore(description, dialect, connections, inserter);
    }

    /** The dialect the store was assembled with. */
    public SqlDialect dialect() {
        return dialect;
    }

    @Override
    public int append(List<? extends Event> batch) {
        ensureOpen();
        if (batch.isEmpty()) {
            return 0;
        }
        return write(batch, null, Map.of(), false);
    }

    /**
     * Whether {@link #appendLazily} commits without waiting for the disk: the dialect has such a
     * commit ({@link SqlDialect#lazyCommit()}).
     */
    public boolean lazyCommits() {
        return dialect.lazyCommit() != null;
    }

    /**
     * Appends {@code batch} as {@link #append} does, committing without waiting for the disk when
     * {@link #lazyCommits()} (see {@link dev.eventlog.spi.LazyCommits}), else as {@link #append}.
     */
    public int appendLazily(List<? extends Event> batch) {
        ensureOpen();
        if (batch.isEmpty()) {
            return 0;
        }
        return write(batch, null, Map.of(), dialect.lazyCommit() != null);
    }

    /** Returns once every commit before the call is durable (see {@link dev.eventlog.spi.LazyCommits#sync()}). */
    public void sync() {
        String durable = dialect.durableCommit();
        if (durable == null) {
            return;
        }
        inTransaction(true, "make its commits durable", connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(durable);
            }
            return null;
        });
    }

    /**
     * Appends {@code batch} and upserts or deletes the checkpoints of {@code follower} in the
     * {@value #CHECKPOINTS} table, in one transaction.
     */
    @Override
    public int appendWithCheckpoints(List<? extends Event> batch, String follower, Map<String, String> checkpoints) {
        ensureOpen();
        Objects.requireNonNull(follower, "follower");
        if (batch.isEmpty() && checkpoints.isEmpty()) {
            return 0;
        }
        return write(batch, follower, checkpoints, false);
    }

    @Override
    public Map<String, String> checkpoints(String follower) {
        Objects.requireNonNull(follower, "follower");
        return inReadTransaction("read the checkpoints of " + follower, connection -> {
            Map<String, String> values = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT file_key, checkpoint FROM "
                    + dialect.relation(CHECKPOINTS) + " WHERE follower_key = ? ORDER BY file_key")) {
                statement.setString(1, follower);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        values.put(rows.getString(1), rows.getString(2));
                    }
                }
            }
            return values;
        });
    }

    /**
     * The events, then the checkpoints (none when {@code follower} is null), in one write
     * transaction, committed without waiting for the disk when {@code lazy}.
     */
    private int write(List<? extends Event> batch, String follower, Map<String, String> checkpoints, boolean lazy) {
        Map<EventKind, List<Event>> byKind = new EnumMap<>(EventKind.class);
        for (Event event : batch) {
            byKind.computeIfAbsent(event.kind(), k -> new ArrayList<>(batch.size())).add(event);
        }
        Connection connection = null;
        int added = 0;
        try {
            connection = connections.acquire(true);
            if (lazy) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(dialect.lazyCommit());
                }
            }
            for (Map.Entry<EventKind, List<Event>> entry : byKind.entrySet()) {
                added += inserter.insert(connection, entry.getKey(), entry.getValue());
            }
            summaries.appending(connection, batch);
            rollup.appending(connection, batch);
            if (follower != null) {
                saveCheckpoints(connection, follower, checkpoints);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            // The first failure is the reason (a full disk, a lost connection); what the clean-up
            // then runs into is a consequence and rides along as suppressed.
            StoreException failure = new StoreException(description + " could not append " + batch.size()
                    + " event(s)" + (follower == null ? "" : " with their checkpoints") + ": " + e.getMessage(), e);
            rollbackQuietly(connection, failure);
            releaseAfter(connection, true, failure);
            throw failure;
        }
        releaseAfter(connection, true, null);
        return added;
    }

    private void saveCheckpoints(Connection connection, String follower, Map<String, String> checkpoints)
            throws SQLException {
        String table = dialect.relation(CHECKPOINTS);
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + table
                + " (follower_key, file_key, checkpoint) VALUES (?, ?, ?) ON CONFLICT (follower_key, file_key)"
                + " DO UPDATE SET checkpoint = excluded.checkpoint");
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM " + table + " WHERE follower_key = ? AND file_key = ?")) {
            for (Map.Entry<String, String> entry : checkpoints.entrySet()) {
                PreparedStatement statement = entry.getValue() == null ? delete : upsert;
                statement.setString(1, follower);
                statement.setString(2, entry.getKey());
                if (entry.getValue() != null) {
                    statement.setString(3, entry.getValue());
                }
                statement.executeUpdate();
            }
        }
    }

    @Override
    public Stream<Event> read(EventQuery query) {
        ensureOpen();
        return new RowCursor(query).stream();
    }

    /**
     * {@inheritDoc} The rows before {@code cut} are read in time-then-id order, {@value #REMOVE_BATCH}
     * at a time, and the archived ones among them deleted by id and time, each batch in its own
     * transaction, so writers wait at most one batch (SQLite) or never (PostgreSQL).
     */
    @Override
    public Removal removeBefore(EventKind kind, Instant cut, Archived archived) {
        ensureOpen();
        String table = dialect.table(kind);
        String first = "SELECT id, ts, session_id FROM " + table + " WHERE ts < ? ORDER BY ts, id LIMIT " + REMOVE_BATCH;
        String after = "SELECT id, ts, session_id FROM " + table + " WHERE ts < ? AND (ts > ? OR (ts = ? AND id > ?))"
                + " ORDER BY ts, id LIMIT " + REMOVE_BATCH;
        String delete = "DELETE FROM " + table + " WHERE id = ? AND ts = ?";
        long removed = 0;
        long kept = 0;
        UUID lastId = null;
        Instant lastTs = null;
        int read;
        do {
            List<UUID> ids = new ArrayList<>(REMOVE_BATCH);
            List<Instant> times = new ArrayList<>(REMOVE_BATCH);
            List<String> sessions = new ArrayList<>(REMOVE_BATCH);
            Connection connection = null;
            try {
                connection = connections.acquire(true);
                try (PreparedStatement select = connection.prepareStatement(lastId == null ? first : after)) {
                    dialect.bindTime(select, 1, cut);
                    if (lastId != null) {
                        dialect.bindTime(select, 2, lastTs);
                        dialect.bindTime(select, 3, lastTs);
                        dialect.bindId(select, 4, lastId);
                    }
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            ids.add(dialect.readId(rows, 1));
                            times.add(dialect.readTime(rows, 2));
                            sessions.add(rows.getString(3));
                        }
                    }
                }
                read = ids.size();
                int batch = 0;
                List<String> removedSessions = new ArrayList<>();
                List<Instant> removedTimes = new ArrayList<>();
                try (PreparedStatement statement = connection.prepareStatement(delete)) {
                    for (int i = 0; i < read; i++) {
                        if (archived == null || archived.contains(ids.get(i))) {
                            dialect.bindId(statement, 1, ids.get(i));
                            dialect.bindTime(statement, 2, times.get(i));
                            statement.addBatch();
                            removedSessions.add(sessions.get(i));
                            removedTimes.add(times.get(i));
                            batch++;
                        }
                    }
                    if (batch > 0) {
                        for (int count : statement.executeBatch()) {
                            removed += Math.max(count, 0);
                        }
                        // The summary of a session that lost events is recomputed at the next refresh.
                        summaries.removing(connection, removedSessions);
                        summaries.removed(connection, kind.table());
                        // So are the analytics summaries of the days that lost events.
                        rollup.removing(connection, removedTimes);
                        rollup.removed(connection, kind.table());
                    }
                }
                kept += read - batch;
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                StoreException failure = new StoreException(description + " could not remove old events of "
                        + kind.key() + ": " + e.getMessage(), e);
                rollbackQuietly(connection, failure);
                releaseAfter(connection, true, failure);
                throw failure;
            }
            releaseAfter(connection, true, null);
            if (read > 0) {
                lastId = ids.get(read - 1);
                lastTs = times.get(read - 1);
            }
        } while (read == REMOVE_BATCH);
        List<String> changes = new ArrayList<>();
        if (removed > 0) {
            changes.add("deleted " + removed + " row(s) of " + kind.table());
        }
        if (kept > 0) {
            changes.add("kept " + kept + " row(s) of " + kind.table() + " before the cut that the archive does not hold");
        }
        return new Removal(removed, changes);
    }

    @Override
    public Map<EventKind, Long> count(EventQuery query) {
        return inReadTransaction("count events", connection -> {
            Map<EventKind, Long> counts = new EnumMap<>(EventKind.class);
            for (EventKind kind : query.orderedKinds()) {
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(*) FROM " + dialect.table(kind) + where(query))) {
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
     * The analytics of the events in {@code [from, until)}: the per-day summaries of the store's
     * changelog are brought up to date first ({@link #refreshAnalytics()}), then the whole UTC days
     * of the range are read from them and its partial days at the edges asked of the
     * {@code analytics_*_view} views, in one read transaction.
     *
     * @throws StoreException when the summaries or the views cannot be read
     */
    @Override
    public Analytics analytics(Instant from, Instant until) {
        refreshAnalytics();
        return inReadTransaction("compute analytics", connection -> rollup.answer(connection, from, until));
    }

    /**
     * Brings the per-day analytics summaries ({@code analytics_day_*}) up to date in one write
     * transaction: recomputes, from their events, the UTC days appended to or removed from since the
     * last refresh. Every {@link #analytics} does it first; {@code eventlog maintain} does it ahead.
     *
     * @return how many days were recomputed
     * @throws StoreException when the summaries cannot be written
     */
    public int refreshAnalytics() {
        return inTransaction(true, "compute analytics (bringing the day summaries up to date)", rollup::refresh);
    }

    /**
     * The session questions, asked of the {@code session_summary} table of the store's changelog
     * (brought up to date first, on the write connection) and of its coordinator table, each in one
     * read transaction.
     */
    @Override
    public SqlSessionAnalytics sessionAnalytics() {
        SqlSessionAnalytics.Reads reads = new SqlSessionAnalytics.Reads() {
            @Override
            public <T> T inReadTransaction(String what, SqlSessionAnalytics.Work<T> work) {
                return JdbcEventStore.this.inTransaction(false, what, work::apply);
            }

            @Override
            public <T> T inWriteTransaction(String what, SqlSessionAnalytics.Work<T> work) {
                return JdbcEventStore.this.inTransaction(true, what, work::apply);
            }
        };
        return new SqlSessionAnalytics(reads, dialect);
    }

    /** Work done on a read connection. */
    @FunctionalInterface
    private interface ReadWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    private <T> T inReadTransaction(String what, ReadWork<T> work) {
        return inTransaction(false, what, work);
    }

    /**
     * Runs {@code work} in one transaction on a read or the write connection and releases it.
     *
     * @param what what the work does, for the failure message ("count events")
     * @throws StoreException when the work fails with a {@link SQLException}
     */
    private <T> T inTransaction(boolean write, String what, ReadWork<T> work) {
        ensureOpen();
        Connection connection = null;
        T result;
        try {
            connection = connections.acquire(write);
            result = work.apply(connection);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            RuntimeException failure = e instanceof RuntimeException unchecked ? unchecked
                    : new StoreException(description + " could not " + what + ": " + e.getMessage(), e);
            rollbackQuietly(connection, failure);
            releaseAfter(connection, write, failure);
            throw failure;
        }
        releaseAfter(connection, write, null);
        return result;
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
            dialect.bindTime(statement, index++, query.from());
        }
        if (query.until() != null) {
            dialect.bindTime(statement, index, query.until());
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreException(description + " is closed");
        }
    }

    /** Closes the store and its connection source; later calls throw. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connections.close();
        } catch (SQLException e) {
            throw new StoreException(description + " could not close: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    private static void rollbackQuietly(Connection connection, Throwable failure) {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    /**
     * Gives {@code connection} back. When the work already failed ({@code failure} not null) a
     * failure to release is added to it as suppressed, never thrown in its place; otherwise it is
     * thrown.
     */
    private void releaseAfter(Connection connection, boolean write, Throwable failure) {
        if (connection == null) {
            return;
        }
        try {
            connections.release(connection, write);
        } catch (SQLException | RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
                return;
            }
            throw new StoreException(description + " could not release a connection: " + e.getMessage(), e);
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
                            connection = connections.acquire(false);
                        }
                        statement = connection.prepareStatement("SELECT " + ColumnPlan.of(kind).columnList()
                                + " FROM " + dialect.table(kind)
                                + where(query) + " ORDER BY ts, id");
                        statement.setFetchSize(FETCH_SIZE);
                        bindRange(statement, query);
                        rows = statement.executeQuery();
                    }
                    if (rows.next()) {
                        return ColumnPlan.of(kind).read(rows, dialect);
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
                StoreException failure = new StoreException(description + " could not end a read: "
                        + e.getMessage(), e);
                rollbackQuietly(toRelease, failure);
                releaseAfter(toRelease, false, failure);
                throw failure;
            } finally {
                rows = null;
                statement = null;
            }
            releaseAfter(toRelease, false, null);
        }
    }
}
