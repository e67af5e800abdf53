package dev.eventlog.sqlite;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.jdbc.ColumnPlan;
import dev.eventlog.jdbc.ConnectionSource;
import dev.eventlog.jdbc.RowInserter;
import dev.eventlog.jdbc.StatementRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inserts a batch with multi-row {@code INSERT OR IGNORE} statements sized to the kind's column
 * count — groups of about {@value #PARAMETERS_PER_INSERT} parameters (at most {@value #MAX_ROWS}
 * rows), then groups of {@value #SMALL_ROWS} rows — and the last few rows one by one in one JDBC
 * batch: each statement execution costs more than binding its rows, so a batch of thousands runs
 * at about twice the rate of one execution per row.
 *
 * <p>sqlite-jdbc hands every value to SQLite with a call of its own, and those calls cost about
 * as much as SQLite's own insert (one JSON text bound per batch and unpacked by SQLite, or the
 * values written into the SQL text, cost more again: {@code -Dbench=sqlite-insert}). So a group
 * binds only the columns some of its rows set: a column that every row of the group leaves to
 * its default (a null optional field, empty attributes) is left out of the statement, and SQLite
 * fills in the same NULL or {@code '{}'}. The statements are prepared once per kind, group size
 * and set of left-out columns on the one writer connection and kept, at most
 * {@value #SHAPES_PER_KIND} per kind (past that a group binds every column); used only under the
 * writer's lock, which makes it thread-safe.
 */
final class SqliteInserter implements RowInserter {
    /** Parameters a large group binds, at most; SQLite allows 32,766. */
    static final int PARAMETERS_PER_INSERT = 4096;
    static final int MAX_ROWS = 256;
    static final int SMALL_ROWS = 16;
    /** Statements kept per kind: three group sizes times the sets of left-out columns seen. */
    static final int SHAPES_PER_KIND = 24;

    private final Map<Shape, Prepared> prepared = new HashMap<>();
    private final Map<EventKind, Integer> shapes = new EnumMap<>(EventKind.class);

    /** What a kept statement inserts: rows of a kind, without the columns set in {@code defaulted}. */
    private record Shape(EventKind kind, int rows, long defaulted) {
    }

    /** A cached statement and the sink that binds its rows. */
    private record Prepared(PreparedStatement statement, StatementRow row, long defaulted) {
    }

    @Override
    public int insert(Connection connection, EventKind kind, List<Event> events) throws SQLException {
        ColumnPlan plan = ColumnPlan.of(kind);
        int added = 0;
        int next = 0;
        int largeRows = largeRows(plan);
        for (; events.size() - next >= largeRows; next += largeRows) {
            added += insertGroup(connection, plan, events, next, largeRows);
        }
        for (; events.size() - next >= SMALL_ROWS; next += SMALL_ROWS) {
            added += insertGroup(connection, plan, events, next, SMALL_ROWS);
        }
        if (next < events.size()) {
            List<Event> rest = events.subList(next, events.size());
            Prepared one = prepared(connection, plan, 1, defaulted(plan, rest));
            try {
                for (Event event : rest) {
                    plan.write(event, SqliteDialect.INSTANCE, one.row().restart(), one.defaulted());
                    one.statement().addBatch();
                }
                for (int count : one.statement().executeBatch()) {
                    added += count > 0 ? 1 : 0;
                }
            } catch (SQLException | RuntimeException e) {
                // The kept statement must not carry this batch's rows into the next append.
                try {
                    one.statement().clearBatch();
                } catch (SQLException clearing) {
                    e.addSuppressed(clearing);
                }
                throw e;
            }
        }
        return added;
    }

    /** Rows in a large group of {@code plan}'s kind: {@value #PARAMETERS_PER_INSERT} parameters' worth. */
    static int largeRows(ColumnPlan plan) {
        return Math.max(SMALL_ROWS, Math.min(MAX_ROWS, PARAMETERS_PER_INSERT / plan.columns().size()));
    }

    /** The columns every one of {@code events} leaves to its default. */
    private static long defaulted(ColumnPlan plan, List<Event> events) {
        long defaulted = -1L;
        for (int i = 0; i < events.size() && defaulted != 0; i++) {
            defaulted &= plan.defaultedColumns(events.get(i));
        }
        return defaulted;
    }

    private int insertGroup(Connection connection, ColumnPlan plan, List<Event> events, int from, int rows)
            throws SQLException {
        List<Event> group = events.subList(from, from + rows);
        Prepared statement = prepared(connection, plan, rows, defaulted(plan, group));
        StatementRow row = statement.row().restart();
        for (Event event : group) {
            plan.write(event, SqliteDialect.INSTANCE, row, statement.defaulted());
        }
        return statement.statement().executeUpdate();
    }

    private Prepared prepared(Connection connection, ColumnPlan plan, int rows, long defaulted) throws SQLException {
        Shape shape = new Shape(plan.kind(), rows, defaulted);
        Prepared kept = prepared.get(shape);
        if (kept != null) {
            return kept;
        }
        if (defaulted != 0 && shapes.getOrDefault(plan.kind(), 0) >= SHAPES_PER_KIND) {
            // Rows of too many different shapes: bind every column rather than keep more statements.
            return prepared(connection, plan, rows, 0L);
        }
        PreparedStatement statement = connection.prepareStatement(
                plan.insertSql(SqliteDialect.INSTANCE, rows, defaulted));
        kept = new Prepared(statement, new StatementRow(statement, SqliteDialect.INSTANCE), defaulted);
        prepared.put(shape, kept);
        shapes.merge(plan.kind(), 1, Integer::sum);
        return kept;
    }

    /**
     * Closes the kept statements, before the schema changes under them; they are prepared again on
     * the next insert. Closes every one even when one fails, and throws the first failure.
     */
    void forget() throws SQLException {
        SQLException first = null;
        for (Prepared kept : prepared.values()) {
            try {
                kept.statement().close();
            } catch (SQLException e) {
                first = ConnectionSource.keepFirst(first, e);
            }
        }
        prepared.clear();
        shapes.clear();
        if (first != null) {
            throw first;
        }
    }
}
