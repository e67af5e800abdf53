package dev.eventlog.jdbc;

import dev.eventlog.Envelope;
import dev.eventlog.Event;
import dev.eventlog.EventField;
import dev.eventlog.EventKind;
import dev.eventlog.internal.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The columns of one kind's table and how an event's values go in and come out of them: the
 * envelope ({@code id, ts, session_id, source, attributes}) then the kind's typed fields in
 * {@link EventKind#fields()} order. This is the one place that decides which value goes in which
 * column and how attributes and text lists become JSON; every insert path — a prepared
 * statement's parameters ({@link StatementRow}) or a bulk-load line — writes rows through
 * {@link #write}. Computed once per kind; immutable and thread-safe.
 */
public final class ColumnPlan {
    /** What a column holds, as far as binding and encoding are concerned. */
    public enum ColumnType {
        /** The event id. */
        ID,
        /** The event time. */
        TIME,
        /** Text. */
        TEXT,
        /** JSON text: the attributes, or a text list. */
        JSON,
        /** A 64-bit integer. */
        INTEGER,
        /** A double. */
        REAL,
        /** A boolean. */
        BOOLEAN
    }

    /** One column: its name and what it holds. */
    public record Column(String name, ColumnType type) {
    }

    // Each kind's plan is made at its first use, not all at once: a plan reads its kind's fields, and
    // deriving every kind's (a lambda per field, the annotation proxies of CustomEvent's @FieldName) was
    // a tenth of a hook's 'eventlog log', which appends one kind. A plan's fields are final, so a plan
    // is safely published through the array; racing threads make equal plans.
    private static final ColumnPlan[] PLANS = new ColumnPlan[EventKind.values().length];

    private final EventKind kind;
    private final List<Column> columns;
    private final EventField.Type[] fieldTypes;
    private final String columnList;

    private ColumnPlan(EventKind kind) {
        this.kind = kind;
        List<Column> all = new ArrayList<>();
        all.add(new Column("id", ColumnType.ID));
        all.add(new Column("ts", ColumnType.TIME));
        all.add(new Column("session_id", ColumnType.TEXT));
        all.add(new Column("source", ColumnType.TEXT));
        all.add(new Column("attributes", ColumnType.JSON));
        List<EventField> fields = kind.fields();
        this.fieldTypes = new EventField.Type[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            fieldTypes[i] = fields.get(i).type();
            all.add(new Column(fields.get(i).name(), columnType(fieldTypes[i])));
        }
        this.columns = Collections.unmodifiableList(all);
        this.columnList = String.join(", ", all.stream().map(Column::name).toList());
    }

    /** The plan of {@code kind}'s table. */
    public static ColumnPlan of(EventKind kind) {
        ColumnPlan plan = PLANS[kind.ordinal()];
        if (plan == null) {
            plan = new ColumnPlan(kind);
            PLANS[kind.ordinal()] = plan;
        }
        return plan;
    }

    private static ColumnType columnType(EventField.Type type) {
        return switch (type) {
            case TEXT -> ColumnType.TEXT;
            case INTEGER -> ColumnType.INTEGER;
            case REAL -> ColumnType.REAL;
            case BOOLEAN -> ColumnType.BOOLEAN;
            case TEXT_LIST -> ColumnType.JSON;
        };
    }

    /** The kind whose table this is. */
    public EventKind kind() {
        return kind;
    }

    /** The columns in table order. */
    public List<Column> columns() {
        return columns;
    }

    /** The comma-separated column names in table order. */
    public String columnList() {
        return columnList;
    }

    /**
     * An insert of {@code rows} rows into this kind's table that skips ids already stored, spelled
     * by {@code dialect}; bind it with {@link #write} into a {@link StatementRow}.
     */
    public String insertSql(SqlDialect dialect, int rows) {
        StringBuilder row = new StringBuilder("(");
        for (int i = 0; i < columns.size(); i++) {
            row.append(i == 0 ? "" : ", ").append(dialect.parameter(columns.get(i).type()));
        }
        row.append(')');
        StringBuilder values = new StringBuilder(rows * (row.length() + 2));
        for (int i = 0; i < rows; i++) {
            values.append(i == 0 ? "" : ", ").append(row);
        }
        return dialect.insertIgnoringKnownIds(dialect.table(kind), columnList, values.toString());
    }

    /** Puts every column of {@code event} (of this plan's kind) into {@code sink} in table order. */
    public void write(Event event, SqlDialect dialect, RowSink sink) throws SQLException {
        sink.id(event.id());
        sink.time(event.ts());
        sink.text(event.sessionId());
        sink.text(event.source());
        sink.json(event.attributes().isEmpty() ? "{}" : dialect.json(event.attributes()));
        for (int i = 0; i < fieldTypes.length; i++) {
            Object value = event.field(i);
            switch (fieldTypes[i]) {
                case TEXT -> sink.text((String) value);
                case INTEGER -> sink.integer((Long) value);
                case REAL -> sink.real((Double) value);
                case BOOLEAN -> sink.bool((Boolean) value);
                case TEXT_LIST -> sink.json(value == null ? null : dialect.json(value));
            }
        }
    }

    /** The event in the current row of {@code rows}, selected as {@link #columnList()}. */
    public Event read(ResultSet rows, SqlDialect dialect) throws SQLException {
        Envelope envelope = new Envelope(dialect.readId(rows, 1), dialect.readTime(rows, 2), rows.getString(3),
                rows.getString(4), Json.readAttributes(rows.getString(5)));
        Object[] values = new Object[fieldTypes.length];
        for (int i = 0; i < values.length; i++) {
            int column = 6 + i;
            values[i] = switch (fieldTypes[i]) {
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
}
