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
    private final Map<EventKind, String> utf8Queries = new EnumMap<>(EventKind.class);
    private final Map<EventKind, String> otherQueries = new EnumMap<>(EventKind.class);
    /** Whether the server's encoding is UTF-8: unknown (null) until the first sums are asked. */
    private volatile Boolean utf8Server;

    PostgresRowDigests(PostgresDialect dialect, PooledConnections connections) {
        this.dialect = dialect;
        this.connections = connections;
        for (EventKind kind : EventKind.values()) {
            utf8Queries.put(kind, sumsSql(dialect.table(kind), ColumnPlan.of(kind), true));
            otherQueries.put(kind, sumsSql(dialect.table(kind), ColumnPlan.of(kind), false));
        }
    }

    /**
     * The SQL that sums one table's row hashes per bucket of event time. The hashed bytes are the
     * same whatever the server, but the server spends as little as it can on them, for the check
     * reads every row of an import back: the length of a fixed-size value is a constant rather
     * than the length of its send function's output (which PostgreSQL would compute twice), a
     * text's length is its {@code octet_length} when the server's encoding is the client's
     * (UTF-8), and the bucket is computed in {@code double precision}, exact for whole
     * milliseconds, rather than in {@code numeric}.
     *
     * @param utf8 whether the server's encoding is UTF-8, so that a text's stored bytes are the
     *     ones its send function gives the client
     */
    static String sumsSql(String table, ColumnPlan plan, boolean utf8) {
        StringJoiner row = new StringJoiner(" || ");
        for (ColumnPlan.Column column : plan.columns()) {
            String name = column.name();
            String field = switch (column.type()) {
                case ID -> "'\\x00000010'::bytea || uuid_send(" + name + ")";
                case TIME -> "'\\x00000008'::bytea || timestamptz_send(" + name + ")";
                case INTEGER -> "'\\x00000008'::bytea || int8send(" + name + ")";
                case REAL -> "'\\x00000008'::bytea || float8send(" + name + ")";
                case BOOLEAN -> "'\\x00000001'::bytea || boolsend(" + name + ")";
                case TEXT -> "int4send(octet_length(" + (utf8 ? name : "textsend(" + name + ")") + ")) || textsend("
                        + name + ")";
                case JSON -> "int4send(octet_length(jsonb_send(" + name + "))) || jsonb_send(" + name + ")";
            };
            row.add("coalesce(" + field + ", '\\xffffffff'::bytea)");
        }
        return "SELECT floor(date_part('epoch', ts) * 1000 / " + BUCKET_MILLIS + ")::bigint, count(*),"
                + " sum(('x' || left(md5(" + row + "), 16))::bit(64)::bigint) FROM " + table
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
            try (PreparedStatement statement = connection.prepareStatement(
                    (utf8(connection) ? utf8Queries : otherQueries).get(kind))) {
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

    private boolean utf8(Connection connection) throws SQLException {
        Boolean utf8 = utf8Server;
        if (utf8 == null) {
            try (PreparedStatement statement = connection.prepareStatement("SHOW server_encoding");
                    ResultSet result = statement.executeQuery()) {
                utf8 = result.next() && "UTF8".equalsIgnoreCase(result.getString(1));
            }
            utf8Server = utf8;
        }
        return utf8;
    }

    /** Spells an event's row as the send functions would and hashes it; one per thread. */
    private final class RowHasher implements Hasher, RowSink {
        private final CopyBinary out = new CopyBinary(1024);
        private final MessageDigest md5 = BucketSums.md5();

        @Override
        public long hash(Event event) {
            out.clear();
            try {
                ColumnPlan.of(event.kind()).write(event, dialect, this);
            } catch (SQLException e) {
                throw new IllegalStateException("spelling a row in memory cannot fail: " + e.getMessage(), e);
            }
            return BucketSums.rowHash(md5, out.bytes(), out.length());
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
