package dev.eventlog.migrate;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * An order-independent digest of a set of events: the sum, lane by lane modulo 2^64, of their
 * SHA-256 fingerprints. Unlike XOR, a sum does not let two equal events cancel out. Not
 * thread-safe.
 */
final class ContentDigest {
    private final long[] lanes = new long[4];
    private long count;

    /** Adds one event's 32-byte fingerprint. */
    void add(byte[] fingerprint) {
        ByteBuffer bytes = ByteBuffer.wrap(fingerprint);
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] += bytes.getLong();
        }
        count++;
    }

    /** How many events were added. */
    long count() {
        return count;
    }

    /** The digest as 64 hex digits. */
    String hex() {
        ByteBuffer bytes = ByteBuffer.allocate(32);
        for (long lane : lanes) {
            bytes.putLong(lane);
        }
        return HexFormat.of().formatHex(bytes.array());
    }

    /** The first 8 bytes of a fingerprint, enough to tell two versions of one event apart. */
    static long shortForm(byte[] fingerprint) {
        return ByteBuffer.wrap(fingerprint).getLong();
    }
}
