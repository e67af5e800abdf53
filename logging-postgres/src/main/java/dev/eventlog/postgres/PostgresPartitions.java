package dev.eventlog.postgres;

import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.spi.Expiring;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time partitions of a store's kind tables (README, "PostgreSQL at scale"): each table is
 * range-partitioned on {@code ts}, keyed by {@code (id, ts)}, with one partition per interval named
 * {@code TABLE_pYYYYMMDD} after its first day and a default partition {@code TABLE_default} that
 * takes any event whose interval has no partition yet, so no event is ever refused. The interval
 * is kept in the table's comment ({@value #COMMENT_PREFIX}{@code month}). Partitions are known by
 * their bounds, whatever their names, so partitions pg_partman made are taken as they are.
 *
 * <p>pg_partman, when installed in the database, may manage a table instead: a table registered in
 * its {@code part_config} ({@link PostgresPartman}) gets no partition from this class (neither at
 * open nor by {@link #maintain}).
 *
 * <p>Every method works on a connection in autocommit mode whose {@code search_path} is the schema
 * and which holds the schema's advisory lock, and makes its own transactions; each step commits,
 * so a process killed anywhere leaves a state that the next run completes. Not thread-safe on its
 * own: the lock serialises its callers.
 */
final class PostgresPartitions {
    static final String COMMENT_PREFIX = "eventlog partitions: ";
    private static final long DAY_MILLIS = 86_400_000L;
    /** Rows per committed batch of {@link #partition}'s copy. */
    static final int COPY_BATCH = 20_000;
    /** A test hook: rows per committed copy batch instead of {@value #COPY_BATCH}, to kill a run between batches. */
    static final String COPY_BATCH_PROPERTY = "eventlog.test.partitionCopyBatch";
    private static final String COPY_SUFFIX = "_partitioned";
    private static final String INDEX_SUFFIX = "__p";
    private static final Pattern INDEX_DEF = Pattern.compile("^CREATE INDEX (\\S+) ON (\\S+) (USING .*)$");

    private final String schema;
    private final String quotedSchema;

    PostgresPartitions(String schema) {
        this.schema = schema;
        this.quotedSchema = PostgresDialect.quote(schema);
    }

    /** The interval of the tables, or empty when any table is a plain one. */
    Optional<PartitionInterval> interval(Connection connection) throws SQLException {
        PartitionInterval found = null;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT c.relname, c.relkind, pg_catalog.obj_description(c.oid, 'pg_class') FROM pg_catalog.pg_class c"
                        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?"
                        + " AND c.relname = ANY (?)")) {
            statement.setString(1, schema);
            statement.setArray(2, connection.createArrayOf("text", tables().toArray()));
            int partitioned = 0;
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (!"p".equals(rows.getString(2))) {
                        return Optional.empty();
                    }
                    partitioned++;
                    String comment = rows.getString(3);
                    found = comment != null && comment.startsWith(COMMENT_PREFIX)
                            ? PartitionInterval.parse("comment of " + rows.getString(1),
                                    comment.substring(COMMENT_PREFIX.length()))
                            : PartitionInterval.MONTH;
                }
            }
            return partitioned == tables().size() ? Optional.ofNullable(found) : Optional.empty();
        }
    }

    /** Whether every kind table is empty (a new store). */
    boolean empty(Connection connection) throws SQLException {
        for (String table : tables()) {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM " + qualified(table) + ")")) {
                rows.next();
                if (rows.getBoolean(1)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The partitions of the current interval and {@code ahead} more that are missing, each as
     * {@code table → first day}: an interval is missing when no partition's bounds overlap it, whatever
     * the partitions' names. Tables pg_partman manages are left out. Two catalogue queries (one for
     * the partitions, one for pg_partman's presence), three when pg_partman is installed.
     */
    Map<String, List<LocalDate>> missingAhead(Connection connection, PartitionInterval interval, Instant now,
            int ahead) throws SQLException {
        Map<String, List<Instant[]>> bounds = bounds(connection, null);
        Set<String> managed = new PostgresPartman(schema).tables(connection);
        Map<String, List<LocalDate>> missing = new LinkedHashMap<>();
        for (String table : tables()) {
            if (managed.contains(table)) {
                continue;
            }
            LocalDate start = interval.start(now);
            for (int i = 0; i <= ahead; i++, start = interval.next(start)) {
                if (!overlaps(bounds.getOrDefault(table, List.of()), start, interval.next(start))) {
                    missing.computeIfAbsent(table, t -> new ArrayList<>()).add(start);
                }
            }
        }
        return missing;
    }

    /** Whether one of {@code ranges} overlaps the days from {@code start} to {@code end} (excluded), UTC. */
    private static boolean overlaps(List<Instant[]> ranges, LocalDate start, LocalDate end) {
        Instant from = start.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        Instant until = end.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        for (Instant[] range : ranges) {
            if (range[0].isBefore(until) && from.isBefore(range[1])) {
                return true;
            }
        }
        return false;
    }

    /**
     * The bounds of the range partitions of the schema's tables (or of {@code table} alone), per
     * table: {@code [from, until)}. The bounds are read back as times by the server, in any time zone.
     */
    private Map<String, List<Instant[]>> bounds(Connection connection, String table) throws SQLException {
        Map<String, List<Instant[]>> bounds = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT p.relname, CAST(m[1] AS timestamptz), CAST(m[2] AS timestamptz), c.relname"
                        + " FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid"
                        + " JOIN pg_catalog.pg_class p ON p.oid = i.inhparent"
                        + " JOIN pg_catalog.pg_namespace n ON n.oid = p.relnamespace,"
                        + " LATERAL regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid),"
                        + " '^FOR VALUES FROM \\(''([^'']+)''\\) TO \\(''([^'']+)''\\)$') m"
                        + " WHERE m IS NOT NULL AND n.nspname = ? AND (CAST(? AS text) IS NULL OR p.relname = ?)"
                        + " ORDER BY 2")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            statement.setString(3, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    bounds.computeIfAbsent(rows.getString(1), t -> new ArrayList<>()).add(new Instant[] {
                            rows.getObject(2, OffsetDateTime.class).toInstant(),
                            rows.getObject(3, OffsetDateTime.class).toInstant()});
                }
            }
        }
        return bounds;
    }

    /**
     * Creates the missing partitions of the current interval and {@code ahead} more, and moves the
     * default partitions' rows into partitions of their own intervals.
     */
    List<String> maintain(Connection connection, PartitionInterval interval, Instant now, int ahead)
            throws SQLException {
        List<String> done = createAhead(connection, interval, now, ahead);
        Set<String> managed = new PostgresPartman(schema).tables(connection);
        for (String table : tables()) {
            if (managed.contains(table)) {
                continue;
            }
            for (LocalDate start : defaultStarts(connection, table, interval)) {
                done.add(ensure(connection, table, interval, start));
            }
        }
        done.removeIf(String::isEmpty);
        return done;
    }

    /** Creates the missing partitions of the current interval and {@code ahead} more. */
    List<String> createAhead(Connection connection, PartitionInterval interval, Instant now, int ahead)
            throws SQLException {
        List<String> done = new ArrayList<>();
        for (Map.Entry<String, List<LocalDate>> entry : missingAhead(connection, interval, now, ahead).entrySet()) {
            for (LocalDate start : entry.getValue()) {
                done.add(ensure(connection, entry.getKey(), interval, start));
            }
        }
        done.removeIf(String::isEmpty);
        return done;
    }

    private static final Pattern BOUNDS = Pattern.compile("^FOR VALUES FROM \\('([^']+)'\\) TO \\('([^']+)'\\)$");
    private static final DateTimeFormatter BOUND_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]X");

    /**
     * Drops each partition of {@code table} that lies entirely before {@code cut} and whose rows
     * are all archived, each in one transaction: the table is locked against every other use
     * (writers and readers wait for this partition's count), the partition's rows are counted and
     * compared with {@code archived}'s count of its range, and it is dropped only when they are
     * equal (every row of the partition was read into the archive, and none came since). A
     * partition holding rows the archive does not have is left for the caller's batched delete.
     * Partitions are found by their bounds in the catalogue, whatever made them (this store or
     * pg_partman).
     *
     * @param archived what was archived, or {@code null} to drop without comparing
     * @param dropped receives, in its first cell, how many rows the dropped partitions held
     * @return one line per partition dropped
     */
    List<String> dropBefore(Connection connection, String table, Instant cut, Expiring.Archived archived,
            long[] dropped) throws SQLException {
        Map<String, Instant[]> old = new LinkedHashMap<>();
        inTransaction(connection, () -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL TimeZone = 'UTC'");
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT c.relname, pg_catalog.pg_get_expr(c.relpartbound, c.oid) FROM pg_catalog.pg_inherits i"
                            + " JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid"
                            + " WHERE i.inhparent = pg_catalog.to_regclass(?) ORDER BY 2")) {
                statement.setString(1, qualified(table));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        Matcher bounds = BOUNDS.matcher(rows.getString(2));
                        if (bounds.matches()) {
                            Instant from = OffsetDateTime.parse(bounds.group(1), BOUND_TIME).toInstant();
                            Instant until = OffsetDateTime.parse(bounds.group(2), BOUND_TIME).toInstant();
                            if (!until.isAfter(cut)) {
                                old.put(rows.getString(1), new Instant[] {from, until});
                            }
                        }
                    }
                }
            }
            return null;
        });
        List<String> done = new ArrayList<>();
        for (Map.Entry<String, Instant[]> entry : old.entrySet()) {
            String partition = entry.getKey();
            Instant[] range = entry.getValue();
            String line = inTransaction(connection, () -> {
                try (Statement statement = connection.createStatement()) {
                    // The parent first, then the partition: the order every insert and read takes
                    // them in, so this never deadlocks with them.
                    statement.execute("LOCK TABLE " + qualified(table) + " IN ACCESS EXCLUSIVE MODE");
                    long rows = count(statement, qualified(partition));
                    if (archived != null && rows != archived.count(range[0], range[1])) {
                        return "";
                    }
                    // Its sessions lose events: their summaries are recomputed at the next refresh.
                    statement.executeUpdate("INSERT INTO " + qualified("session_dirty") + " (session_id) SELECT DISTINCT"
                            + " session_id FROM " + qualified(partition) + " WHERE session_id IS NOT NULL");
                    // So are the analytics summaries of the days it spans (from its bounds: no scan).
                    statement.executeUpdate("INSERT INTO " + qualified("analytics_day_dirty") + " (epoch_day)"
                            + " SELECT generate_series(" + Math.floorDiv(range[0].toEpochMilli(), DAY_MILLIS) + ", "
                            + (Math.floorDiv(range[1].toEpochMilli() - 1, DAY_MILLIS)) + ")");
                    statement.execute("DROP TABLE " + qualified(partition));
                    dropped[0] += rows;
                    return "dropped partition " + partition + " (" + rows + " row(s))";
                }
            });
            if (!line.isEmpty()) {
                done.add(line);
            }
        }
        return done;
    }

    /** The first days of the intervals that rows in {@code table}'s default partition fall in. */
    private List<LocalDate> defaultStarts(Connection connection, String table, PartitionInterval interval)
            throws SQLException {
        return starts(connection, qualified(table + "_default"), interval);
    }

    private List<LocalDate> starts(Connection connection, String relation, PartitionInterval interval)
            throws SQLException {
        List<LocalDate> starts = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT DISTINCT CAST(date_trunc('" + interval.unit() + "', ts AT TIME ZONE 'UTC') AS date) FROM "
                        + relation + " ORDER BY 1")) {
            while (rows.next()) {
                starts.add(rows.getObject(1, LocalDate.class));
            }
        }
        return starts;
    }

    /**
     * Creates {@code table}'s partition for the interval starting on {@code start} in one
     * transaction, first taking out of the default partition the rows that belong to it (the
     * default partition is locked against inserts meanwhile, so none slips in) and putting them
     * into the new partition.
     *
     * @return what was done, for the report
     */
    private String ensure(Connection connection, String table, PartitionInterval interval, LocalDate start)
            throws SQLException {
        String partition = PartitionInterval.partitionName(table, start);
        String from = "TIMESTAMPTZ '" + start + " 00:00:00+00'";
        String until = "TIMESTAMPTZ '" + interval.next(start) + " 00:00:00+00'";
        return inTransaction(connection, () -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("LOCK TABLE " + qualified(table + "_default") + " IN SHARE ROW EXCLUSIVE MODE");
                // A partition of another name (pg_partman's) over the interval is as good as ours.
                boolean exists = overlaps(bounds(connection, table).getOrDefault(table, List.of()), start,
                        interval.next(start));
                statement.execute("CREATE TEMPORARY TABLE eventlog_moving (LIKE " + qualified(table)
                        + ") ON COMMIT DROP");
                int moved = statement.executeUpdate("WITH taken AS (DELETE FROM " + qualified(table + "_default")
                        + " WHERE ts >= " + from + " AND ts < " + until + " RETURNING *)"
                        + " INSERT INTO eventlog_moving SELECT * FROM taken");
                if (!exists) {
                    statement.execute("CREATE TABLE " + qualified(partition) + " PARTITION OF " + qualified(table)
                            + " FOR VALUES FROM (" + from + ") TO (" + until + ")");
                }
                statement.executeUpdate("INSERT INTO " + qualified(table) + " SELECT * FROM eventlog_moving");
                return (exists ? "" : "created " + partition) + (moved == 0 ? ""
                        : (exists ? "" : "; ") + "moved " + moved + " row(s) of " + table + "_default into " + partition);
            }
        });
    }

    /**
     * Partitions every plain kind table by {@code interval}, keeping each row once; see
     * {@link dev.eventlog.spi.TimePartitioned#partition(String)}. Resumable: the copy table, its
     * partitions and its rows survive a killed run and the next run goes on from them.
     */
    List<String> partition(Connection connection, PartitionInterval interval, Instant now, int ahead)
            throws SQLException {
        List<String> done = new ArrayList<>();
        for (String table : tables()) {
            if (isPartitioned(connection, table)) {
                continue;
            }
            String copy = table + COPY_SUFFIX;
            if (!exists(connection, copy)) {
                createCopy(connection, table, copy, interval, now, ahead);
            }
            copyRows(connection, table, copy);
            done.add(swap(connection, table, copy, interval));
        }
        return done;
    }

    private void createCopy(Connection connection, String table, String copy, PartitionInterval interval,
            Instant now, int ahead) throws SQLException {
        List<String> indexes = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_catalog.pg_get_indexdef(i.indexrelid) FROM pg_catalog.pg_index i"
                        + " WHERE i.indrelid = CAST(? AS regclass) AND NOT i.indisprimary ORDER BY 1")) {
            statement.setString(1, qualified(table));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    indexes.add(rows.getString(1));
                }
            }
        }
        List<LocalDate> starts = starts(connection, qualified(table), interval);
        LocalDate start = interval.start(now);
        for (int i = 0; i <= ahead; i++, start = interval.next(start)) {
            if (!starts.contains(start)) {
                starts.add(start);
            }
        }
        inTransaction(connection, () -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE " + qualified(copy) + " (LIKE " + qualified(table)
                        + " INCLUDING DEFAULTS) PARTITION BY RANGE (ts)");
                statement.execute("ALTER TABLE " + qualified(copy) + " ADD CONSTRAINT "
                        + PostgresDialect.quote(copy + "_pkey") + " PRIMARY KEY (id, ts)");
                statement.execute("CREATE TABLE " + qualified(table + "_default") + " PARTITION OF "
                        + qualified(copy) + " DEFAULT");
                for (String definition : indexes) {
                    Matcher matcher = INDEX_DEF.matcher(definition);
                    if (!matcher.matches()) {
                        throw new SQLException("cannot copy index definition '" + definition + "'");
                    }
                    statement.execute("CREATE INDEX " + matcher.group(1) + INDEX_SUFFIX + " ON " + qualified(copy)
                            + " " + matcher.group(3));
                }
                for (LocalDate first : starts) {
                    statement.execute("CREATE TABLE " + qualified(PartitionInterval.partitionName(table, first))
                            + " PARTITION OF " + qualified(copy) + " FOR VALUES FROM (TIMESTAMPTZ '" + first
                            + " 00:00:00+00') TO (TIMESTAMPTZ '" + interval.next(first) + " 00:00:00+00')");
                }
                return null;
            }
        });
    }

    /** Copies {@code table}'s rows into {@code copy} in id order, a committed batch at a time, from where the copy stands. */
    private void copyRows(Connection connection, String table, String copy) throws SQLException {
        while (true) {
            int copied;
            try (Statement statement = connection.createStatement()) {
                copied = statement.executeUpdate("INSERT INTO " + qualified(copy) + " SELECT * FROM " + qualified(table)
                        + " WHERE id > coalesce((SELECT id FROM " + qualified(copy)
                        + " ORDER BY id DESC LIMIT 1), '00000000-0000-0000-0000-000000000000') ORDER BY id LIMIT " + Integer.getInteger(COPY_BATCH_PROPERTY, COPY_BATCH)
                        + " ON CONFLICT DO NOTHING");
            }
            if (copied == 0) {
                return;
            }
        }
    }

    /**
     * In one transaction: locks {@code table}, copies the rows appended since the batches, checks
     * the counts, puts {@code copy} in its place under its name and its indexes' names, points
     * every view of the schema at it (the views keep their identity, so views and functions built
     * on them stay valid) and drops the old table.
     */
    private String swap(Connection connection, String table, String copy, PartitionInterval interval)
            throws SQLException {
        return inTransaction(connection, () -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("LOCK TABLE " + qualified(table) + " IN ACCESS EXCLUSIVE MODE");
                statement.executeUpdate("INSERT INTO " + qualified(copy) + " SELECT * FROM " + qualified(table)
                        + " o WHERE NOT EXISTS (SELECT 1 FROM " + qualified(copy)
                        + " c WHERE c.id = o.id AND c.ts = o.ts) ON CONFLICT DO NOTHING");
                long before = count(statement, qualified(table));
                long after = count(statement, qualified(copy));
                if (before != after) {
                    throw new StoreException("the partitioned copy of " + schema + "." + table + " holds " + after
                            + " rows but the table holds " + before + "; nothing was swapped");
                }
                Map<String, String> views = new LinkedHashMap<>();
                try (PreparedStatement viewsOf = connection.prepareStatement(
                        "SELECT c.relname, pg_catalog.pg_get_viewdef(c.oid) FROM pg_catalog.pg_class c"
                                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                                + " WHERE n.nspname = ? AND c.relkind = 'v' ORDER BY c.oid")) {
                    viewsOf.setString(1, schema);
                    try (ResultSet rows = viewsOf.executeQuery()) {
                        while (rows.next()) {
                            views.put(rows.getString(1), rows.getString(2));
                        }
                    }
                }
                statement.execute("ALTER TABLE " + qualified(table) + " RENAME TO "
                        + PostgresDialect.quote(table + "_unpartitioned"));
                statement.execute("ALTER TABLE " + qualified(copy) + " RENAME TO " + PostgresDialect.quote(table));
                for (Map.Entry<String, String> view : views.entrySet()) {
                    statement.execute("CREATE OR REPLACE VIEW " + qualified(view.getKey()) + " AS " + view.getValue());
                }
                statement.execute("DROP TABLE " + qualified(table + "_unpartitioned"));
                List<String> renames = new ArrayList<>();
                try (PreparedStatement indexes = connection.prepareStatement(
                        "SELECT c.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
                                + " WHERE i.indrelid = CAST(? AS regclass) AND NOT i.indisprimary")) {
                    indexes.setString(1, qualified(table));
                    try (ResultSet rows = indexes.executeQuery()) {
                        while (rows.next()) {
                            renames.add(rows.getString(1));
                        }
                    }
                }
                for (String index : renames) {
                    if (index.endsWith(INDEX_SUFFIX)) {
                        statement.execute("ALTER INDEX " + qualified(index) + " RENAME TO " + PostgresDialect.quote(
                                index.substring(0, index.length() - INDEX_SUFFIX.length())));
                    }
                }
                statement.execute("ALTER TABLE " + qualified(table) + " RENAME CONSTRAINT "
                        + PostgresDialect.quote(copy + "_pkey") + " TO " + PostgresDialect.quote(table + "_pkey"));
                statement.execute("COMMENT ON TABLE " + qualified(table) + " IS '" + COMMENT_PREFIX
                        + interval.label() + "'");
                return "partitioned " + table + " by " + interval.label() + ": " + after + " row(s)";
            }
        });
    }

    private static long count(Statement statement, String relation) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + relation)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private boolean isPartitioned(Connection connection, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass(?)")) {
            statement.setString(1, qualified(table));
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && "p".equals(rows.getString(1));
            }
        }
    }

    private boolean exists(Connection connection, String relation) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_catalog.to_regclass(?) IS NOT NULL")) {
            statement.setString(1, qualified(relation));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private String qualified(String name) {
        return quotedSchema + "." + PostgresDialect.quote(name);
    }

    static List<String> tables() {
        List<String> tables = new ArrayList<>();
        for (EventKind kind : EventKind.values()) {
            tables.add(kind.table());
        }
        return tables;
    }

    /** A step of work that may fail with SQL. */
    interface Step<T> {
        T run() throws SQLException;
    }

    /** Runs {@code step} in one transaction on the autocommit {@code connection}, then restores autocommit. */
    static <T> T inTransaction(Connection connection, Step<T> step) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = step.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }
}
