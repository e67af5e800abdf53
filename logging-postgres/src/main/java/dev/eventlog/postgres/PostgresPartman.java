package dev.eventlog.postgres;

import dev.eventlog.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * pg_partman and a store's partitioned tables (README, "pg_partman"): whether the extension is
 * installed in the database, which of the schema's tables are registered in its {@code part_config}
 * (those {@link PostgresPartitions} leaves alone), and handing the tables over to pg_partman 4.
 * Works on a connection in autocommit mode holding the schema's advisory lock, as
 * {@link PostgresPartitions} does. Not thread-safe on its own: the lock serialises its callers.
 */
final class PostgresPartman {
    private final String schema;
    private final String quotedSchema;

    PostgresPartman(String schema) {
        this.schema = schema;
        this.quotedSchema = PostgresDialect.quote(schema);
    }

    /**
     * pg_partman as installed in the database: the schema of its objects and its version.
     *
     * @param schema the schema holding {@code part_config} and {@code create_parent}
     * @param version the extension's version, e.g. {@code 4.7.2}
     */
    record Partman(String schema, String version) {
        int major() {
            return Integer.parseInt(version.replaceFirst("[^0-9].*$", "").isEmpty() ? "0"
                    : version.replaceFirst("[^0-9].*$", ""));
        }
    }

