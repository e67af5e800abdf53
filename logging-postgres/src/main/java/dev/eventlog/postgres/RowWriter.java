package dev.eventlog.postgres;

import dev.eventlog.Event;
import dev.eventlog.EventField;
import dev.eventlog.EventKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Inserts the rows of one kind inside the caller's transaction and counts the new ones: multi-row
 * {@code INSERT … VALUES (…), (…) ON CONFLICT (id) DO NOTHING} statements of up to
 * {@value #ROWS_PER_STATEMENT} rows, whose update count is the number of rows added. Rows go in
 * id order so that concurrent appends of the same events take their locks in the same order.
 * Thread-safe.
 */
final class RowWriter {
    /** Rows per statement: large enough to amortise a round trip, small enough to plan quickly. */
    static final int ROWS_PER_STATEMENT = 500;

    private static final Comparator<Event> BY_ID = Comparator.comparing(Event::id);

    private final Map<EventKind, String> tables;

    RowWriter(Map<EventKind, String> tables) {
        this.tables = tables;
    }

    int insert(Connection connection, EventKind kind, List<Event> events) throws SQLException {
        List<Event> rows = new ArrayList<>(events);
        rows.sort(BY_ID);
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

    /** {@code INSERT … VALUES} of {@code rows} rows of {@code kind}, skipping known ids. */
    String valuesInsert(EventKind kind, int rows) {
        StringBuilder row = new StringBuilder("(?, ?, ?, ?, CAST(? AS jsonb)");
        for (EventField field : kind.fields()) {
            row.append(field.type() == EventField.Type.TEXT_LIST ? ", CAST(? AS jsonb)" : ", ?");
        }
        row.append(')');
        StringBuilder sql = new StringBuilder(64 + rows * row.length()).append("INSERT INTO ")
                .append(tables.get(kind)).append(" (id, ts, session_id, source, attributes");
        for (EventField field : kind.fields()) {
            sql.append(", ").append(field.name());
        }
        sql.append(") VALUES ");
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
