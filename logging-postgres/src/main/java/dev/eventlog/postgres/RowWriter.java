package dev.eventlog.postgres;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.jdbc.ColumnPlan;
import dev.eventlog.jdbc.RowInserter;
import dev.eventlog.jdbc.StatementRow;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * PostgreSQL's {@link RowInserter}: inserts the rows of one kind inside the caller's transaction
 * and counts the new ones, by the fastest idempotent path {@code InsertBench} found (README,
 * Benchmarks):
 * <ul>
 *   <li>a batch of {@value #COPY_FROM_ROWS} rows or more is {@code COPY}ed into a temporary
 *       staging table ({@code ON COMMIT DELETE ROWS}, one per kind and connection), then moved
 *       with {@code INSERT … SELECT … ON CONFLICT DO NOTHING} (on the primary key, {@code id} or
 *       {@code (id, ts)}), whose update count is the
 *       number of rows added;</li>
 *   <li>a smaller batch, or any batch when the role may not create temporary tables or the
 *       connection is not pgjdbc's, goes in multi-row {@code INSERT … VALUES (…), (…) ON CONFLICT
 *       DO NOTHING} statements of up to {@value #ROWS_PER_STATEMENT} rows.</li>
 * </ul>
 * Both paths write each row through the kind's {@link ColumnPlan}: bound as parameters, or as a
 * line of {@link CopyText}. Rows go in id order so that concurrent appends of the same events
 * take their row locks in the same order and cannot deadlock. Thread-safe.
 */
final class RowWriter implements RowInserter {
    /** Rows per statement: large enough to amortise a round trip, small enough to plan quickly. */
    static final int ROWS_PER_STATEMENT = 500;

    /**
     * From this many rows, COPY through a staging table beats multi-row VALUES; below it the
     * staging table's extra round trips and its truncation at commit are not earned back.
     */
    static final int COPY_FROM_ROWS = 1_000;

    private static final Comparator<Event> BY_ID = Comparator.comparing(Event::id);
    private static final int COPY_CHUNK_CHARS = 64 * 1024;

    private final PostgresDialect dialect;
    private final boolean staging;
    private final String stageSuffix;

    /**
     * @param staging whether the COPY path may be used: the role may create temporary tables and
     *     connections unwrap to pgjdbc's
     * @param stageSuffix distinguishes the staging tables of different schema versions that may
     *     meet on one pooled connection
     */
    RowWriter(PostgresDialect dialect, boolean staging, String stageSuffix) {
        this.dialect = dialect;
        this.staging = staging;
        this.stageSuffix = stageSuffix;
    }

    @Override
    public int insert(Connection connection, EventKind kind, List<Event> events) throws SQLException {
        List<Event> rows = new ArrayList<>(events);
        rows.sort(BY_ID);
        ColumnPlan plan = ColumnPlan.of(kind);
        if (staging && rows.size() >= COPY_FROM_ROWS) {
            return copyInsert(connection, plan, rows);
        }
        return insertValues(connection, plan, rows);
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
        copy(connection, "COPY " + stage + " (" + columns + ") FROM STDIN", plan, rows);
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate("INSERT INTO " + table + " (" + columns + ") SELECT " + columns
                    + " FROM " + stage + " ON CONFLICT DO NOTHING");
        }
    }

    /** Streams {@code rows} into {@code copySql} ({@code COPY … FROM STDIN}) in text format. */
    private long copy(Connection connection, String copySql, ColumnPlan plan, List<Event> rows) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            StringBuilder text = new StringBuilder(COPY_CHUNK_CHARS + 16 * 1024);
            CopyText line = new CopyText(text);
            for (Event event : rows) {
                line.start();
                plan.write(event, dialect, line);
                line.end();
                if (text.length() >= COPY_CHUNK_CHARS) {
                    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    text.setLength(0);
                }
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            return copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }
}
