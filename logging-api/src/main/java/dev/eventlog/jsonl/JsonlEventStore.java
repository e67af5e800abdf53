package dev.eventlog.jsonl;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.spi.EventCursor;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.Expiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of JSONL files, one per kind, named as the README's "JSONL format" says
 * ({@code git-activity.jsonl}, {@code self-heal-outcomes.jsonl} …): the backup format older
 * tools read and the format legacy files are imported from.
 *
 * <p>Appends are idempotent on the id: the ids already in a file are indexed (about 32 bytes
 * each) the first time a kind is appended to. Each batch is written to a file in one
 * {@code write}, and forced to disk when {@link JsonlOptions#fsync()} is set. New files and the
 * directory are created readable by the owner only, since events can hold secrets.
 *
 * <p>A file whose last line has no terminating newline (a write torn by a crash) is reported
 * when the store opens (see {@link #tornFiles()}); the next append starts on a new line, so the
 * torn line is never glued to a good one. Reading skips lines that are not events, with a
 * warning that names the file and line.
 *
 * <p>Reads stream each kind's file in the order it was written, which for a log is time order.
 * Thread-safe within one process; two processes appending to the same directory may both write
 * an event whose id neither had seen.
 *
 * <p>Old events are removed ({@link Expiring}) by rewriting the kind's file without them, every
 * other line kept byte for byte, into a temporary file beside it that is forced to disk and
 * renamed over the file in one step: a crash leaves the old file or the new one, never a mix.
 */
public final class JsonlEventStore implements EventStore, Expiring {
    private static final Logger LOG = LoggerFactory.getLogger(JsonlEventStore.class);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path directory;
    private final JsonlOptions options;
    private final Map<EventKind, KindFile> files = new EnumMap<>(EventKind.class);
    private final List<Path> tornFiles;
    private final LongAdder rejectedOnRead = new LongAdder();
    private final LineEncoder encoder;
    private boolean closed;

    private JsonlEventStore(Path directory, JsonlOptions options) {
        this.directory = directory;
        this.options = options;
        this.encoder = new LineEncoder(options.maxLineBytes());
        List<Path> torn = new ArrayList<>();
        for (EventKind kind : EventKind.values()) {
            Path file = directory.resolve(kind.fileName());
            KindFile kindFile = new KindFile(file);
            kindFile.needsNewline = endsTorn(file);
            if (kindFile.needsNewline) {
                torn.add(file);
                LOG.warn("{} ends with an unterminated line (a write torn by a crash?); it is kept as it is, "
                        + "skipped when read, and the next event starts on a new line", file);
            }
            files.put(kind, kindFile);
        }
        this.tornFiles = Collections.unmodifiableList(torn);
    }

    /** Opens (and creates when missing) the directory {@code directory} with default options. */
    public static JsonlEventStore open(Path directory) {
        return open(directory, JsonlOptions.DEFAULT);
    }

    /**
     * Opens (and creates when missing) the directory {@code directory}.
     *
     * @throws StoreException when the directory cannot be created or read
     */
    public static JsonlEventStore open(Path directory, JsonlOptions options) {
        try {
            if (!Files.isDirectory(directory)) {
                if (POSIX) {
                    Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(directory);
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot create JSONL directory " + directory + ": " + e, e);
        }
        return new JsonlEventStore(directory, options);
    }

    /** The directory holding the files. */
    public Path directory() {
        return directory;
    }

    /** The file events of {@code kind} are kept in. */
    public Path file(EventKind kind) {
        return directory.resolve(kind.fileName());
    }

    /** The files that ended with an unterminated (torn) line when the store was opened. */
    public List<Path> tornFiles() {
        return tornFiles;
    }

    /** How many lines reads have skipped because they were not events. */
    public long rejectedOnRead() {
        return rejectedOnRead.sum();
    }

    /**
     * Appends the events whose ids the files do not hold yet. All or nothing: when any file of the
     * batch cannot be written (a full disk), every file the batch touched is cut back to the
     * length it had before, so no line of the batch and no torn line stays behind.
     *
     * @throws dev.eventlog.InvalidEventException when an event cannot be encoded; nothing is written
     * @throws StoreException naming the file and the first cause when a file cannot be written
     */
    @Override
    public synchronized int append(List<? extends Event> batch) {
        if (closed) {
            throw new StoreException(describe() + " is closed");
        }
        Map<EventKind, List<Event>> byKind = new EnumMap<>(EventKind.class);
        for (Event event : batch) {
            byKind.computeIfAbsent(event.kind(), k -> new ArrayList<>()).add(event);
        }
        List<Pending> pending = new ArrayList<>(byKind.size());
        try {
            for (Map.Entry<EventKind, List<Event>> entry : byKind.entrySet()) {
                Pending lines = encode(entry.getKey(), entry.getValue());
                if (lines != null) {
                    pending.add(lines);
                }
            }
        } finally {
            // Whatever happened, no encoded byte of this batch is left for the next one.
            encoder.reset();
        }
        write(pending);
        int added = 0;
        for (Pending lines : pending) {
            lines.fresh.forEach(lines.file.ids::add);
            added += lines.fresh.size();
        }
        return added;
    }

    /** The lines of the events of {@code kind} not yet in its file, or {@code null} when there are none. */
    private Pending encode(EventKind kind, List<Event> events) {
        KindFile file = files.get(kind);
        UuidSet ids = file.ids(kind);
        Set<UUID> fresh = new LinkedHashSet<>(events.size() * 2);
        for (Event event : events) {
            if (!ids.contains(event.id()) && fresh.add(event.id())) {
                encoder.encode(event);
            }
        }
        return fresh.isEmpty() ? null : new Pending(file, fresh, encoder.drain());
    }

    /** Writes every file's lines, or cuts every file back to where it was and throws. */
    private void write(List<Pending> pending) {
        int written = 0;
        try {
            for (Pending lines : pending) {
                lines.file.mark();
                written++;
                lines.file.write(lines.bytes, options.fsync());
            }
        } catch (IOException e) {
            Pending failed = pending.get(written - 1);
            StoreException error = new StoreException("cannot append " + failed.fresh.size() + " event(s) to "
                    + failed.file.path + ": " + e + "; the batch was not written", e);
            for (int i = 0; i < written; i++) {
                try {
                    pending.get(i).file.rollBack();
                } catch (IOException rollBackFailure) {
                    error.addSuppressed(rollBackFailure);
                    KindFile file = pending.get(i).file;
                    file.needsNewline = endsTornQuietly(file.path);
                }
            }
            throw error;
        }
    }

    /** One file's share of a batch: the ids it adds and their lines. */
    private record Pending(KindFile file, Set<UUID> fresh, byte[] bytes) {
    }

    /**
     * {@inheritDoc} Rewrites the kind's file without the removed lines, atomically (see the class
     * comment); lines that are not events, and events at or after {@code cut}, are kept as they are.
     * Appends in this process wait meanwhile.
     */
    @Override
    public synchronized Removal removeBefore(EventKind kind, Instant cut, Archived archived) {
        if (closed) {
            throw new StoreException(describe() + " is closed");
        }
        KindFile file = files.get(kind);
        if (!Files.exists(file.path)) {
            return new Removal(0, List.of());
        }
        Path temp = file.path.resolveSibling(file.path.getFileName() + ".retention-tmp");
        long removed = 0;
        try {
            file.close();
            file.ids = null;
            Files.deleteIfExists(temp);
            try (JsonlReader reader = JsonlReader.open(file.path, new LineDecoder(kind, options.aliases()),
                    options.maxLineBytes(), 0);
                    InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(file.path), 1 << 16);
                    FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE), permissions());
                    OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(
                            channel), 1 << 16)) {
                for (JsonlReader.Line line = reader.next(); line != null; line = reader.next()) {
                    Event event = line.event();
                    boolean remove = event != null && event.ts().isBefore(cut)
                            && (archived == null || archived.contains(event.id()));
                    long length = line.endOffset() - line.startOffset();
                    if (remove) {
                        raw.skipNBytes(length);
                        removed++;
                    } else {
                        out.write(raw.readNBytes((int) length));
                    }
                }
                out.flush();
                channel.force(true);
            }
            if (removed == 0) {
                Files.delete(temp);
                return new Removal(0, List.of());
            }
            Files.move(temp, file.path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true);
            }
            file.needsNewline = endsTorn(file.path);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanUp) {
                e.addSuppressed(cleanUp);
            }
            throw new StoreException("cannot remove old events from " + file.path + ": " + e
                    + "; the file is unchanged", e);
        }
        return new Removal(removed, List.of("removed " + removed + " line(s) from " + file.path.getFileName()));
    }

    private static FileAttribute<?>[] permissions() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
    }

    @Override
    public Stream<Event> read(EventQuery query) {
        return new LineCursor(query).stream();
    }

    @Override
    public String describe() {
        return "jsonl:" + directory;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        for (KindFile file : files.values()) {
            try {
                file.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new StoreException("cannot close " + describe() + ": " + failure, failure);
        }
    }

    private static boolean endsTornQuietly(Path file) {
        try {
            return endsTorn(file);
        } catch (StoreException e) {
            // Unreadable now: start the next batch on a new line, to be safe.
            return true;
        }
    }

    /** Whether {@code file} exists and its last byte is not a newline. */
    private static boolean endsTorn(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, size - 1);
            return last.get(0) != '\n';
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new StoreException("cannot read " + file + ": " + e, e);
        }
    }

    /** Streams the matching events of each kind's file in turn, skipping and counting rejected lines. */
    private final class LineCursor extends EventCursor {
        private final EventQuery query;
        private final Iterator<EventKind> remaining;
        private JsonlReader reader;

        LineCursor(EventQuery query) {
            this.query = query;
            this.remaining = query.orderedKinds().iterator();
        }

        @Override
        protected Event fetch() {
            try {
                while (true) {
                    if (reader == null) {
                        if (!remaining.hasNext()) {
                            return null;
                        }
                        EventKind kind = remaining.next();
                        Path path = file(kind);
                        if (Files.exists(path)) {
                            reader = JsonlReader.open(path, new LineDecoder(kind, options.aliases()),
                                    options.maxLineBytes(), 0);
                        }
                        continue;
                    }
                    JsonlReader.Line line = reader.next();
                    if (line == null) {
                        reader.close();
                        reader = null;
                    } else if (line.event() == null) {
                        rejectedOnRead.increment();
                        LOG.warn("skipped {} line {}: {}", reader.file(), line.number(), line.rejection());
                    } else if (query.contains(line.event().ts())) {
                        return line.event();
                    }
                }
            } catch (IOException e) {
                throw new StoreException("cannot read " + describe() + ": " + e, e);
            }
        }

        @Override
        protected void close() {
            if (reader != null) {
                try {
                    reader.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                reader = null;
            }
        }
    }

    /** One kind's file: its channel, opened on first write, and its id index, loaded on first write. */
    private final class KindFile {
        private final Path path;
        private FileChannel channel;
        private UuidSet ids;
        private boolean needsNewline;
        private long markedLength = -1;
        private boolean markedNeedsNewline;

        KindFile(Path path) {
            this.path = path;
        }

        UuidSet ids(EventKind kind) {
            if (ids == null) {
                ids = new UuidSet();
                if (Files.exists(path)) {
                    try (JsonlReader reader = JsonlReader.open(path, new LineDecoder(kind, options.aliases()),
                            options.maxLineBytes(), 0)) {
                        for (JsonlReader.Line line = reader.next(); line != null; line = reader.next()) {
                            if (line.event() != null) {
                                ids.add(line.event().id());
                            }
                        }
                    } catch (IOException e) {
                        ids = null;
                        throw new StoreException("cannot index the ids in " + path + ": " + e, e);
                    }
                }
            }
            return ids;
        }

        /** Remembers the file's length before a batch, to {@link #rollBack} to. */
        void mark() throws IOException {
            open();
            markedLength = channel.size();
            markedNeedsNewline = needsNewline;
        }

        /** Cuts the file back to the length {@link #mark} saw: the batch leaves no line, whole or torn. */
        void rollBack() throws IOException {
            if (channel != null && markedLength >= 0) {
                channel.truncate(markedLength);
                if (options.fsync()) {
                    channel.force(true);
                }
                needsNewline = markedNeedsNewline;
            }
        }

        private void open() throws IOException {
            if (channel == null) {
                Set<StandardOpenOption> open = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
                FileAttribute<?>[] attributes = POSIX
                        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------"))}
                        : new FileAttribute<?>[0];
                channel = FileChannel.open(path, open, attributes);
            }
        }

        void write(byte[] lines, boolean fsync) throws IOException {
            open();
            ByteBuffer buffer;
            if (needsNewline) {
                buffer = ByteBuffer.allocate(lines.length + 1);
                buffer.put((byte) '\n').put(lines).flip();
            } else {
                buffer = ByteBuffer.wrap(lines);
            }
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            needsNewline = false;
            if (fsync) {
                channel.force(false);
            }
        }

        void close() throws IOException {
            if (channel != null) {
                channel.close();
                channel = null;
            }
        }
    }
}
