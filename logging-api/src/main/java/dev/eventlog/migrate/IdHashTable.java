package dev.eventlog.migrate;

import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * Event ids with a short content fingerprint, the event's time and a "seen" mark each, in
 * open-addressed primitive arrays (about 60 bytes per id, no object per entry): what a content check needs to know which
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
    private long[] millis = new long[1024];
    private byte[] states = new byte[1024];
    private int size;
    private int seen;

    /** Adds {@code id} with {@code hash}; an id already present keeps its first hash. */
    void put(UUID id, long hash) {
        put(id, hash, 0);
    }

    /**
     * Adds {@code id} with {@code hash} and the event's time in epoch milliseconds; an id already
     * present keeps its first hash and time.
     *
     * @return whether the id was new
     */
    boolean put(UUID id, long hash, long epochMillis) {
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
            millis[slot] = epochMillis;
            states[slot] = UNSEEN;
            size++;
            return true;
        }
        return false;
    }

    /**
     * Marks seen every id not matched yet whose time {@code test} accepts.
     *
     * @return how many ids were marked
     */
    int markSeenWhere(LongPredicate test) {
        int marked = 0;
        for (int i = 0; i < states.length; i++) {
            if (states[i] == UNSEEN && test.test(millis[i])) {
                states[i] = SEEN;
                marked++;
            }
        }
        seen += marked;
        return marked;
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

    /**
     * Writes every id with its hash and time as four longs (most, least significant bits, hash,
     * epoch milliseconds), in
     * ascending order of the id (signed comparison of the most, then the least significant bits),
     * then empties the table, keeping its arrays.
     */
    void drainSorted(DataOutput out) throws IOException {
        long[] his = new long[size];
        long[] los = new long[size];
        long[] hs = new long[size];
        long[] ms = new long[size];
        int n = 0;
        for (int i = 0; i < states.length; i++) {
            if (states[i] != EMPTY) {
                his[n] = msb[i];
                los[n] = lsb[i];
                hs[n] = hashes[i];
                ms[n] = millis[i];
                n++;
            }
        }
        sort(his, los, hs, ms, 0, n - 1);
        for (int i = 0; i < n; i++) {
            out.writeLong(his[i]);
            out.writeLong(los[i]);
            out.writeLong(hs[i]);
            out.writeLong(ms[i]);
        }
        Arrays.fill(states, EMPTY);
        size = 0;
        seen = 0;
    }

    /** Orders two ids: negative, zero or positive as {@code (hi1, lo1)} is below, equal to or above {@code (hi2, lo2)}. */
    static int compare(long hi1, long lo1, long hi2, long lo2) {
        int byHigh = Long.compare(hi1, hi2);
        return byHigh != 0 ? byHigh : Long.compare(lo1, lo2);
    }

    /** Sorts the records {@code [from, to]} of the four parallel arrays by id (quicksort, distinct ids). */
    private static void sort(long[] his, long[] los, long[] hs, long[] ms, int from, int to) {
        while (from < to) {
            int mid = (from + to) >>> 1;
            long pivotHi = his[mid];
            long pivotLo = los[mid];
            int i = from;
            int j = to;
            while (i <= j) {
                while (compare(his[i], los[i], pivotHi, pivotLo) < 0) {
                    i++;
                }
                while (compare(his[j], los[j], pivotHi, pivotLo) > 0) {
                    j--;
                }
                if (i <= j) {
                    swap(his, i, j);
                    swap(los, i, j);
                    swap(hs, i, j);
                    swap(ms, i, j);
                    i++;
                    j--;
                }
            }
            // Recurse into the smaller side, loop on the larger: the stack stays logarithmic.
            if (j - from < to - i) {
                sort(his, los, hs, ms, from, j);
                from = i;
            } else {
                sort(his, los, hs, ms, i, to);
                to = j;
            }
        }
    }

    private static void swap(long[] a, int i, int j) {
        long t = a[i];
        a[i] = a[j];
        a[j] = t;
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
        long[] newMillis = new long[msb.length * 2];
        byte[] newStates = new byte[msb.length * 2];
        for (int i = 0; i < msb.length; i++) {
            if (states[i] != EMPTY) {
                int slot = find(newMsb, newLsb, newStates, msb[i], lsb[i]);
                newMsb[slot] = msb[i];
                newLsb[slot] = lsb[i];
                newHashes[slot] = hashes[i];
                newMillis[slot] = millis[i];
                newStates[slot] = states[i];
            }
        }
        msb = newMsb;
        lsb = newLsb;
        hashes = newHashes;
        millis = newMillis;
        states = newStates;
    }
}
