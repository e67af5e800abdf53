package dev.eventlog.jsonl;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counts occurrences of 64-bit keys, exactly, in memory flat in the number of keys: up to
 * {@link #DEFAULT_MAX_KEYS} keys in an open-addressed table of primitive arrays (about 13 bytes
 * a slot, at most half full); when it is full, its keys and counts are written to a temporary
 * file as a run sorted by key (12 bytes a key) and the table starts empty. A key not in the
 * table is looked up in the runs, newest first, only when a Bloom filter of every spilled key
 * (8 MB, allocated at the first spill) says it may be there; each run keeps every 256th key in
 * memory, so a lookup reads one block of the file. Most lines of a file are new: they cost one
 * table probe and, after a spill, three filter bits. {@link #close()} deletes the files. Not
 * thread-safe.
 */
final class LongCounts implements AutoCloseable {
    /** Keys held in the table before it is spilled: a table of 2^20 slots, about 13.6 MB. */
    static final int DEFAULT_MAX_KEYS = 1 << 19;
    private static final int BLOCK = 256;
    private static final int RECORD = Long.BYTES + Integer.BYTES;
    private static final int BLOOM_BITS_LOG2 = 26;
    private static final int BLOOM_HASHES = 3;

    private final int maxKeys;
    private final Path spillDir;
    private long[] keys = new long[1024];
    private int[] counts = new int[1024];
    private boolean[] used = new boolean[1024];
    private int size;
    private final List<Run> runs = new ArrayList<>();
    private long[] bloom;
    private ByteBuffer block;

    /** One spilled run: its file, open for reading, and every {@value #BLOCK}th key. */
    private record Run(Path file, FileChannel channel, long[] index, int records) {
    }

    LongCounts() {
        this(DEFAULT_MAX_KEYS, null);
    }

    /**
     * Counts that spill every {@code maxKeys} distinct keys (small in tests) to files in
     * {@code spillDir} ({@code null}: the system's temporary directory).
     */
    LongCounts(int maxKeys, Path spillDir) {
        this.maxKeys = maxKeys;
        this.spillDir = spillDir;
    }

    /** Adds one occurrence of {@code key} and returns how many there were before. */
    public int getAndIncrement(long key) {
        int slot = slot(keys, used, key);
        if (used[slot]) {
            return counts[slot]++;
        }
        int before = bloom != null && mayHaveSpilled(key) ? spilledCount(key) : 0;
        if (size >= maxKeys) {
            spill();
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        slot = slot(keys, used, key);
        used[slot] = true;
        keys[slot] = key;
        counts[slot] = before + 1;
        size++;
        return before;
    }

    /** How many runs were written (for tests). */
    int runs() {
        return runs.size();
    }

    /** Closes and deletes the runs' files; the first failure is thrown after every file was tried. */
    @Override
    public void close() {
        IOException first = null;
        for (Run run : runs) {
            try {
                run.channel().close();
                Files.deleteIfExists(run.file());
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        runs.clear();
        if (first != null) {
            throw new UncheckedIOException("cannot delete a temporary file of line counts: " + first, first);
        }
    }

    private static int slot(long[] keys, boolean[] used, long key) {
        int mask = keys.length - 1;
        int slot = Long.hashCode(key * 0x9E3779B97F4A7C15L) & mask;
        while (used[slot] && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldCounts = counts;
        boolean[] oldUsed = used;
        keys = new long[oldKeys.length * 2];
        counts = new int[oldKeys.length * 2];
        used = new boolean[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldUsed[i]) {
                int slot = slot(keys, used, oldKeys[i]);
                used[slot] = true;
                keys[slot] = oldKeys[i];
                counts[slot] = oldCounts[i];
            }
        }
    }

    /** Writes the table as a sorted run, adds its keys to the filter and empties it. */
    private void spill() {
        long[] sortedKeys = new long[size];
        int[] sortedCounts = new int[size];
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (used[i]) {
                sortedKeys[n] = keys[i];
                sortedCounts[n] = counts[i];
                n++;
            }
        }
        sort(sortedKeys, sortedCounts, 0, n - 1);
        if (bloom == null) {
            bloom = new long[1 << (BLOOM_BITS_LOG2 - 6)];
            block = ByteBuffer.allocate(BLOCK * RECORD);
        }
        long[] index = new long[(n + BLOCK - 1) / BLOCK];
        Path file = null;
        try {
            file = spillDir == null ? Files.createTempFile("eventlog-lines-", ".counts")
                    : Files.createTempFile(spillDir, "eventlog-lines-", ".counts");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file),
                    64 * 1024))) {
                for (int i = 0; i < n; i++) {
                    if (i % BLOCK == 0) {
                        index[i / BLOCK] = sortedKeys[i];
                    }
                    out.writeLong(sortedKeys[i]);
                    out.writeInt(sortedCounts[i]);
                    addToFilter(sortedKeys[i]);
                }
            }
            runs.add(new Run(file, FileChannel.open(file, StandardOpenOption.READ), index, n));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the line counts to a temporary file " + file + ": " + e, e);
        }
        Arrays.fill(used, false);
        size = 0;
    }

    /** The count of {@code key} in the newest run that holds it, or 0. */
    private int spilledCount(long key) {
        for (int r = runs.size() - 1; r >= 0; r--) {
            Run run = runs.get(r);
            int b = Arrays.binarySearch(run.index(), key);
            if (b == -1) {
                continue;
            }
            int blockNumber = b >= 0 ? b : -b - 2;
            int first = blockNumber * BLOCK;
            int records = Math.min(BLOCK, run.records() - first);
            block.clear().limit(records * RECORD);
            try {
                long position = (long) first * RECORD;
                while (block.hasRemaining()) {
                    if (run.channel().read(block, position + block.position()) < 0) {
                        throw new IOException("unexpected end of file");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the line counts' temporary file " + run.file() + ": " + e,
                        e);
            }
            block.flip();
            for (int i = 0; i < records; i++) {
                long k = block.getLong();
                int count = block.getInt();
                if (k == key) {
                    return count;
                }
            }
        }
        return 0;
    }

    private void addToFilter(long key) {
        long h1 = key * 0x9E3779B97F4A7C15L;
        long h2 = Long.rotateLeft(key * 0xC2B2AE3D27D4EB4FL, 31) | 1;
        for (int i = 0; i < BLOOM_HASHES; i++) {
            int bit = (int) ((h1 + i * h2) >>> (64 - BLOOM_BITS_LOG2));
            bloom[bit >>> 6] |= 1L << bit;
        }
    }

    private boolean mayHaveSpilled(long key) {
        long h1 = key * 0x9E3779B97F4A7C15L;
        long h2 = Long.rotateLeft(key * 0xC2B2AE3D27D4EB4FL, 31) | 1;
        for (int i = 0; i < BLOOM_HASHES; i++) {
            int bit = (int) ((h1 + i * h2) >>> (64 - BLOOM_BITS_LOG2));
            if ((bloom[bit >>> 6] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Sorts {@code [from, to]} of the two parallel arrays by key (quicksort; keys are distinct). */
    private static void sort(long[] ks, int[] cs, int from, int to) {
        while (from < to) {
            long pivot = ks[(from + to) >>> 1];
            int i = from;
            int j = to;
            while (i <= j) {
                while (ks[i] < pivot) {
                    i++;
                }
                while (ks[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long k = ks[i];
                    ks[i] = ks[j];
                    ks[j] = k;
                    int c = cs[i];
                    cs[i] = cs[j];
                    cs[j] = c;
                    i++;
                    j--;
                }
            }
            // Recurse into the smaller side, loop on the larger: the stack stays logarithmic.
            if (j - from < to - i) {
                sort(ks, cs, from, j);
                from = i;
            } else {
                sort(ks, cs, i, to);
                to = j;
            }
        }
    }
}
