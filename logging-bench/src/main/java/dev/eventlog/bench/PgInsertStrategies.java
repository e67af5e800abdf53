package dev.eventlog.bench;

import dev.eventlog.RoutingMetricEvent;
import dev.eventlog.internal.json.Json;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The ways of inserting a batch of routing events into PostgreSQL that {@link PgInsertBench}
 * compares, in plain JDBC on the store's own table. Each inserts inside the caller's transaction
 * with {@code ON CONFLICT (id) DO NOTHING} and returns how many rows were new, or {@code -1} when
 * the way cannot tell.
 */
final class PgInsertStrategies {
    static final String COLUMNS = "id, ts, session_id, source, attributes, query_id, predicted_model, actual_model,"
            + " dq_score, complexity, accuracy, cost_saved, reasoning, query_text";
    private static final String ROW = "(?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private PgInsertStrategies() {
    }

    /** One way to insert a batch. */
    interface Strategy {
        String name();

        /** Extra connection parameters the way needs, e.g. {@code reWriteBatchedInserts=true}. */
        default String urlParameters() {
            return "";
        }

        int insert(Connection connection, String table, List<RoutingMetricEvent> rows) throws SQLException;
    }

    /** Multi-row {@code INSERT … VALUES (…), (…)} statements of {@code rowsPerStatement} rows. */
    static Strategy multiRowValues(int rowsPerStatement) {
        return new Strategy() {
            @Override
            public String name() {
                return "multi-row INSERT … VALUES (" + rowsPerStatement + " rows/statement)";
            }

            @Override
            public int insert(Connection connection, String table, List<RoutingMetricEvent> rows)
                    throws SQLException {
                int added = 0;
                for (int start = 0; start < rows.size(); start += rowsPerStatement) {
                    List<RoutingMetricEvent> chunk = rows.subList(start, Math.min(rows.size(), start + rowsPerStatement));
                    String sql = "INSERT INTO " + table + " (" + COLUMNS + ") VALUES " + ROW
                            + (", " + ROW).repeat(chunk.size() - 1) + " ON CONFLICT (id) DO NOTHING";
                    try (PreparedStatement statement = connection.prepareStatement(sql)) {
                        int index = 1;
                        for (RoutingMetricEvent event : chunk) {
                            index = bind(statement, index, event);
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
            public int insert(Connection connection, String table, List<RoutingMetricEvent> rows)
                    throws SQLException {
                try (PreparedStatement statement = connection.prepareStatement(
                        "INSERT INTO " + table + " (" + COLUMNS + ") VALUES " + ROW + " ON CONFLICT (id) DO NOTHING")) {
                    for (RoutingMetricEvent event : rows) {
                        bind(statement, 1, event);
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
            public int insert(Connection connection, String table, List<RoutingMetricEvent> rows)
                    throws SQLException {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TEMPORARY TABLE IF NOT EXISTS bench_stage (LIKE " + table
                            + ") ON COMMIT DELETE ROWS");
                }
                CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("COPY bench_stage (" + COLUMNS + ") FROM STDIN");
                try {
                    StringBuilder text = new StringBuilder(80 * 1024);
                    for (RoutingMetricEvent event : rows) {
                        copyRow(text, event);
                        if (text.length() >= 64 * 1024) {
                            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                            copy.writeToCopy(bytes, 0, bytes.length);
                            text.setLength(0);
                        }
                    }
                    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    copy.endCopy();
                } finally {
                    if (copy.isActive()) {
                        copy.cancelCopy();
                    }
                }
                try (Statement statement = connection.createStatement()) {
                    return statement.executeUpdate("INSERT INTO " + table + " (" + COLUMNS + ") SELECT " + COLUMNS
                            + " FROM bench_stage ON CONFLICT (id) DO NOTHING");
                }
            }
        };
    }

    /** One {@code INSERT … SELECT FROM unnest(arrays)} per batch, one array parameter per column. */
    static Strategy unnestArrays() {
        return new Strategy() {
            @Override
            public String name() {
                return "INSERT … SELECT FROM unnest(column arrays)";
            }

            @Override
            public int insert(Connection connection, String table, List<RoutingMetricEvent> rows)
                    throws SQLException {
                int n = rows.size();
                Object[][] columns = new Object[14][n];
                for (int r = 0; r < n; r++) {
                    RoutingMetricEvent event = rows.get(r);
                    Object[] values = {event.id(), event.ts().toString(), event.sessionId(), event.source(),
                        attributes(event), event.queryId(), event.predictedModel(), event.actualModel(),
                        event.dqScore(), event.complexity(), event.accuracy(), event.costSaved(), event.reasoning(),
                        event.queryText()};
                    for (int c = 0; c < values.length; c++) {
                        columns[c][r] = values[c];
                    }
                }
                String[] types = {"uuid", "text", "text", "text", "text", "text", "text", "text", "float8", "float8",
                    "bool", "float8", "text", "text"};
                try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + table + " (" + COLUMNS
                        + ") SELECT * FROM unnest(CAST(? AS uuid[]), CAST(? AS timestamptz[]), CAST(? AS text[]),"
                        + " CAST(? AS text[]), CAST(? AS jsonb[]), CAST(? AS text[]), CAST(? AS text[]),"
                        + " CAST(? AS text[]), CAST(? AS float8[]), CAST(? AS float8[]), CAST(? AS boolean[]),"
                        + " CAST(? AS float8[]), CAST(? AS text[]), CAST(? AS text[])) ON CONFLICT (id) DO NOTHING")) {
                    for (int c = 0; c < types.length; c++) {
                        statement.setArray(c + 1, connection.createArrayOf(types[c], columns[c]));
                    }
                    return statement.executeUpdate();
                }
            }
        };
    }

    /** Writes {@code rows} in COPY text format, for {@code psql \copy}. */
    static void writeCopyFile(Path file, List<RoutingMetricEvent> rows) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder text = new StringBuilder(80 * 1024);
            for (RoutingMetricEvent event : rows) {
                copyRow(text, event);
                if (text.length() >= 64 * 1024) {
                    out.append(text);
                    text.setLength(0);
                }
            }
            out.append(text);
        }
    }

    private static int bind(PreparedStatement statement, int index, RoutingMetricEvent event) throws SQLException {
        statement.setObject(index++, event.id());
        statement.setObject(index++, OffsetDateTime.ofInstant(event.ts(), ZoneOffset.UTC));
        statement.setString(index++, event.sessionId());
        statement.setString(index++, event.source());
        statement.setString(index++, attributes(event));
        statement.setString(index++, event.queryId());
        statement.setString(index++, event.predictedModel());
        statement.setString(index++, event.actualModel());
        statement.setObject(index++, event.dqScore(), Types.DOUBLE);
        statement.setObject(index++, event.complexity(), Types.DOUBLE);
        statement.setObject(index++, event.accuracy(), Types.BOOLEAN);
        statement.setObject(index++, event.costSaved(), Types.DOUBLE);
        statement.setString(index++, event.reasoning());
        statement.setString(index++, event.queryText());
        return index;
    }

    private static String attributes(RoutingMetricEvent event) {
        return event.attributes().isEmpty() ? "{}" : Json.write(event.attributes());
    }

    private static void copyRow(StringBuilder out, RoutingMetricEvent event) {
        Object[] values = {event.id(), event.ts(), event.sessionId(), event.source(), attributes(event),
            event.queryId(), event.predictedModel(), event.actualModel(), event.dqScore(), event.complexity(),
            event.accuracy() == null ? null : event.accuracy() ? "t" : "f", event.costSaved(), event.reasoning(),
            event.queryText()};
        for (int c = 0; c < values.length; c++) {
            if (c > 0) {
                out.append('\t');
            }
            if (values[c] == null) {
                out.append("\\N");
                continue;
            }
            String text = values[c].toString();
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                switch (ch) {
                    case '\\' -> out.append("\\\\");
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    default -> out.append(ch);
                }
            }
        }
        out.append('\n');
    }
}
