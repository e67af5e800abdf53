package dev.eventlog.postgres;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.jdbc.ColumnPlan;
import dev.eventlog.jdbc.RowInserter;
import dev.eventlog.jdbc.StatementRow;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * PostgreSQL's {@link RowInserter}: inserts the rows of one kind inside the caller's transaction
 * and counts the new ones, by the fastest idempotent path the insert benchmark found (README,
 * Benchmarks; {@code -Dbench=pg-insert}):
 * <ul>
 *   <li>a batch of {@value #COPY_FROM_ROWS} rows or more none of whose probed ids (a sample of
 *       {@value #PROBED_IDS}, first and last included) is stored — the usual case: new events,
 *       appended time after time by one writer or interleaved by several — is
 *       {@code COPY}ed in binary format straight into the table,
 *       inside a savepoint. Ids repeated within the batch are sent once (the first). Should one
 *       of its ids be stored after all (an id the probe did not look at, or one a concurrent
 *       transaction committed meanwhile), the unique index refuses the {@code COPY}
 *       ({@code 23505}); the savepoint is rolled back and the batch takes the next path, so the
 *       outcome is the same as {@code ON CONFLICT DO NOTHING};</li>
 *   <li>any other batch of {@value #COPY_FROM_ROWS} rows or more is {@code COPY}ed into a
 *       temporary staging table ({@code ON COMMIT DELETE ROWS}, one per kind and connection),
 *       then moved with {@code INSERT … SELECT … ON CONFLICT DO NOTHING} (on the primary key: {@code id},
 *       or {@code (id, ts)} in a partitioned table), whose update count
 *       is the number of rows added;</li>
 *   <li>a smaller batch, or a batch that may not be staged (the role may not create temporary
 *       tables, or the connection is not pgjdbc's) goes in multi-row {@code INSERT … VALUES (…),
 *       (…) ON CONFLICT DO NOTHING} statements of up to {@value #ROWS_PER_STATEMENT} rows.</li>
 * </ul>
 * Every path writes each row through the kind's {@link ColumnPlan}: bound as parameters, as a
 * {@link CopyBinary} tuple. Rows go in id order so that
 * concurrent appends of the same events take their row locks in the same order and cannot
 * deadlock. Thread-safe.
 */
final class RowWriter implements RowInserter {
    /** Rows per statement: large enough to amortise a round trip, small enough to plan quickly. */
    static final int ROWS_PER_STATEMENT = 500;

    /**
     * From this many rows, COPY through a staging table beats multi-row VALUES; below it the
     * staging table's extra round trips and its truncation at commit are not earned back.
     */
    static final int COPY_FROM_ROWS = 1_000;

    /** Ids of a large batch looked up before it is {@code COPY}ed straight in: see {@link #savepointAndAnyStoredOf}. */
    static final int PROBED_IDS = 33;

    private static final Comparator<Event> BY_ID = (a, b) -> a.id().compareTo(b.id());
    private static final int COPY_CHUNK_BYTES = 64 * 1024;

    /**
     * The savepoint a direct {@code COPY} is rolled back to when it cannot go in; set again (the
     * newest of the name is the one rolled back to) for each kind of a batch.
     */
    static final String SAVEPOINT = "eventlog_direct_copy";

    /** A unique violation: a row with one of the ids was committed by another transaction meanwhile. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** What {@code COPY FROM} answers on a table whose row-level security applies to the role. */
    private static final String FEATURE_NOT_SUPPORTED = "0A000";

    private final PostgresDialect dialect;
    private final boolean staging;
    private final boolean copy;
    private final String stageSuffix;
    /** The kinds whose table refused {@code COPY} into it (row-level security): they keep the staging path. */
    private final Set<EventKind> refuseCopy = ConcurrentHashMap.newKeySet();

    /**
     * @param staging whether the COPY path may be used: the role may create temporary tables and
     *     connections unwrap to pgjdbc's
     * @param copy whether connections unwrap to pgjdbc's, so that {@code COPY} can be used at all
     * @param stageSuffix distinguishes the staging tables of different schema versions that may
     *     meet on one pooled connection
     */
    RowWriter(PostgresDialect dialect, boolean staging, boolean copy, String stageSuffix) {
        this.dialect = dialect;
        this.staging = staging && copy;
        this.copy = copy;
        this.stageSuffix = stageSuffix;
    }

    @Override
    public int insert(Connection connection, EventKind kind, List<Event> events) throws SQLException {
        List<Event> rows = new ArrayList<>(events);
        rows.sort(BY_ID);
        ColumnPlan plan = ColumnPlan.of(kind);
        if (copy && rows.size() >= COPY_FROM_ROWS && !refuseCopy.contains(kind)) {
            List<Event> unique = withoutRepeatedIds(rows);
            // The savepoint is set by the probe's own round trip, and is never released: it ends
            // with the transaction, so a COPY that goes in costs no round trip besides its own.
            if (!savepointAndAnyStoredOf(connection, plan, unique)) {
                try {
                    copyBinary(connection, dialect.table(plan.kind()), plan, unique);
                    return unique.size();
                } catch (SQLException e) {
                    if (FEATURE_NOT_SUPPORTED.equals(e.getSQLState())) {
                        // Row-level security applies to this role: only INSERT may add rows.
                        refuseCopy.add(kind);
                    } else if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    // Another transaction committed one of these ids after the range was read, or
                    // the table takes no COPY: the batch goes in as one that meets stored rows.
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("ROLLBACK TO SAVEPOINT " + SAVEPOINT);
                    }
                }
            }
        }
        if (staging && rows.size() >= COPY_FROM_ROWS) {
            return copyInsert(connection, plan, rows);
        }
        return insertValues(connection, plan, rows);
    }

    /** {@code sorted} (by id) with each repeated id after its first row left out. */
    private static List<Event> withoutRepeatedIds(List<Event> sorted) {
        List<Event> unique = null;
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).id().equals(sorted.get(i - 1).id())) {
                if (unique == null) {
                    unique = new ArrayList<>(sorted.subList(0, i));
                }
            } else if (unique != null) {
                unique.add(sorted.get(i));
            }
        }
        return unique == null ? sorted : unique;
    }

    /**
     * Sets the savepoint {@value #SAVEPOINT} in the same round trip, then answers whether the
     * table holds a committed row with one of {@value #PROBED_IDS} ids spread evenly
     * over {@code rows} (sorted by id; the first and the last always among them): one probe of the
     * primary key's index per id probed, in one statement. It tells apart the batches that go
     * straight in — new events, also when several writers' id ranges interleave — from a batch
     * sent again whole (a retry after a lost answer, a spool replayed, a copy run twice), whose
     * ids are all stored. The answer only picks the path: a batch holding stored ids that the
     * probe missed makes the unique index refuse the {@code COPY}, which then takes the staging
     * path. Probing every id of the batch cost as much CPU on each side as encoding the rows.
     * The time bounds (the batch's) let a partitioned table look in the batch's partitions alone.
     */
    private boolean savepointAndAnyStoredOf(Connection connection, ColumnPlan plan, List<Event> rows)
            throws SQLException {
        int n = rows.size();
        int probed = Math.min(n, PROBED_IDS);
        UUID[] ids = new UUID[probed];
        for (int i = 0; i < probed; i++) {
            ids[i] = rows.get(probed == 1 ? 0 : (int) ((long) i * (n - 1) / (probed - 1))).id();
        }
        Instant earliest = rows.get(0).ts();
        Instant latest = earliest;
        for (Event event : rows) {
            Instant ts = event.ts();
            if (ts.isBefore(earliest)) {
                earliest = ts;
            } else if (ts.isAfter(latest)) {
                latest = ts;
            }
        }
        // Two statements, one round trip: pgjdbc sends both before it reads an answer.
        try (PreparedStatement statement = connection.prepareStatement("SAVEPOINT " + SAVEPOINT
                + "; SELECT EXISTS (SELECT 1 FROM " + dialect.table(plan.kind())
                + " WHERE id = ANY (?) AND ts BETWEEN ? AND ?)")) {
            Array array = connection.createArrayOf("uuid", ids);
            try {
                statement.setArray(1, array);
                dialect.bindTime(statement, 2, earliest);
                dialect.bindTime(statement, 3, latest);
                statement.execute();
                while (statement.getResultSet() == null) {
                    if (!statement.getMoreResults() && statement.getUpdateCount() == -1) {
                        throw new SQLException("the probe of stored ids returned no row");
                    }
                }
                try (ResultSet result = statement.getResultSet()) {
                    return result.next() && result.getBoolean(1);
                }
            } finally {
                array.free();
            }
        }
    }

    /** Streams {@code rows} into {@code relation} (the kind's table, or its staging table) in binary format. */
    private void copyBinary(Connection connection, String relation, ColumnPlan plan, List<Event> rows)
            throws SQLException {
        CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + relation
                + " (" + plan.columnList() + ") FROM STDIN (FORMAT binary)");
        try {
            int columns = plan.columns().size();
            CopyBinary out = new CopyBinary(COPY_CHUNK_BYTES + 16 * 1024);
            out.header();
            for (Event event : rows) {
                out.start(columns);
                plan.write(event, dialect, out);
                if (out.length() >= COPY_CHUNK_BYTES) {
                    in.writeToCopy(out.bytes(), 0, out.length());
                    out.clear();
                }
            }
            out.trailer();
            in.writeToCopy(out.bytes(), 0, out.length());
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private int insertValues(Connection connection, ColumnPlan plan, List<Event> rows) throws SQLException {
        int added = 0;
        for (int start = 0; start < rows.size(); start += ROWS_PER_STATEMENT) {
            List<Event> chunk = rows.subList(start, Math.min(rows.size(), start + ROWS_PER_STATEMENT));
            try (PreparedStatement statement = connection.prepareStatement(plan.insertSql(dialect, chunk.size()))) {
                StatementRow row = new StatementRow(statement, dialect);
                for (Event event : chunk) {
                    plan.write(event, dialect, row);
                }
                added += statement.executeUpdate();
            }
        }
        return added;
    }

    private int copyInsert(Connection connection, ColumnPlan plan, List<Event> rows) throws SQLException {
        String stage = "eventlog_stage_" + plan.kind().table() + stageSuffix;
        String table = dialect.table(plan.kind());
        String columns = plan.columnList();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE IF NOT EXISTS " + stage + " (LIKE " + table
                    + ") ON COMMIT DELETE ROWS");
        }
        copyBinary(connection, stage, plan, rows);
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate("INSERT INTO " + table + " (" + columns + ") SELECT " + columns
                    + " FROM " + stage + " ON CONFLICT DO NOTHING");
        }
    }
}
