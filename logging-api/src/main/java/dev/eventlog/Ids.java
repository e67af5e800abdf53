package dev.eventlog;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Event ids: time-ordered UUIDs in the version 7 layout, so that database indexes grow at one
 * end instead of taking random inserts.
 *
 * <p>Thread-safe.
 */
public final class Ids {
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    });

    private Ids() {
    }

    /** A new random version 7 UUID whose first 48 bits are {@code epochMillis}. */
    public static UUID next(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return layout(epochMillis, random.nextLong(), random.nextLong());
    }

    /**
     * A deterministic version 7 UUID for {@code epochMillis} whose remaining bits come from the
     * SHA-256 of {@code content}: the same content always yields the same id.
     */
    public static UUID derived(long epochMillis, byte[] content) {
        ByteBuffer bytes = ByteBuffer.wrap(SHA_256.get().digest(content));
        return layout(epochMillis, bytes.getLong(), bytes.getLong());
    }

    /** The milliseconds since the epoch that a version 7 id carries. */
    public static long epochMillis(UUID id) {
        return id.getMostSignificantBits() >>> 16;
    }

    private static UUID layout(long epochMillis, long randA, long randB) {
        long msb = (epochMillis << 16) | 0x7000L | (randA & 0x0FFFL);
        long lsb = (randB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
