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
import java.util.List;
import java.util.Map;

/**
 * Inserts a batch with multi-row {@code INSERT OR IGNORE} statements sized to the kind's column
 * count — groups of about {@value #PARAMETERS_PER_INSERT} parameters (at most {@value #MAX_ROWS}
 * rows), then groups of {@value #SMALL_ROWS} rows — and the last few rows one by one in one JDBC
 * batch: each statement execution costs more than binding its rows, so a batch of thousands runs
 * at about twice the rate of one execution per row. The statements are prepared once per kind on
 * the one writer connection and kept; used only under the writer's lock, which makes it
 * thread-safe.
 */
final class SqliteInserter implements RowInserter {
    /** Parameters a large group binds, at most; SQLite allows 32,766. */
    static final int PARAMETERS_PER_INSERT = 4096;
    static final int MAX_ROWS = 256;
    static final int SMALL_ROWS = 16;

    private final Map<EventKind, Prepared> single = new EnumMap<>(EventKind.class);
    private final Map<EventKind, Prepared> small = new EnumMap<>(EventKind.class);
    private final Map<EventKind, Prepared> large = new EnumMap<>(EventKind.class);

    /** A cached statement and the sink that binds its rows. */
    private record Prepared(PreparedStatement statement, StatementRow row) {
    }

    @Override
    public int insert(Connection connection, EventKind kind, List<Event> events) throws SQLException {
        ColumnPlan plan = ColumnPlan.of(kind);
        int added = 0;
        int next = 0;
        int largeRows = largeRows(plan);
        if (events.size() - next >= largeRows) {
            Prepared group = prepared(large, connection, plan, largeRows);
            for (; next + largeRows <= events.size(); next += largeRows) {
                added += insertGroup(group, plan, events, next, largeRows);
            }
        }
        if (events.size() - next >= SMALL_ROWS) {
            Prepared group = prepared(small, connection, plan, SMALL_ROWS);
            for (; next + SMALL_ROWS <= events.size(); next += SMALL_ROWS) {
                added += insertGroup(group, plan, events, next, SMALL_ROWS);
            }
        }
        if (next < events.size()) {
            Prepared one = prepared(single, connection, plan, 1);
            try {
                for (Event event : events.subList(next, events.size())) {
                    plan.write(event, SqliteDialect.INSTANCE, one.row().restart());
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

    private static int insertGroup(Prepared group, ColumnPlan plan, List<Event> events, int from, int rows)
            throws SQLException {
        group.row().restart();
        for (int row = 0; row < rows; row++) {
            plan.write(events.get(from + row), SqliteDialect.INSTANCE, group.row());
        }
        return group.statement().executeUpdate();
    }

    private static Prepared prepared(Map<EventKind, Prepared> cache, Connection connection, ColumnPlan plan, int rows)
            throws SQLException {
        Prepared prepared = cache.get(plan.kind());
        if (prepared == null) {
            PreparedStatement statement = connection.prepareStatement(plan.insertSql(SqliteDialect.INSTANCE, rows));
            prepared = new Prepared(statement, new StatementRow(statement, SqliteDialect.INSTANCE));
            cache.put(plan.kind(), prepared);
        }
        return prepared;
    }

    /**
     * Closes the kept statements, before the schema changes under them; they are prepared again on
     * the next insert. Closes every one even when one fails, and throws the first failure.
     */
    void forget() throws SQLException {
        SQLException first = null;
        for (Map<EventKind, Prepared> cache : List.of(single, small, large)) {
            for (Prepared prepared : cache.values()) {
                try {
                    prepared.statement().close();
                } catch (SQLException e) {
                    first = ConnectionSource.keepFirst(first, e);
                }
            }
            cache.clear();
        }
        if (first != null) {
            throw first;
        }
    }
}
