package dev.eventlog.jsonl;

/**
 * Counts occurrences of 64-bit keys in open-addressed primitive arrays: about 12 bytes per
 * distinct key, so millions of lines can be counted in bounded memory. Not thread-safe.
 */
final class LongCounts {
    private long[] keys = new long[1024];
    private int[] counts = new int[1024];
    private boolean[] used = new boolean[1024];
    private int size;

    /** Adds one occurrence of {@code key} and returns how many there were before. */
    public int getAndIncrement(long key) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int slot = Long.hashCode(key * 0x9E3779B97F4A7C15L) & mask;
        while (used[slot]) {
            if (keys[slot] == key) {
                return counts[slot]++;
            }
            slot = (slot + 1) & mask;
        }
        used[slot] = true;
        keys[slot] = key;
        counts[slot] = 1;
        size++;
        return 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        boolean[] oldUsed = used;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldKeys.length * 2];
        used = new boolean[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldUsed[i]) {
                int slot = Long.hashCode(oldKeys[i] * 0x9E3779B97F4A7C15L) & mask;
                while (used[slot]) {
                    slot = (slot + 1) & mask;
                }
                used[slot] = true;
                keys[slot] = oldKeys[i];
                counts[slot] = oldCounts[i];
            }
        }
    }
}
