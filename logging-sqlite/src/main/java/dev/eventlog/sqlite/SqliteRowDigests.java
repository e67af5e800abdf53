package dev.eventlog.sqlite;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.jdbc.BucketSums;
import dev.eventlog.jdbc.ColumnPlan;
import dev.eventlog.jdbc.ConnectionSource;
import dev.eventlog.jdbc.RowSink;
import dev.eventlog.spi.RowDigests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@link RowDigests} for the SQLite store. A row's hash is the first 8 bytes (big-endian) of the
 * MD5 of its columns in table order, each spelled by the storage class SQLite keeps it in: a
 * null as the byte 0; text (the id, texts, JSON) as 1, its UTF-8 length in 4 bytes and the UTF-8
 * bytes; an integer (the time in epoch milliseconds, integers, booleans as 0 or 1) as 2 and 8
 * bytes; a real as 3 and the double's 8 bytes. The client spells an event as the inserter binds
 * it ({@link ColumnPlan#write}); the store spells each stored row from its columns' bytes and
 * numbers as SQLite returns them, without building an event, parsing its JSON or sorting the
 * rows — the database is in the process, so the rows never cross a network, and the sums need
 * neither an id table nor temporary files, where a read-back compares every event by id. A value
 * another writer stored in another form (an upper-case id, a number as text) makes its hour
 * differ, and that hour is then read back and compared event by event. Thread-safe; its hashers
 * are not.
 */
final class SqliteRowDigests implements RowDigests {
    private static final byte NULL = 0;
    private static final byte TEXT = 1;
    private static final byte INTEGER = 2;
    private static final byte REAL = 3;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final ConnectionSource connections;

    SqliteRowDigests(ConnectionSource connections) {
        // Nothing per kind here: every store open makes one, and a kind's columns are derived at its first use.
        this.connections = connections;
    }

    @Override
    public Hasher hasher() {
        return new RowHasher();
    }

    /**
     * {@inheritDoc} A range of more than two hours is summed as two queries at once, each on a read
     * connection of its own over one half (WAL readers do not wait for each other).
     */
    @Override
    public Map<Long, Bucket> sums(EventKind kind, Instant from, Instant until) {
        return BucketSums.of(from, until, true, (start, end) -> sumsOf(kind, start, end));
    }

    private Map<Long, Bucket> sumsOf(EventKind kind, Instant from, Instant until) {
        List<ColumnPlan.Column> columns = ColumnPlan.of(kind).columns();
        Map<Long, long[]> sums = new HashMap<>();
        RowBytes row = new RowBytes();
        return BucketSums.read(connections, SqliteDialect.INSTANCE.table(kind), connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + ColumnPlan.of(kind).columnList()
                    + " FROM " + SqliteDialect.INSTANCE.table(kind) + " WHERE ts >= ? AND ts < ?")) {
                statement.setLong(1, from.toEpochMilli());
                statement.setLong(2, until.toEpochMilli());
                long lastBucket = Long.MIN_VALUE;
                long[] last = null;
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        row.clear();
                        for (int i = 0; i < columns.size(); i++) {
                            row.column(rows, i + 1, columns.get(i).type());
                        }
                        long bucket = Math.floorDiv(row.time, BUCKET_MILLIS);
                        if (bucket != lastBucket) {
                            last = sums.computeIfAbsent(bucket, b -> new long[2]);
                            lastBucket = bucket;
                        }
                        last[0]++;
                        last[1] += row.hash();
                    }
                }
            }
            Map<Long, Bucket> buckets = new HashMap<>();
            sums.forEach((bucket, sum) -> buckets.put(bucket, new Bucket(sum[0], sum[1])));
            return buckets;
        });
    }

    /** Spells an event's row as {@link RowBytes} does a stored one, and hashes it; one per thread. */
    private static final class RowHasher implements Hasher, RowSink {
        private final RowBytes out = new RowBytes();

        @Override
        public long hash(Event event) {
            out.clear();
            try {
                ColumnPlan.of(event.kind()).write(event, SqliteDialect.INSTANCE, this);
            } catch (SQLException e) {
                throw new IllegalStateException("spelling a row in memory cannot fail: " + e.getMessage(), e);
            }
            return out.hash();
        }

        @Override
        public void id(UUID id) {
            out.uuid(id);
        }

        @Override
        public void time(Instant ts) {
            out.number(INTEGER, ts.toEpochMilli());
        }

        @Override
        public void text(String value) {
            out.text(value);
        }

        @Override
        public void json(String value) {
            out.text(value);
        }

        @Override
        public void integer(Long value) {
            if (value == null) {
                out.nul();
            } else {
                out.number(INTEGER, value);
            }
        }

        @Override
        public void real(Double value) {
            if (value == null) {
                out.nul();
            } else {
                out.number(REAL, Double.doubleToLongBits(value));
            }
        }

        @Override
        public void bool(Boolean value) {
            if (value == null) {
                out.nul();
            } else {
                out.number(INTEGER, value ? 1 : 0);
            }
        }
    }

    /** The bytes of one row as the hash spells them, and their hash. Not thread-safe. */
    private static final class RowBytes {
        private final MessageDigest md5 = BucketSums.md5();
        private byte[] bytes = new byte[1024];
        private int length;
        /** The time column of the last row read by {@link #column}. */
        long time;

        void clear() {
            length = 0;
        }

        /** Appends column {@code index} of the current row of {@code rows}, read as its type is stored. */
        void column(ResultSet rows, int index, ColumnPlan.ColumnType type) throws SQLException {
            switch (type) {
                case ID, TEXT, JSON -> {
                    // SQLite hands a text value's UTF-8 bytes over as they are: no decoding into a String.
                    byte[] text = rows.getBytes(index);
                    if (text == null) {
                        nul();
                    } else {
                        utf8(text, text.length);
                    }
                }
                case TIME -> {
                    // NOT NULL in every table: no wasNull() (one more call into the driver a row).
                    time = rows.getLong(index);
                    number(INTEGER, time);
                }
                case INTEGER, BOOLEAN -> {
                    long value = rows.getLong(index);
                    if (rows.wasNull()) {
                        nul();
                    } else {
                        number(INTEGER, value);
                    }
                }
                case REAL -> {
                    double value = rows.getDouble(index);
                    if (rows.wasNull()) {
                        nul();
                    } else {
                        number(REAL, Double.doubleToLongBits(value));
                    }
                }
            }
        }

        void nul() {
            ensure(1);
            bytes[length++] = NULL;
        }

        /**
         * Appends {@code value} as its UTF-8 text: text of ASCII (most of an import's) is copied
         * char by char into the buffer, any other text through {@link String#getBytes}, which
         * spells it the same way the driver binds it.
         */
        void text(String value) {
            if (value == null) {
                nul();
                return;
            }
            int count = value.length();
            ensure(5 + count);
            int start = length;
            bytes[length++] = TEXT;
            putInt(count);
            for (int i = 0; i < count; i++) {
                char c = value.charAt(i);
                if (c >= 0x80) {
                    length = start;
                    byte[] text = value.getBytes(StandardCharsets.UTF_8);
                    utf8(text, text.length);
                    return;
                }
                bytes[length++] = (byte) c;
            }
        }

        /** Appends {@code id} as the text of {@link UUID#toString()}, without making that text. */
        void uuid(UUID id) {
            ensure(5 + 36);
            bytes[length++] = TEXT;
            putInt(36);
            long most = id.getMostSignificantBits();
            long least = id.getLeastSignificantBits();
            hex(most >>> 32, 8);
            bytes[length++] = '-';
            hex(most >>> 16, 4);
            bytes[length++] = '-';
            hex(most, 4);
            bytes[length++] = '-';
            hex(least >>> 48, 4);
            bytes[length++] = '-';
            hex(least, 12);
        }

        private void hex(long value, int digits) {
            for (int i = digits - 1; i >= 0; i--) {
                bytes[length + i] = HEX[(int) (value & 0xF)];
                value >>>= 4;
            }
            length += digits;
        }

        void utf8(byte[] text, int count) {
            ensure(5 + count);
            bytes[length++] = TEXT;
            putInt(count);
            System.arraycopy(text, 0, bytes, length, count);
            length += count;
        }

        void number(byte tag, long value) {
            ensure(9);
            bytes[length++] = tag;
            putInt((int) (value >>> 32));
            putInt((int) value);
        }

        long hash() {
            return BucketSums.rowHash(md5, bytes, length);
        }

        private void putInt(int value) {
            bytes[length++] = (byte) (value >>> 24);
            bytes[length++] = (byte) (value >>> 16);
            bytes[length++] = (byte) (value >>> 8);
            bytes[length++] = (byte) value;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
