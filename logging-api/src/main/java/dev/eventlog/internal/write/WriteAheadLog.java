package dev.eventlog.internal.write;

import dev.eventlog.Event;
import dev.eventlog.StoreException;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.jsonl.JsonlOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The write-ahead files of an asynchronous logger: every queued event is also appended, on the
 * caller's thread, to a JSONL segment in the spool's {@code wal/} directory, so that a crash
 * loses nothing that was acknowledged. A segment is deleted once every event in it was committed
 * or spooled; segments left behind by a crash are replayed by the next logger's {@link Spool}.
 *
 * <p>Events are written in queue order: the caller holds this log's lock from claiming its queue
 * slot until its line is written, so a segment covers a contiguous range of queue positions and
 * is settled when the writer has passed the last of them.
 *
 * <p>Thread-safe.
 */
public final class WriteAheadLog implements AutoCloseable {
    private static final long SEGMENT_EVENTS = 50_000;

    private final Path directory;
    private final JsonlOptions jsonl;
    private final Deque<Segment> sealed = new ArrayDeque<>();
    private Segment open;
    private long nextNumber;

    /** A write-ahead log in {@code directory}, forcing each event to disk when {@code fsync}. */
    public WriteAheadLog(Path directory, boolean fsync) {
        this.directory = directory;
        this.jsonl = JsonlOptions.builder().fsync(fsync).build();
        try {
            SpoolFiles.createPrivateDirectory(directory);
        } catch (IOException e) {
            throw new StoreException("cannot create write-ahead directory " + directory + ": " + e, e);
        }
    }

    /**
     * Appends {@code event}, which holds queue position {@code index}. Called with this log's lock
     * held (see {@link #lock()}), right after the event was queued.
     *
     * @throws StoreException when the segment cannot be written
     */
    public void append(Event event, long index) {
        if (open == null || open.events >= SEGMENT_EVENTS) {
            if (open != null) {
                open.writer.close();
                sealed.addLast(open);
            }
            open = new Segment(directory.resolve(String.format("wal-%019d", nextNumber++)), index);
            open.writer = JsonlEventStore.open(open.path, jsonl);
        }
        open.lastIndex = index;
        open.events++;
        open.writer.append(List.of(event));
    }

    /** The lock a caller holds from queueing an event until its line is written. */
    public Object lock() {
        return this;
    }

    /** Deletes the closed segments whose events all sit before queue position {@code settled}. */
    public synchronized void release(long settled) {
        while (!sealed.isEmpty() && sealed.peekFirst().lastIndex < settled) {
            SpoolFiles.deleteTree(sealed.removeFirst().path);
        }
    }

    /**
     * Closes the log: deletes every segment whose events all sit before queue position
     * {@code settled}, the open one included. A segment still holding an unsettled event stays
     * for the next logger on the spool to replay.
     */
    public synchronized void close(long settled) {
        release(settled);
        if (open != null) {
            open.writer.close();
            if (open.lastIndex < settled) {
                SpoolFiles.deleteTree(open.path);
            }
            open = null;
        }
    }

    /** Closes the log, deleting only fully settled closed segments. */
    @Override
    public void close() {
        close(Long.MIN_VALUE);
    }

    /** One segment: its directory, the last queue position in it and how many events it holds. */
    private static final class Segment {
        private final Path path;
        private long lastIndex;
        private long events;
        private JsonlEventStore writer;

        Segment(Path path, long firstIndex) {
            this.path = path;
            this.lastIndex = firstIndex;
        }
    }
}
