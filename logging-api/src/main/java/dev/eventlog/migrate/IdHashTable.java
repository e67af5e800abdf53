package dev.eventlog.migrate;

import java.util.UUID;
import java.util.function.Consumer;

/**
 * Event ids with a short content fingerprint each and a "seen" mark, in open-addressed primitive
 * arrays (about 50 bytes per id, no object per entry): what a content check needs to know which
 * events it sent and which of them it has found again. Not thread-safe.
 */
final class IdHashTable {
    /** {@link #match} result: the id is not in the table. */
    static final int ABSENT = 0;
    /** {@link #match} result: the id is in the table with the same fingerprint. */
    static final int SAME = 1;
    /** {@link #match} result: the id is in the table with another fingerprint. */
    static final int DIFFERENT = 2;

    private static final byte EMPTY = 0;
    private static final byte UNSEEN = 1;
    private static final byte SEEN = 2;

    private long[] msb = new long[1024];
    private long[] lsb = new long[1024];
    private long[] hashes = new long[1024];
    private byte[] states = new byte[1024];
    private int size;
    private int seen;

    /** Adds {@code id} with {@code hash}; an id already present keeps its first hash. */
    void put(UUID id, long hash) {
        if ((size + 1) * 4 > msb.length * 3) {
            grow();
        }
        long hi = id.getMostSignificantBits();
        long lo = id.getLeastSignificantBits();
        int slot = find(msb, lsb, states, hi, lo);
        if (states[slot] == EMPTY) {
            msb[slot] = hi;
            lsb[slot] = lo;
            hashes[slot] = hash;
            states[slot] = UNSEEN;
            size++;
        }
    }

    /**
     * Looks {@code id} up, marks it seen and says whether its fingerprint matches.
     *
     * @return {@link #ABSENT}, {@link #SAME} or {@link #DIFFERENT}
     */
    int match(UUID id, long hash) {
        int slot = find(msb, lsb, states, id.getMostSignificantBits(), id.getLeastSignificantBits());
        if (states[slot] == EMPTY) {
            return ABSENT;
        }
        if (states[slot] == UNSEEN) {
            states[slot] = SEEN;
            seen++;
        }
        return hashes[slot] == hash ? SAME : DIFFERENT;
    }

    /** Whether {@code id} is in the table, matched or not. */
    boolean contains(UUID id) {
        int slot = find(msb, lsb, states, id.getMostSignificantBits(), id.getLeastSignificantBits());
        return states[slot] != EMPTY;
    }

    /** Whether {@code id} is in the table and was not matched yet. */
    boolean isUnseen(UUID id) {
        int slot = find(msb, lsb, states, id.getMostSignificantBits(), id.getLeastSignificantBits());
        return states[slot] == UNSEEN;
    }

    /** How many ids are in the table. */
    int size() {
        return size;
    }

    /** How many ids were never matched. */
    int unseen() {
        return size - seen;
    }

    /** Calls {@code action} with every id never matched, in no particular order. */
    void forEachUnseen(Consumer<UUID> action) {
        for (int i = 0; i < states.length; i++) {
            if (states[i] == UNSEEN) {
                action.accept(new UUID(msb[i], lsb[i]));
            }
        }
    }

    private static int find(long[] his, long[] los, byte[] used, long hi, long lo) {
        int mask = his.length - 1;
        long h = (hi ^ Long.rotateLeft(lo, 32)) * 0x9E3779B97F4A7C15L;
        int slot = (int) (h ^ (h >>> 32)) & mask;
        while (used[slot] != EMPTY && (his[slot] != hi || los[slot] != lo)) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] newMsb = new long[msb.length * 2];
        long[] newLsb = new long[msb.length * 2];
        long[] newHashes = new long[msb.length * 2];
        byte[] newStates = new byte[msb.length * 2];
        for (int i = 0; i < msb.length; i++) {
            if (states[i] != EMPTY) {
                int slot = find(newMsb, newLsb, newStates, msb[i], lsb[i]);
                newMsb[slot] = msb[i];
                newLsb[slot] = lsb[i];
                newHashes[slot] = hashes[i];
                newStates[slot] = states[i];
            }
        }
        msb = newMsb;
        lsb = newLsb;
        hashes = newHashes;
        states = newStates;
    }
}
