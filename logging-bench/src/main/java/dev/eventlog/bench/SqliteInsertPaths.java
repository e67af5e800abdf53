package dev.eventlog.bench;

import dev.eventlog.Event;
import dev.eventlog.RoutingMetricEvent;
import dev.eventlog.sqlite.SqliteEventStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Where the engine limit of the import's goal lies ({@code -Dbench=sqlite-insert}): the same
 * routing rows, in one JVM, into fresh copies of the same table and indexes, by SQLite's
 * {@code INSERT … SELECT *} (which SQLite runs as its "transfer" copy of whole records and index
 * entries when the tables match), the same statement with {@code WHERE 1} (which turns the
 * transfer off: SQLite inserting row by row), plain JDBC multi-row inserts binding every value
 * (64 and 256 rows per statement with {@code setObject}, 256 with the typed setters the store
 * uses; one transaction per 5 000 rows), the ways to hand SQLite many rows with fewer calls — one
 * JSON array of arrays bound once and unpacked by {@code json_each} or {@code jsonb_each} with
 * {@code ->>}, or the values written into the SQL text as literals — and the store's own
 * {@code append} in batches of 5 000. Each path's rows are checked against the store's: same count,
 * same values of the same types. CPU time of the inserting thread (steadier than wall time on
 * a shared machine) and wall time, best of {@code bench.rounds} (3) rounds each.
 *
 * <p>Size: {@code bench.insertRows} (200 000).
 */
final class SqliteInsertPaths {
    private static final int BATCH = 5000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SqliteInsertPaths() {
    }

    static void run() throws Exception {
        int rows = Integer.getInteger("bench.insertRows", 200_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        Path work = Files.createTempDirectory("eventlog-insert-paths");
        try {
            List<Event> events = events(rows);
            Path source = work.resolve("source.db");
            try (SqliteEventStore store = SqliteEventStore.open(source)) {
                for (int i = 0; i < rows; i += BATCH) {
                    store.append(events.subList(i, Math.min(rows, i + BATCH)));
                }
            }
            List<Object[]> values = values(source);
            String[] names = {"INSERT … SELECT * (transfer copy)", "INSERT … SELECT * WHERE 1 (row by row)",
                "JDBC 64-row inserts, every value bound", "JDBC 256-row inserts, every value bound",
                "JDBC 256-row inserts, typed setters", "JSON array of 256 rows, one bind (json_each, ->>)",
                "JSON array of 5 000 rows, one bind (json_each, ->>)", "JSON array of 256 rows, one bind (jsonb_each, ->>)",
                "JSON array of 5 000 rows, one bind (jsonb_each, ->>)",
                "SQL text of 256 rows, values as literals, nothing bound", "SQL text of 1 000 rows, values as literals, nothing bound",
                "SqliteEventStore.append, batches of 5 000"};
            double[] cpu = new double[names.length];
            double[] wall = new double[names.length];
            Arrays.fill(cpu, Double.MAX_VALUE);
            Arrays.fill(wall, Double.MAX_VALUE);
            for (int round = 0; round < rounds; round++) {
                for (int path = 0; path < names.length; path++) {
                    Path target = work.resolve("target-" + round + "-" + path + ".db");
                    SqliteEventStore.open(target).close();
                    long cpu0 = THREADS.getCurrentThreadCpuTime();
                    long wall0 = System.nanoTime();
                    switch (path) {
                        case 0 -> insertSelect(source, target, "");
                        case 1 -> insertSelect(source, target, " WHERE 1");
                        case 2 -> bound(values, target, 64);
                        case 3 -> bound(values, target, 256);
                        case 4 -> boundTyped(values, target, 256);
                        case 5 -> json(values, target, 256, false);
                        case 6 -> json(values, target, BATCH, false);
                        case 7 -> json(values, target, 256, true);
                        case 8 -> json(values, target, BATCH, true);
                        case 9 -> literals(values, target, 256);
                        case 10 -> literals(values, target, 1000);
                        default -> {
                            try (SqliteEventStore store = SqliteEventStore.open(target)) {
                                for (int i = 0; i < rows; i += BATCH) {
                                    store.append(events.subList(i, Math.min(rows, i + BATCH)));
                                }
                            }
                        }
                    }
                    cpu[path] = Math.min(cpu[path], (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9);
                    wall[path] = Math.min(wall[path], (System.nanoTime() - wall0) / 1e9);
                    checkRows(source, target, rows, names[path]);
                    for (String suffix : new String[] {"", "-wal", "-shm"}) {
                        Files.deleteIfExists(Path.of(target + suffix));
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%,d routing rows, best of %d; load average %s%n%n", rows, rounds,
                    Files.readString(Path.of("/proc/loadavg")).trim());
            System.out.println("| path | thread CPU s | rows/s by CPU | against the transfer copy | wall s |");
            System.out.println("|---|---:|---:|---:|---:|");
            for (int path = 0; path < names.length; path++) {
                System.out.printf(Locale.ROOT, "| %s | %.2f | %,.0f | %.2f× | %.2f |%n", names[path], cpu[path],
                        rows / cpu[path], cpu[0] / cpu[path], wall[path]);
            }
        } finally {
            SideBySide.deleteTree(work);
        }
    }

    /**
     * Every path must store every row as the store did, each value of the same type (text, integer
     * or real) and the same value: a faster path that loses or changes rows is no result.
     */
    private static void checkRows(Path source, Path target, int rows, String path) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + target);
                Statement statement = connection.createStatement()) {
            statement.execute("ATTACH DATABASE '" + source + "' AS src");
            String typed = "SELECT *, " + typeofEveryColumn(statement) + " FROM ";
            try (ResultSet result = statement.executeQuery("SELECT (SELECT count(*) FROM routing_metrics_events),"
                    + " (SELECT count(*) FROM (" + typed + "src.routing_metrics_events EXCEPT " + typed
                    + "main.routing_metrics_events))")) {
                result.next();
                if (result.getLong(1) != rows || result.getLong(2) != 0) {
                    throw new IllegalStateException(path + " stored " + result.getLong(1) + " of " + rows
                            + " rows, " + result.getLong(2) + " of them not as the store did");
                }
            }
        }
    }

    private static String typeofEveryColumn(Statement statement) throws Exception {
        List<String> types = new ArrayList<>();
        try (ResultSet columns = statement.executeQuery("SELECT name FROM pragma_table_info('routing_metrics_events')")) {
            while (columns.next()) {
                types.add("typeof(" + columns.getString(1) + ")");
            }
        }
        return String.join(", ", types);
    }

    private static List<Event> events(int rows) {
        Random random = new Random(42);
        String[] models = {"haiku", "sonnet", "opus"};
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        List<Event> events = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            String predicted = models[random.nextInt(3)];
            String actual = random.nextInt(4) == 0 ? models[random.nextInt(3)] : predicted;
            events.add(RoutingMetricEvent.builder().ts(t0.plusMillis(i * 100L + random.nextInt(100)))
                    .queryId(String.format(Locale.ROOT, "q-%08d", i)).predictedModel(predicted).actualModel(actual)
                    .dqScore(random.nextDouble()).complexity(random.nextDouble()).accuracy(predicted.equals(actual))
                    .costSaved(random.nextDouble() / 10)
                    .reasoning("complexity " + random.nextInt(10) + " of 10: routed by the keyword and length heuristics")
                    .queryText("how do I fix the failing build in module " + random.nextInt(50) + " of the service?")
                    .build());
        }
        return events;
    }

