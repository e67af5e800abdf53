package dev.eventlog.postgres;

import dev.eventlog.Event;
import dev.eventlog.EventField;
import dev.eventlog.EventKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The insert strategies {@link InsertBench} compares, each inserting one batch of one kind inside
 * the caller's transaction with {@code ON CONFLICT (id) DO NOTHING} and returning how many rows
 * were new ({@code -1} when the strategy cannot tell). Plain JDBC on the store's tables.
 */
final class InsertStrategies {
    private InsertStrategies() {
    }

    /** One way to insert a batch. */
    interface Strategy {
        String name();

        /** Extra connection parameters the strategy needs, e.g. {@code reWriteBatchedInserts=true}. */
        default String urlParameters() {
            return "";
        }

        int insert(Connection connection, String table, EventKind kind, List<Event> rows) throws SQLException;
    }

    static String columns(EventKind kind) {
        return RowWriter.columns(kind);
    }

    /** Multi-row {@code INSERT … VALUES} statements of {@code rowsPerStatement} rows. */
    static Strategy multiRowValues(int rowsPerStatement) {
        return new Strategy() {
            @Override
            public String name() {
                return "multi-row INSERT … VALUES (" + rowsPerStatement + " rows/statement)";
            }

            @Override
            public int insert(Connection connection, String table, EventKind kind, List<Event> rows)
                    throws SQLException {
                String schema = table.substring(1, table.indexOf('"', 1));
                RowWriter writer = new RowWriter(tablesIn(schema), false, "");
                int added = 0;
                for (int start = 0; start < rows.size(); start += rowsPerStatement) {
                    List<Event> chunk = rows.subList(start, Math.min(rows.size(), start + rowsPerStatement));
                    try (PreparedStatement statement = connection.prepareStatement(writer.valuesInsert(kind,
                            chunk.size()))) {
                        int index = 1;
                        for (Event event : chunk) {
                            index = RowWriter.bind(statement, index, event);
                        }
                        added += statement.executeUpdate();
                    }
                }
                return added;
            }
        };
    }

    /** One prepared single-row insert run as a JDBC batch, optionally rewritten by the driver. */
    static Strategy batchedPrepared(boolean rewrite) {
        return new Strategy() {
            @Override
            public String name() {
                return rewrite ? "batched prepared INSERT, reWriteBatchedInserts=true"
                        : "batched prepared INSERT, no rewrite";
            }

            @Override
            public String urlParameters() {
                return rewrite ? "reWriteBatchedInserts=true" : "";
            }

            @Override
            public int insert(Connection connection, String table, EventKind kind, List<Event> rows)
                    throws SQLException {
                String schema = table.substring(1, table.indexOf('"', 1));
                try (PreparedStatement statement = connection.prepareStatement(
                        new RowWriter(tablesIn(schema), false, "").valuesInsert(kind, 1))) {
                    for (Event event : rows) {
                        RowWriter.bind(statement, 1, event);
                        statement.addBatch();
                    }
                    int added = 0;
                    for (int count : statement.executeBatch()) {
                        if (count == Statement.SUCCESS_NO_INFO) {
                            return -1;
                        }
                        added += count;
                    }
                    return added;
                }
            }
        };
    }

    /** {@code COPY} into a temporary staging table, then {@code INSERT … SELECT … ON CONFLICT}. */
    static Strategy copyThroughStaging() {
        return new Strategy() {
            @Override
            public String name() {
                return "COPY into temp staging table + INSERT … SELECT";
            }

            @Override
            public int insert(Connection connection, String table, EventKind kind, List<Event> rows)
                    throws SQLException {
                String stage = "eventlog_stage_" + kind.table();
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TEMP TABLE IF NOT EXISTS " + stage + " (LIKE " + table
                            + ") ON COMMIT DELETE ROWS");
                }
                RowWriter.copy(connection, "COPY " + stage + " (" + columns(kind) + ") FROM STDIN", rows);
                try (Statement statement = connection.createStatement()) {
                    return statement.executeUpdate("INSERT INTO " + table + " (" + columns(kind) + ") SELECT "
                            + columns(kind) + " FROM " + stage + " ON CONFLICT (id) DO NOTHING");
                }
            }
        };
    }

    /** One {@code INSERT … SELECT FROM unnest(arrays)} per batch, one array per column. */
    static Strategy unnestArrays() {
        return new Strategy() {
            @Override
            public String name() {
                return "INSERT … SELECT FROM unnest(column arrays)";
            }

            @Override
            public int insert(Connection connection, String table, EventKind kind, List<Event> rows)
                    throws SQLException {
                List<EventField> fields = kind.fields();
                StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (")
                        .append(columns(kind)).append(") SELECT * FROM unnest(CAST(? AS uuid[]),"
                                + " CAST(? AS timestamptz[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS jsonb[])");
                for (EventField field : fields) {
                    sql.append(", CAST(? AS ").append(switch (field.type()) {
                        case TEXT -> "text[]";
                        case INTEGER -> "bigint[]";
                        case REAL -> "float8[]";
                        case BOOLEAN -> "boolean[]";
                        case TEXT_LIST -> "jsonb[]";
                    }).append(')');
                }
                sql.append(") ON CONFLICT (id) DO NOTHING");
                int n = rows.size();
                Object[][] columns = new Object[5 + fields.size()][n];
                for (int r = 0; r < n; r++) {
                    Event event = rows.get(r);
                    columns[0][r] = event.id();
                    columns[1][r] = event.ts().toString();
                    columns[2][r] = event.sessionId();
                    columns[3][r] = event.source();
                    columns[4][r] = event.attributes().isEmpty() ? "{}" : PostgresJson.write(event.attributes());
                    for (int f = 0; f < fields.size(); f++) {
                        Object value = event.field(f);
                        columns[5 + f][r] = fields.get(f).type() == EventField.Type.TEXT_LIST && value != null
                                ? PostgresJson.write(value) : value;
                    }
                }
                try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                    statement.setArray(1, connection.createArrayOf("uuid", columns[0]));
                    statement.setArray(2, connection.createArrayOf("text", columns[1]));
                    statement.setArray(3, connection.createArrayOf("text", columns[2]));
                    statement.setArray(4, connection.createArrayOf("text", columns[3]));
                    statement.setArray(5, connection.createArrayOf("text", columns[4]));
                    for (int f = 0; f < fields.size(); f++) {
                        Array array = connection.createArrayOf(switch (fields.get(f).type()) {
                            case TEXT, TEXT_LIST -> "text";
                            case INTEGER -> "int8";
                            case REAL -> "float8";
                            case BOOLEAN -> "bool";
                        }, columns[5 + f]);
                        statement.setArray(6 + f, array);
                    }
                    return statement.executeUpdate();
                }
            }
        };
    }

    /** Writes {@code rows} in COPY text format, for {@code psql \copy}. */
    static void writeCopyFile(java.nio.file.Path file, List<Event> rows) throws IOException {
        try (var out = java.nio.file.Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder text = new StringBuilder(80_000);
            CopyText rowText = new CopyText(text);
            for (Event event : rows) {
                rowText.row(event);
                if (text.length() >= 64 * 1024) {
                    out.append(text);
                    text.setLength(0);
                }
            }
            out.append(text);
        }
    }

    static java.util.Map<EventKind, String> tablesIn(String schema) {
        java.util.Map<EventKind, String> tables = new java.util.EnumMap<>(EventKind.class);
        for (EventKind kind : EventKind.values()) {
            tables.put(kind, PostgresEventStore.quote(schema) + "." + kind.table());
        }
        return tables;
    }
}
