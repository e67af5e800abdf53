package dev.eventlog.migrate;

import dev.eventlog.Event;
import dev.eventlog.jsonl.JsonlReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads and decodes one file's lines on a thread of its own while the importing thread appends the
 * previous batch: the two halves of an import (the JSON and the hashing in Java; the store's insert,
 * mostly in the database) run side by side. The reader also advances the file's {@link PrefixDigest}
 * to the end of each chunk and hands its value over with the chunk, for the progress file. The reader hands over whole batches through a queue of
 * {@value #QUEUE} chunks, so at most {@value #QUEUE} + 2 batches are in memory. While the content
 * check is on, the reader also hashes each event for the check (the checker is used by the reader
 * thread only until {@link #stop()} returns). Used by one importing thread.
 */
final class ReadAhead {
    static final int QUEUE = 2;
    // A chunk is handed over early when its rejected lines hold this many characters, so that a file
    // of long rejected lines does not sit in memory until a batch of events fills.
    private static final long MAX_REJECTED_CHARS = 8L << 20;

    /**
     * One batch of lines, in file order.
     *
     * @param events the events decoded, to append as one batch
     * @param rejected the lines rejected, for the quarantine
     * @param read how many lines were read (events, rejections and lines before the resume point excluded)
     * @param endOffset the offset just after the chunk's last line: the file is read and hashed up to here
     * @param resumeAt where the next run starts if this chunk is the last one stored
     * @param last the last event decoded from the file so far, or {@code null}
     * @param end whether this is the file's last chunk
     * @param digestSize how many bytes of the file {@code digestHex} covers: at least {@code endOffset};
     *     -1 when the reader keeps no digest (a compressed file, hashed once at its end)
     * @param digestHex the hex SHA-256 of the file's first {@code digestSize} bytes, or {@code null}
     */
    record Chunk(List<Event> events, List<JsonlReader.Line> rejected, long read, long endOffset, long resumeAt,
            Event last, boolean end, long digestSize, String digestHex) {
    }

    /** What the reader thread hands over: a chunk, or the failure that stopped it. */
    private record Handoff(Chunk chunk, Throwable failure) {
    }

    private final JsonlReader reader;
    private final long start;
    private final int batchSize;
    private final ContentChecker checker;
    private final PrefixDigest digest;
    private final BlockingQueue<Handoff> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread thread;
    private volatile boolean stopped;

    /**
     * Starts reading {@code reader}, which decodes from offset {@code start}, ahead in batches of
     * {@code batchSize} events; {@code digest} (positioned at or after {@code start}), when not
     * {@code null}, is used by the reader thread only until {@link #stop()} returns.
     */
    ReadAhead(JsonlReader reader, long start, int batchSize, ContentChecker checker, PrefixDigest digest) {
        this.reader = reader;
        this.digest = digest;
        this.start = start;
        this.batchSize = batchSize;
        this.checker = checker;
        this.thread = new Thread(this::readAll, "eventlog-import-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The next chunk; the one with {@link Chunk#end()} set is the last.
     *
     * @throws IOException when the file could not be read
     * @throws MigrationException when the importing thread is interrupted while it waits
     */
    Chunk take() throws IOException {
        Handoff handoff;
        try {
            handoff = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException("interrupted while reading " + reader.file(), e);
        }
        if (handoff.failure() != null) {
            Throwable failure = handoff.failure();
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw new MigrationException("cannot read " + reader.file() + ": " + failure, failure);
        }
        return handoff.chunk();
    }

    /** Stops the reader thread, when it has not finished, and waits for it: the reader may then be closed. */
    void stop() {
        stopped = true;
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void readAll() {
        List<Event> events = new ArrayList<>(batchSize);
        List<JsonlReader.Line> rejected = new ArrayList<>();
        long rejectedChars = 0;
        long read = 0;
        long resumeAt = start;
        Event last = null;
        try {
            for (JsonlReader.Line line = reader.next(); line != null && !stopped; line = reader.next()) {
                read++;
                if (line.event() != null) {
                    events.add(line.event());
                    last = line.event();
                    if (checker != null) {
                        checker.add(line.event());
                    }
                } else {
                    rejected.add(line);
                    rejectedChars += line.text().length();
                }
                // An unterminated last line may be completed by its writer: the next run reads it again.
                resumeAt = line.terminated() ? line.endOffset() : line.startOffset();
                if (events.size() >= batchSize || rejectedChars >= MAX_REJECTED_CHARS) {
                    if (!hand(new Handoff(chunk(events, rejected, read, line.endOffset(), resumeAt, last, false),
                            null))) {
                        return;
                    }
                    events = new ArrayList<>(batchSize);
                    rejected = new ArrayList<>();
                    rejectedChars = 0;
                    read = 0;
                }
            }
            if (!stopped) {
                hand(new Handoff(chunk(events, rejected, read, reader.position(), resumeAt, last, true), null));
            }
        } catch (IOException | RuntimeException | Error e) {
            if (!stopped) {
                hand(new Handoff(null, e));
            }
        }
    }

    /** A chunk ending at {@code endOffset}, with the file's digest (if any) advanced to there. */
    private Chunk chunk(List<Event> events, List<JsonlReader.Line> rejected, long read, long endOffset, long resumeAt,
            Event last, boolean end) {
        // The progress file's SHA-256 re-reads the bytes just decoded (from the page cache) on this
        // thread, off the appending thread's critical path.
        if (digest == null) {
            return new Chunk(events, rejected, read, endOffset, resumeAt, last, end, -1, null);
        }
        digest.advanceTo(endOffset);
        return new Chunk(events, rejected, read, endOffset, resumeAt, last, end, digest.position(), digest.hex());
    }

    /** Puts {@code handoff} on the queue; false when the importing thread stopped this reader meanwhile. */
    private boolean hand(Handoff handoff) {
        try {
            queue.put(handoff);
            return true;
        } catch (InterruptedException e) {
            // Only stop() interrupts this thread: the importing thread no longer takes chunks.
            return false;
        }
    }
}
