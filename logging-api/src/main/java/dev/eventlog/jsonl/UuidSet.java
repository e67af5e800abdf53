package dev.eventlog.jsonl;

import java.util.UUID;

/**
 * A set of UUIDs in open-addressed primitive arrays: about 32 bytes per id, no object per entry.
 * Not thread-safe.
 */
final class UuidSet {
    private long[] msb = new long[2048];
    private long[] lsb = new long[2048];
    private int size;

    /** Adds {@code id}; returns false when it was already present. */
    public boolean add(UUID id) {
        if ((size + 1) * 2 > msb.length) {
            grow();
        }
        return insert(msb, lsb, id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    /** Whether {@code id} is present. */
    public boolean contains(UUID id) {
        long hi = id.getMostSignificantBits();
        long lo = id.getLeastSignificantBits();
        int mask = msb.length - 1;
        int slot = slot(hi, lo, mask);
        while (msb[slot] != 0 || lsb[slot] != 0) {
            if (msb[slot] == hi && lsb[slot] == lo) {
                return true;
            }
            slot = (slot + 1) & mask;
        }
        return false;
    }

    /** How many ids are present. */
    public int size() {
        return size;
    }

    // The all-zero UUID marks an empty slot; it is no valid event id (no version bits).
    private boolean insert(long[] his, long[] los, long hi, long lo) {
        int mask = his.length - 1;
        int slot = slot(hi, lo, mask);
        while (his[slot] != 0 || los[slot] != 0) {
            if (his[slot] == hi && los[slot] == lo) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        his[slot] = hi;
        los[slot] = lo;
        if (his == msb) {
            size++;
        }
        return true;
    }

    private void grow() {
        long[] oldMsb = msb;
        long[] oldLsb = lsb;
        long[] newMsb = new long[oldMsb.length * 2];
        long[] newLsb = new long[oldMsb.length * 2];
        for (int i = 0; i < oldMsb.length; i++) {
            if (oldMsb[i] != 0 || oldLsb[i] != 0) {
                insert(newMsb, newLsb, oldMsb[i], oldLsb[i]);
            }
        }
        msb = newMsb;
        lsb = newLsb;
    }

    private static int slot(long hi, long lo, int mask) {
        long h = (hi ^ Long.rotateLeft(lo, 32)) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