    private static List<Object[]> values(Path source) throws Exception {
        List<Object[]> values = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + source);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT * FROM routing_metrics_events ORDER BY rowid")) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                Object[] row = new Object[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = result.getObject(i + 1);
                }
                values.add(row);
            }
        }
        return values;
    }

    private static void insertSelect(Path source, Path target, String where) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + target);
                Statement statement = connection.createStatement()) {
            statement.execute("ATTACH DATABASE '" + source + "' AS src");
            connection.setAutoCommit(false);
            statement.executeUpdate("INSERT INTO routing_metrics_events SELECT * FROM src.routing_metrics_events" + where);
            connection.commit();
        }
    }

    private static String insertSql(int columns, int rows) {
        StringBuilder sql = new StringBuilder("INSERT OR IGNORE INTO routing_metrics_events VALUES ");
        for (int row = 0; row < rows; row++) {
            sql.append(row == 0 ? "(" : ", (");
            for (int column = 0; column < columns; column++) {
                sql.append(column == 0 ? "?" : ", ?");
            }
            sql.append(')');
        }
        return sql.toString();
    }

    private static void bound(List<Object[]> values, Path target, int perStatement) throws Exception {
        int columns = values.get(0).length;
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + target);
                PreparedStatement insert = connection.prepareStatement(insertSql(columns, perStatement));
                PreparedStatement one = connection.prepareStatement(insertSql(columns, 1))) {
            connection.setAutoCommit(false);
            int inTransaction = 0;
            int first = 0;
            for (; first + perStatement <= values.size(); first += perStatement) {
                int parameter = 1;
                for (int row = first; row < first + perStatement; row++) {
                    for (Object value : values.get(row)) {
                        insert.setObject(parameter++, value);
                    }
                }
                insert.executeUpdate();
                inTransaction += perStatement;
                if (inTransaction >= BATCH) {
                    connection.commit();
                    inTransaction = 0;
                }
            }
            for (; first < values.size(); first++) {
                int parameter = 1;
                for (Object value : values.get(first)) {
                    one.setObject(parameter++, value);
                }
                one.executeUpdate();
            }
            connection.commit();
        }
    }

    /** As {@link #bound}, with the typed setters the store's own binding uses instead of {@code setObject}. */
    private static void boundTyped(List<Object[]> values, Path target, int perStatement) throws Exception {
        int columns = values.get(0).length;
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + target);
                PreparedStatement insert = connection.prepareStatement(insertSql(columns, perStatement));
                PreparedStatement one = connection.prepareStatement(insertSql(columns, 1))) {
            connection.setAutoCommit(false);
            int inTransaction = 0;
            int first = 0;
            for (; first + perStatement <= values.size(); first += perStatement) {
                int parameter = 1;
                for (int row = first; row < first + perStatement; row++) {
                    parameter = bindTyped(insert, parameter, values.get(row));
                }
                insert.executeUpdate();
                inTransaction += perStatement;
                if (inTransaction >= BATCH) {
                    connection.commit();
                    inTransaction = 0;
                }
            }
            for (; first < values.size(); first++) {
                bindTyped(one, 1, values.get(first));
                one.executeUpdate();
            }
            connection.commit();
        }
    }

    private static int bindTyped(PreparedStatement statement, int first, Object[] row) throws Exception {
        int parameter = first;
        for (Object value : row) {
            if (value == null) {
                statement.setNull(parameter++, Types.NULL);
            } else if (value instanceof String text) {
                statement.setString(parameter++, text);
            } else if (value instanceof Double real) {
                statement.setDouble(parameter++, real);
            } else {
                statement.setLong(parameter++, ((Number) value).longValue());
            }
        }
        return parameter;
    }

    /**
     * Every {@code perStatement} rows as one JSON array of arrays bound once, unpacked by SQLite
     * ({@code INSERT OR IGNORE … SELECT value->>0, … FROM json_each(?)}), or by {@code jsonb_each}, whose
     * {@code value} of each row is the binary JSONB of its array instead of JSON text parsed again.
     */
    private static void json(List<Object[]> values, Path target, int perStatement, boolean jsonb) throws Exception {
        int columns = values.get(0).length;
        StringBuilder sql = new StringBuilder("INSERT OR IGNORE INTO routing_metrics_events SELECT ");
        for (int column = 0; column < columns; column++) {
            sql.append(column == 0 ? "" : ", ").append("value->>").append(column);
        }
        sql.append(jsonb ? " FROM jsonb_each(?)" : " FROM json_each(?)");
        StringBuilder json = new StringBuilder(1 << 16);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + target);
                PreparedStatement insert = connection.prepareStatement(sql.toString())) {
            connection.setAutoCommit(false);
            int inTransaction = 0;
            for (int first = 0; first < values.size(); first += perStatement) {
                json.setLength(0);
                json.append('[');
                int end = Math.min(values.size(), first + perStatement);
                for (int row = first; row < end; row++) {
                    json.append(row == first ? "[" : ",[");
                    Object[] fields = values.get(row);
                    for (int column = 0; column < fields.length; column++) {
                        if (column > 0) {
                            json.append(',');
                        }
                        Object value = fields[column];
                        if (value instanceof String text) {
                            quote(json, text);
                        } else {
                            json.append(value);
                        }
                    }
                    json.append(']');
                }
                json.append(']');
                insert.setString(1, json.toString());
                insert.executeUpdate();
                inTransaction += end - first;
                if (inTransaction >= BATCH) {
                    connection.commit();
                    inTransaction = 0;
                }
            }
            connection.commit();
        }
    }

    private static void quote(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }

    /** Every {@code perStatement} rows as one SQL text with the values written as literals: no parameter at all. */
    private static void literals(List<Object[]> values, Path target, int perStatement) throws Exception {
        StringBuilder sql = new StringBuilder(1 << 16);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + target);
                Statement insert = connection.createStatement()) {
            connection.setAutoCommit(false);
            int inTransaction = 0;
            for (int first = 0; first < values.size(); first += perStatement) {
                sql.setLength(0);
                sql.append("INSERT OR IGNORE INTO routing_metrics_events VALUES ");
                int end = Math.min(values.size(), first + perStatement);
                for (int row = first; row < end; row++) {
                    sql.append(row == first ? "(" : ",(");
                    Object[] fields = values.get(row);
                    for (int column = 0; column < fields.length; column++) {
                        if (column > 0) {
                            sql.append(',');
                        }
                        Object value = fields[column];
                        if (value instanceof String text) {
                            sql.append('\'');
                            for (int i = 0; i < text.length(); i++) {
                                char c = text.charAt(i);
                                sql.append(c);
                                if (c == '\'') {
                                    sql.append(c);
                                }
                            }
                            sql.append('\'');
                        } else if (value == null) {
                            sql.append("NULL");
                        } else {
                            sql.append(value);
                        }
                    }
                    sql.append(')');
                }
                insert.executeUpdate(sql.toString());
                inTransaction += end - first;
                if (inTransaction >= BATCH) {
                    connection.commit();
                    inTransaction = 0;
                }
            }
            connection.commit();
        }
    }
}
