package dev.eventlog.internal.write;

import dev.eventlog.ConfigurationException;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.SpoolOptions;
import dev.eventlog.StoreException;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.jsonl.JsonlOptions;
import dev.eventlog.spi.EventQuery;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The spool: events the store could not take, kept on disk until they are replayed. A directory
 * of numbered segments, each a {@link JsonlEventStore} directory (the JSONL format), so a
 * spool can also be read or imported by any JSONL tool. New events go to the open segment; a
 * segment is closed when it reaches {@link SpoolOptions#segmentBytes()} or when replay reaches
 * it. Replay reads the oldest segment in chunks and deletes it only after its last chunk was
 * committed.
 *
 * <p>The directory is locked (a {@code .lock} file) while a spool is open, so two loggers never
 * replay the same segments. On opening, write-ahead segments left in {@code wal/} by a process
 * that did not close cleanly become ordinary segments, replayed after the older ones.
 *
 * <p>Thread-safe: any thread may {@link #append}; one thread at a time may replay
 * ({@link #peek}, {@link #commit}, {@link #rewind}).
 */
public final class Spool implements AutoCloseable {
    private static final String SEGMENT = "segment-";
    private static final String UNREADABLE = "unreadable-";

    private final Path directory;
    private final SpoolOptions options;
    private final JsonlOptions jsonl;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final AtomicLong bytes = new AtomicLong();
    private final Deque<Segment> sealed = new ArrayDeque<>();
    private Segment open;
    private long nextNumber;
    private boolean closed;

    private Segment replaying;
    private Stream<Event> replayStream;
    private Iterator<Event> replayEvents;
    private long replayDone;
    private int pending;

    private Spool(SpoolOptions options, FileChannel lockChannel, FileLock lock) {
        this.directory = options.directory();
        this.options = options;
        this.jsonl = JsonlOptions.builder().fsync(options.fsync()).build();
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating when missing) and locks the spool directory, and finds what earlier
     * processes left in it.
     *
     * @throws ConfigurationException when another logger holds the directory
     * @throws StoreException when the directory cannot be created or read
     */
    public static Spool open(SpoolOptions options) {
        Path directory = options.directory();
        FileChannel channel = null;
        try {
            SpoolFiles.createPrivateDirectory(directory);
            channel = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new ConfigurationException("spool.directory was '" + directory
                        + "' but it must not be in use: another logger (in this or another process) holds it");
            }
            Spool spool = new Spool(options, channel, lock);
            spool.recover();
            return spool;
        } catch (IOException e) {
            closeQuietly(channel, e);
            throw new StoreException("cannot open spool " + directory + ": " + e, e);
        }
    }

    /** The spool directory. */
    public Path directory() {
        return directory;
    }

    /** Bytes held in the spool now. */
    public long bytes() {
        return bytes.get();
    }

    /** Whether the spool holds no event. */
    public synchronized boolean isEmpty() {
        return sealed.isEmpty() && (open == null || open.bytes == 0);
    }

    /** Where write-ahead segments live, under the same lock as the spool. */
    public Path writeAheadDirectory() {
        return directory.resolve("wal");
    }

    /**
     * Appends {@code batch} to the open segment.
     *
     * @return false, writing nothing, when the spool already holds {@link SpoolOptions#maxBytes()}
     * @throws StoreException when the segment cannot be written
     */
    public synchronized boolean append(List<? extends Event> batch) {
        if (closed) {
            throw new StoreException("spool " + directory + " is closed");
        }
        if (bytes.get() >= options.maxBytes()) {
            return false;
        }
        if (open == null) {
            open = new Segment(directory.resolve(SEGMENT + String.format("%019d", nextNumber++)), 0);
            open.writer = JsonlEventStore.open(open.path, jsonl);
        }
        try {
            open.writer.append(batch);
        } finally {
            long before = open.bytes;
            open.measure(batch);
            bytes.addAndGet(open.bytes - before);
        }
        if (open.bytes >= options.segmentBytes()) {
            seal();
        }
        return true;
    }

    /** Adopts {@code segment}, a JSONL directory of events left by an earlier process, as the newest segment. */
    private void adopt(Path segment) throws IOException {
        Path target = directory.resolve(SEGMENT + String.format("%019d", nextNumber++));
        Files.move(segment, target, StandardCopyOption.ATOMIC_MOVE);
        Segment adopted = new Segment(target, 0);
        adopted.measureAll();
        bytes.addAndGet(adopted.bytes);
        sealed.addLast(adopted);
    }

    /**
     * The next up to {@code max} spooled events, oldest segment first, or an empty list when the
     * spool is empty. Replay thread only; follow with {@link #commit()} or {@link #rewind()}.
     *
     * @throws StoreException when a segment cannot be read; it is renamed {@code unreadable-…}
     *     and left for a person to look at
     */
    public List<Event> peek(int max) {
        List<Event> chunk = new ArrayList<>(Math.min(max, 1024));
        while (chunk.isEmpty()) {
            if (replaying == null) {
                synchronized (this) {
                    if (sealed.isEmpty() && open != null && open.bytes > 0) {
                        seal();
                    }
                    replaying = sealed.peekFirst();
                }
                if (replaying == null) {
                    return chunk;
                }
            }
            try {
                if (replayEvents == null) {
                    replayStream = JsonlEventStore.open(replaying.path, jsonl).read(EventQuery.all());
                    replayEvents = replayStream.iterator();
                    for (long i = 0; i < replayDone && replayEvents.hasNext(); i++) {
                        replayEvents.next();
                    }
                }
                while (chunk.size() < max && replayEvents.hasNext()) {
                    chunk.add(replayEvents.next());
                }
            } catch (RuntimeException e) {
                Segment bad = replaying;
                forgetSegment();
                Path renamed = bad.path.resolveSibling(UNREADABLE + bad.path.getFileName());
                try {
                    Files.move(bad.path, renamed);
                } catch (IOException moveFailure) {
                    e.addSuppressed(moveFailure);
                }
                throw new StoreException("cannot read spool segment " + bad.path + " (moved to " + renamed
                        + "; import it with the eventlog command once repaired): " + e, e);
            }
            if (chunk.isEmpty()) {
                finishSegment();
            }
        }
        pending = chunk.size();
        return chunk;
    }

    /**
     * The events last returned by {@link #peek} are committed: the segment is deleted once all
     * of its events are.
     *
     * @throws StoreException when a finished segment cannot be deleted (it will be replayed,
     *     harmlessly, by the next process)
     */
    public void commit() {
        replayDone += pending;
        pending = 0;
        if (replayEvents != null && !replayEvents.hasNext()) {
            finishSegment();
        }
    }

    /** The store failed: the next {@link #peek} starts again after the last committed event. */
    public void rewind() {
        pending = 0;
        closeReplayStream();
    }

    private void finishSegment() {
        SpoolFiles.deleteTree(forgetSegment().path);
    }

    private Segment forgetSegment() {
        Segment done = replaying;
        closeReplayStream();
        replaying = null;
        replayDone = 0;
        synchronized (this) {
            sealed.remove(done);
            bytes.addAndGet(-done.bytes);
        }
        return done;
    }

    private void closeReplayStream() {
        if (replayStream != null) {
            replayStream.close();
        }
        replayStream = null;
        replayEvents = null;
    }

    /** Closes the open segment and releases the directory lock; what is spooled stays for the next logger. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeReplayStream();
        if (open != null) {
            open.writer.close();
            if (open.bytes == 0) {
                SpoolFiles.deleteTree(open.path);
            }
            open = null;
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new StoreException("cannot unlock spool " + directory + ": " + e, e);
        }
    }

    private void seal() {
        open.writer.close();
        sealed.addLast(open);
        open = null;
    }

    private void recover() throws IOException {
        List<Path> segments = new ArrayList<>();
        try (Stream<Path> children = Files.list(directory)) {
            children.filter(p -> p.getFileName().toString().startsWith(SEGMENT)).forEach(segments::add);
        }
        segments.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (Path path : segments) {
            Segment segment = new Segment(path, 0);
            segment.measureAll();
            bytes.addAndGet(segment.bytes);
            sealed.addLast(segment);
            nextNumber = Math.max(nextNumber, number(path) + 1);
        }
        Path wal = writeAheadDirectory();
        if (Files.isDirectory(wal)) {
            List<Path> left = new ArrayList<>();
            try (Stream<Path> children = Files.list(wal)) {
                children.filter(Files::isDirectory).forEach(left::add);
            }
            left.sort(Comparator.comparing(p -> p.getFileName().toString()));
            for (Path segment : left) {
                adopt(segment);
            }
        }
    }

    private static long number(Path segment) {
        try {
            return Long.parseLong(segment.getFileName().toString().substring(SEGMENT.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void closeQuietly(FileChannel channel, IOException cause) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
    }

    /** One segment directory and the size of each kind's file in it. */
    private static final class Segment {
        private final Path path;
        private final long[] kindBytes = new long[EventKind.values().length];
        private long bytes;
        private JsonlEventStore writer;

        Segment(Path path, long bytes) {
            this.path = path;
            this.bytes = bytes;
        }

        /** Measures the files of the kinds in {@code batch}: one file status per kind, not per event. */
        void measure(List<? extends Event> batch) {
            int measured = 0;
            for (Event event : batch) {
                int bit = 1 << event.kind().ordinal();
                if ((measured & bit) == 0) {
                    measure(event.kind());
                    measured |= bit;
                }
            }
        }

        void measureAll() {
            for (EventKind kind : EventKind.values()) {
                measure(kind);
            }
        }

        private void measure(EventKind kind) {
            long size;
            try {
                size = Files.size(path.resolve(kind.fileName()));
            } catch (NoSuchFileException e) {
                // This kind was never spooled in this segment.
                size = 0;
            } catch (IOException e) {
                throw new StoreException("cannot measure spool segment " + path + ": " + e, e);
            }
            bytes += size - kindBytes[kind.ordinal()];
            kindBytes[kind.ordinal()] = size;
        }
    }
}
