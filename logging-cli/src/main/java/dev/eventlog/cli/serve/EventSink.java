package dev.eventlog.cli.serve;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.EventLogException;
import dev.eventlog.StoreException;
import dev.eventlog.jsonl.LineEncoder;
import dev.eventlog.spi.CheckpointedAppends;
import dev.eventlog.spi.EventStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where accepted events go: the store, in one transaction per call; when the store fails and a
 * spool directory is set, a spool file per kind, written, fsynced and renamed into place before
 * the call returns. Either way the events are durable when {@link #write} returns. Thread-safe.
 */
public final class EventSink {
    /** How a write ended. */
    public record Written(int stored, int duplicates, boolean spooled) {
    }

    private final EventStore store;
    private final Path spool;
    private volatile boolean storeUp = true;
    private volatile String lastFailure = "";

    /**
     * @param store the store to write to
     * @param spool the spool directory, or {@code null} for none
     */
    public EventSink(EventStore store, Path spool) {
        this.store = store;
        this.spool = spool;
    }

    /** The store. */
    public EventStore store() {
        return store;
    }

    /** The spool directory, or {@code null}. */
    public Path spool() {
        return spool;
    }

    /** Whether the last store call succeeded. */
    public boolean storeUp() {
        return storeUp;
    }

    /** The reason of the last store failure, or an empty string. */
    public String lastFailure() {
        return lastFailure;
    }

    /**
     * Makes {@code events} durable.
     *
     * @throws StoreException when the store fails and there is no spool (or the spool cannot be written)
     */
    public Written write(List<Event> events) {
        if (events.isEmpty()) {
            return new Written(0, 0, false);
        }
        try {
            int stored = store.append(events);
            storeUp = true;
            return new Written(stored, events.size() - stored, false);
        } catch (EventLogException e) {
            storeUp = false;
            lastFailure = String.valueOf(e.getMessage());
            if (spool == null) {
                throw e instanceof StoreException s ? s : new StoreException(e.getMessage(), e);
            }
            spoolWrite(events);
            return new Written(events.size(), 0, true);
        }
    }

    /** Appends {@code events} to the store only, for the inbox: a failure is thrown, nothing is spooled. */
    public int storeOnly(List<Event> events) {
        try {
            int stored = store.append(events);
            storeUp = true;
            return stored;
        } catch (EventLogException e) {
            storeUp = false;
            lastFailure = String.valueOf(e.getMessage());
            throw e;
        }
    }

    /**
     * Appends {@code events} and sets the checkpoints of {@code follower} in one store transaction, for
     * a follower of a store that keeps them ({@code checkpointed}, this sink's store's ability): a
     * failure is thrown, nothing is spooled.
     */
    public int storeWithCheckpoints(CheckpointedAppends checkpointed, List<Event> events, String follower,
            Map<String, String> checkpoints) {
        try {
            int stored = checkpointed.appendWithCheckpoints(events, follower, checkpoints);
            storeUp = true;
            return stored;
        } catch (EventLogException e) {
            storeUp = false;
            lastFailure = String.valueOf(e.getMessage());
            throw e;
        }
    }

    private void spoolWrite(List<Event> events) {
        Map<EventKind, List<Event>> byKind = new EnumMap<>(EventKind.class);
        for (Event event : events) {
            byKind.computeIfAbsent(event.kind(), k -> new ArrayList<>()).add(event);
        }
        try {
            Files.createDirectories(spool);
            for (Map.Entry<EventKind, List<Event>> entry : byKind.entrySet()) {
                LineEncoder encoder = new LineEncoder();
                for (Event event : entry.getValue()) {
                    encoder.encode(event);
                }
                String name = entry.getKey().key() + SPOOL_SEPARATOR + UUID.randomUUID();
                Path tmp = spool.resolve(".tmp-" + name);
                try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    ByteBuffer bytes = ByteBuffer.wrap(encoder.drain());
                    while (bytes.hasRemaining()) {
                        channel.write(bytes);
                    }
                    channel.force(true);
                }
                Path target = spool.resolve(name + ".jsonl");
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target);
                }
            }
            try (FileChannel dir = FileChannel.open(spool, StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException e) {
                // Some file systems cannot sync a directory; the files themselves are synced.
                lastFailure = lastFailure + "; spool directory not synced: " + e.getMessage();
            }
        } catch (IOException e) {
            throw new StoreException("the store failed (" + lastFailure + ") and the spool " + spool
                    + " cannot be written: " + e.getMessage(), new UncheckedIOException(e));
        }
    }

    /** Between a spool file's kind and the rest of its name. */
    static final String SPOOL_SEPARATOR = "--";
}