    /** pg_partman, when the extension is installed in the database; one catalogue query. */
    static Optional<Partman> partman(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT n.nspname, e.extversion FROM pg_catalog.pg_extension e"
                        + " JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_partman'")) {
            return rows.next() ? Optional.of(new Partman(rows.getString(1), rows.getString(2))) : Optional.empty();
        }
    }

    /** The tables of this schema registered in pg_partman's {@code part_config}; empty without pg_partman. */
    Set<String> tables(Connection connection) throws SQLException {
        Optional<Partman> partman = partman(connection);
        Set<String> managed = new HashSet<>();
        if (partman.isEmpty()) {
            return managed;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT parent_table FROM "
                + PostgresDialect.quote(partman.get().schema()) + ".part_config WHERE parent_table = ANY (?)")) {
            List<String> qualified = new ArrayList<>();
            for (String table : PostgresPartitions.tables()) {
                qualified.add(schema + "." + table);
            }
            statement.setArray(1, connection.createArrayOf("text", qualified.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    managed.add(rows.getString(1).substring(schema.length() + 1));
                }
            }
        }
        return managed;
    }

    /**
     * Registers every table not yet registered with pg_partman 4 ({@code create_parent}, native
     * partitioning on {@code ts}, the same interval, {@code ahead} partitions made ahead), each in
     * one transaction: this class's partitions are first renamed as pg_partman 4 names them
     * ({@code T_pYYYY_MM}, {@code T_pIYYYYwIW}, {@code T_pYYYY_MM_DD}; same bounds), so it takes them
     * as its own, and its partitions start with the earliest one. pg_partman creates the default
     * partition itself (of the same name), so ours is detached first and its rows are put back through
     * the table afterwards.
     *
     * @return one line per table registered
     * @throws StoreException when pg_partman is not installed in the database, or is not version 4
     */
    List<String> register(Connection connection, PartitionInterval interval, int ahead)
            throws SQLException {
        Partman partman = partman(connection).orElseThrow(() -> new StoreException("pg_partman is not installed in"
                + " the database of schema " + schema + ": install the package (Debian: postgresql-15-partman), then"
                + " CREATE SCHEMA partman; CREATE EXTENSION pg_partman SCHEMA partman"));
        if (partman.major() != 4) {
            throw new StoreException("pg_partman " + partman.version() + " is installed, but 'eventlog schema partman'"
                    + " registers tables with pg_partman 4 only; register them by hand with " + partman.schema()
                    + ".create_parent (see the README, \"pg_partman\")");
        }
        Set<String> managed = tables(connection);
        String partmanInterval = switch (interval) {
            case DAY -> "daily";
            case WEEK -> "weekly";
            case MONTH -> "monthly";
        };
        List<String> done = new ArrayList<>();
        for (String table : PostgresPartitions.tables()) {
            if (managed.contains(table)) {
                continue;
            }
            done.add(PostgresPartitions.inTransaction(connection, () -> {
                try (Statement statement = connection.createStatement()) {
                    // pg_partman 4 computes bounds and names in the session's time zone; ours are UTC.
                    statement.execute("SET LOCAL TimeZone = 'UTC'");
                }
                Instant first = null;
                int renamed = 0;
                for (Map.Entry<String, List<Instant[]>> entry : namedBounds(connection, table).entrySet()) {
                    Instant from = entry.getValue().get(0)[0];
                    first = first == null || from.isBefore(first) ? from : first;
                    String name = table + "_p" + partmanSuffix(interval, from);
                    if (!name.equals(entry.getKey())) {
                        try (Statement statement = connection.createStatement()) {
                            statement.execute("ALTER TABLE " + qualified(entry.getKey()) + " RENAME TO "
                                    + PostgresDialect.quote(name));
                        }
                        renamed++;
                    }
                }
                // pg_partman 4 creates the default partition itself: ours steps aside, and its rows go back in
                // through the parent once pg_partman's partitions exist.
                String asideName = table + "_default_eventlog";
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ALTER TABLE " + qualified(table) + " DETACH PARTITION "
                            + qualified(table + "_default"));
                    statement.execute("ALTER TABLE " + qualified(table + "_default") + " RENAME TO "
                            + PostgresDialect.quote(asideName));
                }
                try (PreparedStatement create = connection.prepareStatement("SELECT "
                        + PostgresDialect.quote(partman.schema()) + ".create_parent(p_parent_table := ?, p_control :="
                        + " 'ts', p_type := 'native', p_interval := ?, p_premake := ?, p_start_partition := ?)")) {
                    create.setString(1, schema + "." + table);
                    create.setString(2, partmanInterval);
                    create.setInt(3, Math.max(ahead, 1));
                    create.setString(4, first == null ? null
                            : OffsetDateTime.ofInstant(first, java.time.ZoneOffset.UTC).toString());
                    create.execute();
                }
                long moved;
                try (Statement statement = connection.createStatement()) {
                    moved = statement.executeUpdate("INSERT INTO " + qualified(table) + " SELECT * FROM "
                            + qualified(asideName));
                    statement.execute("DROP TABLE " + qualified(asideName));
                }
                return "registered " + table + " with pg_partman " + partman.version() + " (" + partmanInterval + ", "
                        + renamed + " partition(s) renamed as pg_partman names them, " + moved
                        + " row(s) of the default partition put back through the table)";
            }));
        }
        return done;
    }

    /** The suffix pg_partman 4 names the partition starting at {@code from} with: its datetime_string. */
    static String partmanSuffix(PartitionInterval interval, Instant from) {
        LocalDate day = LocalDate.ofInstant(from, java.time.ZoneOffset.UTC);
        return switch (interval) {
            case DAY -> String.format(java.util.Locale.ROOT, "%04d_%02d_%02d", day.getYear(), day.getMonthValue(),
                    day.getDayOfMonth());
            case WEEK -> String.format(java.util.Locale.ROOT, "%04dw%02d",
                    day.get(java.time.temporal.IsoFields.WEEK_BASED_YEAR),
                    day.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case MONTH -> String.format(java.util.Locale.ROOT, "%04d_%02d", day.getYear(), day.getMonthValue());
        };
    }

    /** The partitions of {@code table} other than the default one, by name, with their bounds. */
    private Map<String, List<Instant[]>> namedBounds(Connection connection, String table) throws SQLException {
        Map<String, List<Instant[]>> named = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT c.relname, CAST(m[1] AS timestamptz), CAST(m[2] AS timestamptz)"
                        + " FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid,"
                        + " LATERAL regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid),"
                        + " '^FOR VALUES FROM \\(''([^'']+)''\\) TO \\(''([^'']+)''\\)$') m"
                        + " WHERE m IS NOT NULL AND i.inhparent = pg_catalog.to_regclass(?) ORDER BY 2")) {
            statement.setString(1, qualified(table));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    named.put(rows.getString(1), List.<Instant[]>of(new Instant[] {
                            rows.getObject(2, OffsetDateTime.class).toInstant(),
                            rows.getObject(3, OffsetDateTime.class).toInstant()}));
                }
            }
        }
        return named;
    }


    private String qualified(String name) {
        return quotedSchema + "." + PostgresDialect.quote(name);
    }
}
