package dev.eventlog.postgres;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.jdbc.BucketSums;
import dev.eventlog.jdbc.ColumnPlan;
import dev.eventlog.jdbc.RowSink;
import dev.eventlog.spi.RowDigests;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * the MD5 of its columns in table order, each as PostgreSQL's binary send function spells it
 * ({@code uuid_send}, {@code timestamptz_send}, {@code textsend}, {@code jsonb_send},
 * {@code int8send}, {@code float8send}, {@code boolsend}) after its length as 4 bytes, a null as
 * the length -1 alone: the field layout of a binary {@code COPY} tuple. The client spells an
 * event the same way with {@link CopyBinary}, except that a JSON value is first put in the form
 * {@code jsonb} prints ({@link JsonbText}); the database computes the same bytes from the stored
 * row in SQL, so neither side ever parses the other's text. Thread-safe; its hashers are not.
 */
final class PostgresRowDigests implements RowDigests {
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

    /** The SQL that sums one table's row hashes per bucket of event time. */
    static String sumsSql(String table, ColumnPlan plan) {
        StringJoiner row = new StringJoiner(" || ");
        for (ColumnPlan.Column column : plan.columns()) {
            String send = switch (column.type()) {
                case ID -> "uuid_send";
                case TIME -> "timestamptz_send";
                case TEXT -> "textsend";
                case JSON -> "jsonb_send";
                case INTEGER -> "int8send";
                case REAL -> "float8send";
                case BOOLEAN -> "boolsend";
            };
            String value = send + "(" + column.name() + ")";
            row.add("coalesce(int4send(octet_length(" + value + ")) || " + value + ", '\\xffffffff'::bytea)");
        }
        return "SELECT div((extract(epoch FROM ts) * 1000)::numeric, " + BUCKET_MILLIS + ")::bigint, count(*),"
                + " sum(('x' || substr(md5(" + row + "), 1, 16))::bit(64)::bigint) FROM " + table
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

    private Map<Long, Bucket> sumsOf(EventKind kind, Instant from, Instant until) {
        Map<Long, Bucket> buckets = new HashMap<>();
        Connection connection = null;
        try {
            connection = connections.acquire(false);
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
            connection.rollback();
        } catch (SQLException e) {
            throw new StoreException("cannot sum the row hashes of " + dialect.table(kind) + ": " + e.getMessage(), e);
        } finally {
            if (connection != null) {
                try {
                    connections.release(connection, false);
                } catch (SQLException e) {
                    throw new StoreException("could not release a connection: " + e.getMessage(), e);
                }
            }
        }
        return buckets;
    }

    /** Spells an event's row as the send functions would and hashes it; one per thread. */
    private final class RowHasher implements Hasher, RowSink {
        private final CopyBinary out = new CopyBinary(1024);
        private final MessageDigest md5;

        RowHasher() {
            try {
                md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("MD5 is required by every Java platform", e);
            }
        }

        @Override
        public long hash(Event event) {
            out.clear();
            try {
                ColumnPlan.of(event.kind()).write(event, dialect, this);
            } catch (SQLException e) {
                throw new IllegalStateException("spelling a row in memory cannot fail: " + e.getMessage(), e);
            }
            md5.update(out.bytes(), 0, out.length());
            byte[] digest = md5.digest();
            long hash = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                hash = (hash << 8) | (digest[i] & 0xFF);
            }
            return hash;
        }

        @Override
        public void id(UUID id) {
            out.id(id);
        }

        @Override
        public void time(Instant ts) {
            out.time(ts);
        }

        @Override
        public void text(String value) {
            out.text(value);
        }

        @Override
        public void json(String value) {
            out.json(value == null ? null : JsonbText.of(value));
        }

        @Override
        public void integer(Long value) {
            out.integer(value);
        }

        @Override
        public void real(Double value) {
            out.real(value);
        }

        @Override
        public void bool(Boolean value) {
            out.bool(value);
        }
    }
}
