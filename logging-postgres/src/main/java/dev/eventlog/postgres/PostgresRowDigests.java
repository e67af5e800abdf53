package dev.eventlog.postgres;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.jdbc.BucketSums;
import dev.eventlog.jdbc.ColumnPlan;
import dev.eventlog.jdbc.RowSink;
import dev.eventlog.spi.RowDigests;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * {@link RowDigests} for the PostgreSQL store. A row's hash is the first 8 bytes (big-endian) of
 * the MD5 of the row as PostgreSQL's {@code record_send} spells a record of the plan's columns in
 * table order: the number of columns as 4 bytes, then per column its type's OID as 4 bytes, the
 * length of the value as 4 bytes (-1 for a null, with nothing after it) and the value as its
 * binary send function spells it ({@code uuid_send}, {@code timestamptz_send}, {@code textsend},
 * {@code jsonb_send}, {@code int8send}, {@code float8send}, {@code boolsend}). The client spells
 * an event the same way with {@link CopyBinary}, except that a JSON value is first put in the form
 * {@code jsonb} prints ({@link JsonbText}); the database computes the same bytes from the stored
 * row in SQL, so neither side ever parses the other's text. Thread-safe; its hashers are not.
 */
final class PostgresRowDigests implements RowDigests {
    // The OIDs of the types the plan's columns are spelled as: fixed in PostgreSQL's catalog.
    private static final int BOOL_OID = 16;
    private static final int INT8_OID = 20;
    private static final int TEXT_OID = 25;
    private static final int FLOAT8_OID = 701;
    private static final int TIMESTAMPTZ_OID = 1184;
    private static final int UUID_OID = 2950;
    private static final int JSONB_OID = 3802;

    private final PostgresDialect dialect;
    private final PooledConnections connections;
    private final Map<EventKind, String> queries = new EnumMap<>(EventKind.class);

    PostgresRowDigests(PostgresDialect dialect, PooledConnections connections) {
        this.dialect = dialect;
        this.connections = connections;
        for (EventKind kind : EventKind.values()) {
            queries.put(kind, sumsSql(dialect.table(kind), ColumnPlan.of(kind)));
        }
    }

    /**
     * The SQL that sums one table's row hashes per bucket of event time. The check reads every row
     * of an import back, so the server spends as little as it can on a row: {@code record_send}
     * spells the whole row in one buffer (concatenating each field's bytes with {@code ||} built a
     * new value per column and cost the server about twice the CPU over a million rows), each
     * column cast to the type the plan spells it as, so that the OIDs in the bytes are the ones the
     * client writes whatever the column's declared type; the bucket is computed in {@code double
     * precision}, exact for whole milliseconds, rather than in {@code numeric}.
     */
    static String sumsSql(String table, ColumnPlan plan) {
        StringJoiner row = new StringJoiner(", ");
        for (ColumnPlan.Column column : plan.columns()) {
            row.add(column.name() + "::" + switch (column.type()) {
                case ID -> "uuid";
                case TIME -> "timestamptz";
                case TEXT -> "text";
                case JSON -> "jsonb";
                case INTEGER -> "bigint";
                case REAL -> "double precision";
                case BOOLEAN -> "boolean";
            });
        }
        return "SELECT floor(date_part('epoch', ts) * 1000 / " + BUCKET_MILLIS + ")::bigint, count(*),"
                + " sum(('x' || left(md5(record_send(ROW(" + row + "))), 16))::bit(64)::bigint) FROM " + table
                + " WHERE ts >= ? AND ts < ? GROUP BY 1";
    }

    @Override
    public Hasher hasher() {
        return new RowHasher();
    }

    /**
     * {@inheritDoc} A range of more than two hours is summed as two queries at once on two of the
     * pool's connections (when the store's own pool holds two), each over one half.
     */
    @Override
    public Map<Long, Bucket> sums(EventKind kind, Instant from, Instant until) {
        return BucketSums.of(from, until, connections.holdsTwoAtOnce(), (start, end) -> sumsOf(kind, start, end));
    }

    /** {@inheritDoc} Yes when the store's own pool holds two connections or more. */
    @Override
    public boolean sumsWhileAppending() {
        return connections.holdsTwoAtOnce();
    }

    private Map<Long, Bucket> sumsOf(EventKind kind, Instant from, Instant until) {
        return BucketSums.read(connections, dialect.table(kind), connection -> {
            Map<Long, Bucket> buckets = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(queries.get(kind))) {
                dialect.bindTime(statement, 1, from);
                dialect.bindTime(statement, 2, until);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        BigDecimal sum = rows.getBigDecimal(3);
                        buckets.put(rows.getLong(1), new Bucket(rows.getLong(2), sum.toBigInteger().longValue()));
                    }
                }
            }
            return buckets;
        });
    }

    /** Spells an event's row as {@code record_send} would and hashes it; one per thread. */
    private final class RowHasher implements Hasher, RowSink {
        private final CopyBinary out = new CopyBinary(1024);
        private final MessageDigest md5 = BucketSums.md5();

        @Override
        public long hash(Event event) {
            out.clear();
            ColumnPlan plan = ColumnPlan.of(event.kind());
            out.int4(plan.columns().size());
            try {
                plan.write(event, dialect, this);
            } catch (SQLException e) {
                throw new IllegalStateException("spelling a row in memory cannot fail: " + e.getMessage(), e);
            }
            return BucketSums.rowHash(md5, out.bytes(), out.length());
        }

        @Override
        public void id(UUID id) {
            out.int4(UUID_OID);
            out.id(id);
        }

        @Override
        public void time(Instant ts) {
            out.int4(TIMESTAMPTZ_OID);
            out.time(ts);
        }

        @Override
        public void text(String value) {
            out.int4(TEXT_OID);
            out.text(value);
        }

        @Override
        public void json(String value) {
            out.int4(JSONB_OID);
            out.json(value == null ? null : JsonbText.of(value));
        }

        @Override
        public void integer(Long value) {
            out.int4(INT8_OID);
            out.integer(value);
        }

        @Override
        public void real(Double value) {
            out.int4(FLOAT8_OID);
            out.real(value);
        }

        @Override
        public void bool(Boolean value) {
            out.int4(BOOL_OID);
            out.bool(value);
        }
    }
}
