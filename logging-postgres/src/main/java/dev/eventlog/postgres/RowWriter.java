package dev.eventlog.postgres;

import dev.eventlog.Event;
import dev.eventlog.EventField;
import dev.eventlog.EventKind;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Inserts the rows of one kind inside the caller's transaction and counts the new ones, by the
 * fastest idempotent path {@code InsertBench} found (README, Benchmarks):
 * <ul>
 *   <li>a batch of {@value #COPY_FROM_ROWS} rows or more is {@code COPY}ed into a temporary
 *       staging table ({@code ON COMMIT DELETE ROWS}, one per kind and connection), then moved
 *       with {@code INSERT … SELECT … ON CONFLICT (id) DO NOTHING}, whose update count is the
 *       number of rows added;</li>
 *   <li>a smaller batch, or any batch when the role may not create temporary tables or the
 *       connection is not pgjdbc's, goes in multi-row {@code INSERT … VALUES (…), (…) ON CONFLICT
 *       (id) DO NOTHING} statements of up to {@value #ROWS_PER_STATEMENT} rows.</li>
 * </ul>
 * Rows go in id order so that concurrent appends of the same events take their row locks in the
 * same order and cannot deadlock. Thread-safe.
 */
final class RowWriter {
    /** Rows per statement: large enough to amortise a round trip, small enough to plan quickly. */
    static final int ROWS_PER_STATEMENT = 500;

    /**
     * From this many rows, COPY through a staging table beats multi-row VALUES; below it the
     * staging table's extra round trips and its truncation at commit are not earned back.
     */
    static final int COPY_FROM_ROWS = 1_000;

    private static final Comparator<Event> BY_ID = Comparator.comparing(Event::id);
    private static final int COPY_CHUNK_CHARS = 64 * 1024;

    private final Map<EventKind, String> tables;
    private final boolean staging;
    private final String stageSuffix;

    /**
     * @param tables each kind's qualified table name
     * @param staging whether the COPY path may be used: the role may create temporary tables and
     *     connections unwrap to pgjdbc's
     * @param stageSuffix distinguishes the staging tables of different schema versions that may
     *     meet on one pooled connection
     */
    RowWriter(Map<EventKind, String> tables, boolean staging, String stageSuffix) {
        this.tables = tables;
        this.staging = staging;
        this.stageSuffix = stageSuffix;
    }

    int insert(Connection connection, EventKind kind, List<Event> events) throws SQLException {
        List<Event> rows = new ArrayList<>(events);
        rows.sort(BY_ID);
        if (staging && rows.size() >= COPY_FROM_ROWS) {
            return copyInsert(connection, kind, rows);
        }
        return insertValues(connection, kind, rows);
    }

    private int insertValues(Connection connection, EventKind kind, List<Event> rows) throws SQLException {
        int added = 0;
        for (int start = 0; start < rows.size(); start += ROWS_PER_STATEMENT) {
            List<Event> chunk = rows.subList(start, Math.min(rows.size(), start + ROWS_PER_STATEMENT));
            try (PreparedStatement statement = connection.prepareStatement(valuesInsert(kind, chunk.size()))) {
                int index = 1;
                for (Event event : chunk) {
                    index = bind(statement, index, event);
                }
                added += statement.executeUpdate();
            }
        }
        return added;
    }

    private int copyInsert(Connection connection, EventKind kind, List<Event> rows) throws SQLException {
        String stage = "eventlog_stage_" + kind.table() + stageSuffix;
        String columns = columns(kind);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE IF NOT EXISTS " + stage + " (LIKE " + tables.get(kind)
                    + ") ON COMMIT DELETE ROWS");
        }
        copy(connection, "COPY " + stage + " (" + columns + ") FROM STDIN", rows);
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate("INSERT INTO " + tables.get(kind) + " (" + columns + ") SELECT " + columns
                    + " FROM " + stage + " ON CONFLICT (id) DO NOTHING");
        }
    }

    /** Streams {@code rows} into {@code copySql} ({@code COPY … FROM STDIN}) in text format. */
    static long copy(Connection connection, String copySql, List<Event> rows) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            StringBuilder text = new StringBuilder(COPY_CHUNK_CHARS + 16 * 1024);
            CopyText rowText = new CopyText(text);
            for (Event event : rows) {
                rowText.row(event);
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

    /** The comma-separated columns of {@code kind}'s table in table order. */
    static String columns(EventKind kind) {
        StringBuilder columns = new StringBuilder("id, ts, session_id, source, attributes");
        for (EventField field : kind.fields()) {
            columns.append(", ").append(field.name());
        }
        return columns.toString();
    }

    /** {@code INSERT … VALUES} of {@code rows} rows of {@code kind}, skipping known ids. */
    String valuesInsert(EventKind kind, int rows) {
        StringBuilder row = new StringBuilder("(?, ?, ?, ?, CAST(? AS jsonb)");
        for (EventField field : kind.fields()) {
            row.append(field.type() == EventField.Type.TEXT_LIST ? ", CAST(? AS jsonb)" : ", ?");
        }
        row.append(')');
        StringBuilder sql = new StringBuilder(64 + rows * row.length()).append("INSERT INTO ")
                .append(tables.get(kind)).append(" (").append(columns(kind)).append(") VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ").append(row);
        }
        return sql.append(" ON CONFLICT (id) DO NOTHING").toString();
    }

    /** Binds every column of {@code event} from parameter {@code index}; returns the next index. */
    static int bind(PreparedStatement statement, int index, Event event) throws SQLException {
        statement.setObject(index++, event.id());
        statement.setObject(index++, OffsetDateTime.ofInstant(event.ts(), ZoneOffset.UTC));
        statement.setString(index++, event.sessionId());
        statement.setString(index++, event.source());
        statement.setString(index++, event.attributes().isEmpty() ? "{}" : PostgresJson.write(event.attributes()));
        List<EventField> fields = event.kind().fields();
        for (int i = 0; i < fields.size(); i++) {
            Object value = event.field(i);
            switch (fields.get(i).type()) {
                case TEXT -> statement.setString(index, (String) value);
                case INTEGER -> statement.setObject(index, value, Types.BIGINT);
                case REAL -> statement.setObject(index, value, Types.DOUBLE);
                case BOOLEAN -> statement.setObject(index, value, Types.BOOLEAN);
                case TEXT_LIST -> statement.setString(index, value == null ? null : PostgresJson.write(value));
            }
            index++;
        }
        return index;
    }
}
