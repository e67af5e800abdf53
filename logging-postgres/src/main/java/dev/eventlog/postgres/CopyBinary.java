package dev.eventlog.postgres;

import dev.eventlog.jdbc.RowSink;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * A {@link RowSink} that spells rows in PostgreSQL's binary {@code COPY … FROM STDIN (FORMAT
 * binary)} format, for the tables of the store's changelog: {@code uuid} ids (16 bytes),
 * {@code timestamptz} times (microseconds since 2000-01-01 UTC), {@code text} and {@code jsonb}
 * (version 1, then the JSON text) in UTF-8, {@code bigint}, {@code double precision} and
 * {@code boolean}; a length of -1 for null. The server parses none of it as text, which is what
 * makes a binary {@code COPY} cheaper than the text format for times and ids.
 * Which value goes in which column is the {@link dev.eventlog.jdbc.ColumnPlan}'s.
 *
 * <p>The bytes collect in a growing buffer: {@link #header()} once, then per row
 * {@link #start(int)}, the plan's values, and after the last row {@link #trailer()};
 * {@link #bytes()} and {@link #length()} are what to send, {@link #clear()} empties the buffer
 * between chunks. Not thread-safe: one instance per COPY.
 */
final class CopyBinary implements RowSink {
    /** Milliseconds between the Unix epoch and PostgreSQL's epoch, 2000-01-01T00:00:00Z. */
    private static final long PG_EPOCH_MILLIS = 946_684_800_000L;
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final byte JSONB_VERSION = 1;

    private byte[] buffer;
    private int length;

    CopyBinary(int capacity) {
        this.buffer = new byte[capacity];
    }

    /** The signature, no flags and no header extension: the start of the stream. */
    void header() {
        ensure(SIGNATURE.length + 8);
        System.arraycopy(SIGNATURE, 0, buffer, length, SIGNATURE.length);
        length += SIGNATURE.length;
        putInt(0);
        putInt(0);
    }

    /** Begins a row of {@code columns} fields. */
    void start(int columns) {
        ensure(2);
        putShort(columns);
    }

    /** The end of the stream. */
    void trailer() {
        ensure(2);
        putShort(-1);
    }

    /** A 4-byte big-endian integer on its own: not a field (a {@code record_send} count or type OID). */
    void int4(int value) {
        ensure(4);
        putInt(value);
    }

    byte[] bytes() {
        return buffer;
    }

    int length() {
        return length;
    }

    void clear() {
        length = 0;
    }

    @Override
    public void id(UUID id) {
        ensure(20);
        putInt(16);
        putLong(id.getMostSignificantBits());
        putLong(id.getLeastSignificantBits());
    }

    @Override
    public void time(Instant ts) {
        ensure(12);
        putInt(8);
        // Event times are whole milliseconds between 1970 and 9999 (Envelope refuses others).
        putLong((ts.toEpochMilli() - PG_EPOCH_MILLIS) * 1_000L);
    }

    @Override
    public void text(String value) {
        if (value == null) {
            putNull();
            return;
        }
        utf8(value, false);
    }

    @Override
    public void json(String value) {
        if (value == null) {
            putNull();
            return;
        }
        utf8(value, true);
    }

    @Override
    public void integer(Long value) {
        if (value == null) {
            putNull();
            return;
        }
        ensure(12);
        putInt(8);
        putLong(value);
    }

    @Override
    public void real(Double value) {
        if (value == null) {
            putNull();
            return;
        }
        ensure(12);
        putInt(8);
        putLong(Double.doubleToLongBits(value));
    }

    @Override
    public void bool(Boolean value) {
        if (value == null) {
            putNull();
            return;
        }
        ensure(5);
        putInt(1);
        buffer[length++] = (byte) (value ? 1 : 0);
    }

    private void putNull() {
        ensure(4);
        putInt(-1);
    }

    /**
     * The field's length, then {@code value} in UTF-8 (after the jsonb version byte when
     * {@code jsonb}). A lone surrogate becomes {@code '?'}, as {@link String#getBytes} spells it.
     */
    private void utf8(String value, boolean jsonb) {
        int n = value.length();
        ensure(4 + 1 + 3 * n);
        int lengthAt = length;
        length += 4;
        if (jsonb) {
            buffer[length++] = JSONB_VERSION;
        }
        byte[] out = buffer;
        int at = length;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | (c >> 6));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, value.charAt(++i));
                    out[at++] = (byte) (0xF0 | (cp >> 18));
                    out[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    out[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    out[at++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    out[at++] = '?';
                }
            } else {
                out[at++] = (byte) (0xE0 | (c >> 12));
                out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        int fieldLength = at - lengthAt - 4;
        length = lengthAt;
        putInt(fieldLength);
        length = at;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }

    private void putShort(int v) {
        buffer[length++] = (byte) (v >> 8);
        buffer[length++] = (byte) v;
    }

    private void putInt(int v) {
        buffer[length++] = (byte) (v >> 24);
        buffer[length++] = (byte) (v >> 16);
        buffer[length++] = (byte) (v >> 8);
        buffer[length++] = (byte) v;
    }

    private void putLong(long v) {
        putInt((int) (v >> 32));
        putInt((int) v);
    }
}
