package dev.eventlog.migrate;

import dev.eventlog.Event;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The SHA-256 of an event's canonical encoding: kind, id, time in epoch milliseconds, session,
 * source, every typed field in column order (nulls included) and the attributes with their keys
 * sorted at every depth. Every value is written with a type tag and every text with its length,
 * so no two different events encode alike. Two stores that keep an event exactly alike give it
 * the same fingerprint, whatever order they keep attribute keys in. Not thread-safe: one per
 * thread.
 */
final class EventFingerprints {
    private static final byte NULL = 0;
    private static final byte TEXT = 1;
    private static final byte INTEGER = 2;
    private static final byte REAL = 3;
    private static final byte BOOLEAN = 4;
    private static final byte OBJECT = 5;
    private static final byte ARRAY = 6;

    private final MessageDigest sha256;
    private final ByteBuffer scratch = ByteBuffer.allocate(Long.BYTES * 2);

    EventFingerprints() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The 32-byte SHA-256 of {@code event}'s canonical encoding. */
    byte[] of(Event event) {
        text(event.kind().key());
        scratch.clear();
        scratch.putLong(event.id().getMostSignificantBits()).putLong(event.id().getLeastSignificantBits());
        sha256.update(scratch.array(), 0, 16);
        number(INTEGER, event.ts().toEpochMilli());
        value(event.sessionId());
        value(event.source());
        int fields = event.kind().fields().size();
        for (int i = 0; i < fields; i++) {
            value(event.field(i));
        }
        value(event.attributes());
        return sha256.digest();
    }

    private void value(Object value) {
        if (value == null) {
            sha256.update(NULL);
        } else if (value instanceof String s) {
            text(s);
        } else if (value instanceof Long l) {
            number(INTEGER, l);
        } else if (value instanceof Double d) {
            number(REAL, Double.doubleToLongBits(d));
        } else if (value instanceof Boolean b) {
            sha256.update(BOOLEAN);
            sha256.update((byte) (b ? 1 : 0));
        } else if (value instanceof Map<?, ?> map) {
            List<String> keys = new ArrayList<>(map.size());
            map.keySet().forEach(k -> keys.add((String) k));
            keys.sort(null);
            number(OBJECT, keys.size());
            for (String key : keys) {
                text(key);
                value(map.get(key));
            }
        } else if (value instanceof List<?> list) {
            number(ARRAY, list.size());
            for (Object item : list) {
                value(item);
            }
        } else {
            // Events normalise their values to the types above; anything else is compared by its text.
            text(value.getClass().getName() + ":" + value);
        }
    }

    private void text(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        number(TEXT, bytes.length);
        sha256.update(bytes);
    }

    private void number(byte tag, long number) {
        scratch.clear();
        scratch.put(tag).putLong(number);
        sha256.update(scratch.array(), 0, 9);
    }
}
