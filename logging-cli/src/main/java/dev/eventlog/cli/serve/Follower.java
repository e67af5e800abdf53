package dev.eventlog.cli.serve;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JacksonException;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.EventLogException;
import dev.eventlog.internal.json.Json;
import dev.eventlog.jsonl.JsonlReader;
import dev.eventlog.jsonl.RejectedLineException;
import dev.eventlog.spi.CheckpointedAppends;
import dev.eventlog.spi.EventQuery;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Tails the JSONL files legacy writers still append to in one folder ({@code eventlog serve --follow
 * DIR}) and stores each complete line once, by the import rules and with the ids {@code eventlog
 * import} gives the same lines.
 *
 * <p>A file is known by its identity (device and inode), not its name: a file renamed inside the
 * folder (rotated) is followed under its new name until it leaves the folder, while a new file that
 * takes the old name is started from its first byte. Per file a checkpoint says how far its lines are
 * stored: the offset after the last complete line stored, a SHA-256 of every byte before it, and the
 * last event stored from it. A store that keeps checkpoints ({@link CheckpointedAppends}: the SQL
 * stores) commits each one in the same transaction as the batch it describes, so a restart never
 * reads a committed batch again; a checkpoint file under the state folder found there is moved into
 * the store on the first start and renamed {@code .migrated}. With any other store (JSONL) the
 * checkpoints are saved in that file after every batch the store committed, and a crash between the
 * two re-reads at most that batch. A checkpoint is believed on a restart only once the file still
 * holds the same bytes (and, for one from a file, the store still holds its last event); otherwise
 * the file is read again from its start, which stores nothing twice, since a line's id is derived
 * from its kind, its bytes and how many identical lines came before it. A line not yet ended by
 * a line feed (a writer still writing) is left for a later pass. A file that shrank, or whose bytes
 * before the checkpoint changed (a truncation followed by new writes between two passes), is read
 * again from its start. Rejected lines go to a quarantine file in the state folder, written before the
 * batch they belong to is committed, so a crash between the two writes them twice rather than never.
 *
 * <p>{@link #poll()} is called from one thread at a time; {@link #files()} and the counters may be
 * read from any thread.
 */
public final class Follower {
    /** Events per store transaction while catching up. */
    static final int BATCH = 5000;
    /** How many bytes before a checkpoint are compared on every pass to notice a replaced file. */
    static final int WINDOW = 4096;
    private static final int CHUNK = 1 << 20;
    private static final int VERSION = 1;

    /**
     * One followed file as {@code /health} shows it.
     *
     * @param file its current path
     * @param kind the kind of its lines, or {@code null} when each line names its own
     * @param offset the bytes stored (up to the end of the last complete line)
     * @param size its size at the last pass
     */
    public record FileLag(Path file, EventKind kind, long offset, long size) {
        /** The bytes not stored yet. */
        public long lag() {
            return Math.max(0, size - offset);
        }
    }

    /** One checkpoint as saved. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Checkpoint(String fileKey, String file, String kind, long offset, long lines, String sha256, String lastId,
            String lastKind, Long lastTs) {
    }

    /** Checkpoints as loaded, and whether the store must be asked for each one's last event. */
    private record Loaded(List<Checkpoint> checkpoints, boolean checkLast) {
    }

    /** The checkpoint file as saved. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Saved(int version, String store, String dir, List<Checkpoint> files) {
    }

    /** A file being followed. */
    private static final class Tracked {
        final String key;
        final EventKind kind;
        Path path;
        FileChannel channel;
        long offset;
        long lines;
        String savedSha;
        String lastId;
        String lastKind;
        Long lastTs;
        MessageDigest digest;           // over [0, offset); null until the prefix was read again
        Map<Long, Integer> occurrences; // identical lines seen before offset; null with the digest
        byte[] window = new byte[0];    // the bytes just before offset
        long seenSize = -1;
        long seenModified = -1;
        boolean checkLast;              // the checkpoint came from a file: ask the store for its last event
        long quarantined;               // rejected lines up to this line number are in the quarantine file

        Tracked(String key, Path path, EventKind kind) {
            this.key = key;
            this.path = path;
            this.kind = kind;
        }
    }

    private final Path dir;
    private final PathMatcher glob;
    private final String globText;
    private final Ingest ingest;
    private final EventSink sink;
    private final PrintStream log;
    private final Path checkpointFile;
    private final Path quarantineFile;
    private final String storeName;
    private final CheckpointedAppends inStore;  // null: the checkpoints are kept in checkpointFile
    private final String followerKey;
    private final Map<String, Tracked> tracked = new LinkedHashMap<>();
    private final Set<String> dropped = new HashSet<>();  // files no longer followed, their checkpoints to remove
    private boolean loaded;
    private volatile boolean stopping;
    private volatile List<FileLag> snapshot = List.of();
    private volatile long events;
    private volatile long rejected;
    private volatile long duplicates;

    /**
     * A follower of {@code dir}, not started: the first {@link #poll()} loads its checkpoints, from the
     * store when it keeps them ({@link CheckpointedAppends}, under {@link #followerKey()}), else from the
     * checkpoint file.
     *
     * @param glob the names of the files started in {@code dir} ({@code *.jsonl})
     * @param stateDir where the checkpoint and quarantine files go: {@code <dir's name>-<hash>.json} (not
     *     used with a store that keeps the checkpoints, except to migrate one) and
     *     {@code <dir's name>-<hash>-quarantine.jsonl}, one pair per folder and store
     * @param log one line per notable thing (a rotation, a truncation, a rejected line, a failing store)
     */
    public Follower(Path dir, String glob, Path stateDir, Ingest ingest, EventSink sink, PrintStream log) {
        this.dir = dir.toAbsolutePath().normalize();
        this.globText = glob;
        this.glob = this.dir.getFileSystem().getPathMatcher("glob:" + glob);
        this.ingest = ingest;
        this.sink = sink;
        this.log = log;
        this.storeName = sink.store().describe();
        this.inStore = sink.store().capability(CheckpointedAppends.class).orElse(null);
        this.followerKey = hostName() + ":" + this.dir;
        String base = stateName(this.dir, storeName);
        this.checkpointFile = stateDir.resolve(base + ".json");
        this.quarantineFile = stateDir.resolve(base + "-quarantine.jsonl");
    }

    /** The checkpoint file's name without extension: the folder's name and 16 hex digits of the folder and store. */
    static String stateName(Path dir, String store) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((dir + "\n" + store).getBytes(StandardCharsets.UTF_8));
            String name = dir.getFileName() == null ? "root" : dir.getFileName().toString();
            return name.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /**
     * The kind a file's name gives its lines: a name of the catalogue ({@code git-activity.jsonl}), also with a
     * rotation suffix after a dot or dash ({@code git-activity.jsonl.1}, {@code git-activity.jsonl-20260105});
     * {@code null} for any other name, whose lines name their kind.
     */
    static EventKind kindOfName(String name) {
        for (EventKind kind : EventKind.values()) {
            String catalogued = kind.fileName();
            if (name.equals(catalogued) || (name.startsWith(catalogued)
                    && (name.charAt(catalogued.length()) == '.' || name.charAt(catalogued.length()) == '-'))) {
                return kind;
            }
        }
        return null;
    }

    /** The folder followed. */
    public Path dir() {
        return dir;
    }

    /**
     * Where the checkpoints are saved when the store does not keep them; with a store that does, a file
     * found there is migrated into the store and renamed with {@code .migrated} added.
     */
    public Path checkpointFile() {
        return checkpointFile;
    }

    /**
     * Under what the store keeps this follower's checkpoints: {@code HOST:DIR}, the host's name and the
     * folder's absolute path, so that services on several hosts may follow folders of the same path into
     * one PostgreSQL store.
     */
    public String followerKey() {
        return followerKey;
    }

    /** This host's name: the kernel's, else the one Java resolves, else {@code localhost}. */
    static String hostName() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                String name = Files.readString(kernel, StandardCharsets.UTF_8).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            }
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            // No name to be had (no /proc, no resolvable host): one host then stands for all, as a single one does.
            return "localhost";
        }
    }

    /** Whether the checkpoints are kept in the store, each committed with its batch. */
    public boolean checkpointsInStore() {
        return inStore != null;
    }

    /** Where rejected lines go. */
    public Path quarantineFile() {
        return quarantineFile;
    }

    /** The files followed at the last pass, with how far each is stored. */
    public List<FileLag> files() {
        return snapshot;
    }

    /** Events stored for the first time from the followed files since the service started. */
    public long events() {
        return events;
    }

    /** Lines rejected since the service started. */
    public long rejected() {
        return rejected;
    }

    /**
     * Events read again since the service started that the store already held: none after a restart with
     * checkpoints kept in the store; a copied or replaced file's lines already stored, or a batch re-read
     * after a crash with checkpoints kept in a file.
     */
    public long duplicates() {
        return duplicates;
    }

    /** Makes a pass in progress return after its current batch. */
    public void stop() {
        stopping = true;
    }

    /** Closes the files held open; call after the last {@link #poll()}. */
    public void close() {
        for (Tracked file : tracked.values()) {
            closeQuietly(file);
        }
        tracked.clear();
    }

    /**
     * One pass: notices new, renamed, removed, truncated and replaced files, and stores every complete line
     * appended since the last pass. A store failure leaves the lines in their files for the next pass.
     */
    public void poll() {
        if (!loaded) {
            if (!load()) {
                return;
            }
            loaded = true;
            if (!dropped.isEmpty()) {
                save();   // the checkpoints of files gone while the service was stopped leave the store
            }
        }
        Map<String, Path> byKey = new HashMap<>();
        Map<String, BasicFileAttributes> attributes = new HashMap<>();
        Map<String, Path> started = new java.util.TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path path : entries) {
                String name = path.getFileName().toString();
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(path, BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    continue;
                }
                if (!attrs.isRegularFile() || name.startsWith(".")) {
                    continue;
                }
                String key = fileKey(path, attrs);
                byKey.put(key, path);
                attributes.put(key, attrs);
                if (glob.matches(path.getFileName()) && !tracked.containsKey(key)) {
                    started.put(key, path);
                }
            }
        } catch (IOException e) {
            log.println("eventlog serve: cannot list the followed folder " + dir + ": " + e.getMessage());
            return;
        }
        for (Map.Entry<String, Path> entry : started.entrySet()) {
            String key = entry.getKey();
            Path path = entry.getValue();
            Tracked file = new Tracked(key, path, kindOfName(path.getFileName().toString()));
            file.digest = sha256();
            file.occurrences = new HashMap<>();
            if (open(file)) {
                tracked.put(key, file);
            }
        }
        publish(attributes);   // a file found in this pass is listed, with its lag, while the pass reads it
        boolean changed = false;
        for (Tracked file : new ArrayList<>(tracked.values())) {
            if (stopping) {
                break;
            }
            Path now = byKey.get(file.key);
            if (now == null) {
                changed |= finish(file);
                continue;
            }
            if (!now.equals(file.path)) {
                log.println("eventlog serve: followed file " + file.path.getFileName() + " was renamed to "
                        + now.getFileName() + "; its remaining lines are read from there");
                file.path = now;
                changed = true;
            }
            BasicFileAttributes attrs = attributes.get(file.key);
            follow(file, attrs.size(), attrs.lastModifiedTime().toMillis(), false);
            publish(attributes);
        }
        if (changed) {
            save();
        }
        publish(Map.of());
    }

    /** The files' lags as {@link #files()} reports them: a size seen in this pass's listing counts before the file is read. */
    private void publish(Map<String, BasicFileAttributes> listed) {
        List<FileLag> lags = new ArrayList<>(tracked.size());
        for (Tracked file : tracked.values()) {
            BasicFileAttributes attrs = listed.get(file.key);
            long size = Math.max(file.seenSize, file.offset);
            if (attrs != null && attrs.size() >= file.offset) {
                size = Math.max(size, attrs.size());
            }
            lags.add(new FileLag(file.path, file.kind, file.offset, size));
        }
        snapshot = List.copyOf(lags);
    }

    /** A file no longer in the folder (deleted or moved away): what its open handle still holds is read, then it is dropped. */
    private boolean finish(Tracked file) {
        try {
            follow(file, file.channel.size(), -2, true);
        } catch (IOException e) {
            log.println("eventlog serve: followed file " + file.path + " left " + dir + " and cannot be read to its "
                    + "end: " + e.getMessage());
        }
        if (file.occurrences == null) {
            // The store failed: the handle is kept, the next pass tries again.
            return false;
        }
        log.println("eventlog serve: followed file " + file.path.getFileName() + " left " + dir + "; read to byte "
                + file.offset + ", no longer followed");
        closeQuietly(file);
        tracked.remove(file.key);
        if (inStore != null) {
            dropped.add(file.key);
        }
        return true;
    }

    /**
     * Stores the complete lines of {@code file} after its checkpoint, saving the checkpoints after every
     * batch the store committed.
     *
     * @param last whether the file left the folder: a last line without a line feed is read too, since no
     *     writer will end it
     */
    private void follow(Tracked file, long size, long modified, boolean last) {
        try {
            if (file.occurrences == null && !reload(file, size)) {
                return;
            }
            if (size < file.offset) {
                log.println("eventlog serve: followed file " + file.path + " shrank from " + file.offset + " to "
                        + size + " bytes (truncated): read again from its start");
                restart(file);
            } else if ((size != file.seenSize || modified != file.seenModified) && file.window.length > 0
                    && !Arrays.equals(file.window, read(file, file.offset - file.window.length, file.window.length))) {
                log.println("eventlog serve: followed file " + file.path + " was replaced (its bytes before byte "
                        + file.offset + " changed): read again from its start");
                restart(file);
            }
            file.seenSize = size;
            file.seenModified = modified;
            if (size > file.offset) {
                readLines(file, size, last);
            }
        } catch (IOException e) {
            log.println("eventlog serve: cannot read followed file " + file.path + ": " + e.getMessage());
        }
    }

    private void restart(Tracked file) {
        file.offset = 0;
        file.lines = 0;
        file.digest = sha256();
        file.occurrences = new HashMap<>();
        file.window = new byte[0];
        file.lastId = null;
        file.lastKind = null;
        file.lastTs = null;
        file.savedSha = null;
        file.quarantined = 0;
    }

    /**
     * Reads the part of {@code file} already stored again, to count its lines for the ids and to check
     * the saved checkpoint against the file and the store.
     *
     * @return false when the store could not be asked (the next pass tries again)
     */
    private boolean reload(Tracked file, long size) throws IOException {
        if (size < file.offset) {
            log.println("eventlog serve: followed file " + file.path + " is shorter than its checkpoint (" + size
                    + " < " + file.offset + " bytes): read again from its start");
            restart(file);
            return true;
        }
        file.digest = sha256();
        file.occurrences = new HashMap<>();
        scan(file, 0, file.offset, null);
        String sha = HexFormat.of().formatHex(cloneOf(file.digest).digest());
        if (file.savedSha != null && !sha.equals(file.savedSha)) {
            log.println("eventlog serve: followed file " + file.path + " changed since its checkpoint (the bytes "
                    + "already stored differ): read again from its start (events already stored are skipped)");
            restart(file);
            return true;
        }
        if (file.lastId != null && (inStore == null || file.checkLast)) {
            try {
                if (!storeHolds(file)) {
                    log.println("eventlog serve: " + storeName + " no longer holds the last event stored from "
                            + file.path + " (id " + file.lastId + "): read again from its start (events already "
                            + "stored are skipped)");
                    restart(file);
                    return true;
                }
            } catch (EventLogException e) {
                log.println("eventlog serve: " + file.path.getFileName() + " waits: the store failed: "
                        + Inbox.oneLine(e.getMessage()));
                file.digest = null;
                file.occurrences = null;
                return false;
            }
        }
        file.savedSha = sha;
        file.checkLast = false;
        file.window = read(file, file.offset - Math.min(WINDOW, file.offset), (int) Math.min(WINDOW, file.offset));
        return true;
    }

    private boolean storeHolds(Tracked file) {
        EventKind kind = file.lastKind == null ? null : EventKind.fromKey(file.lastKind).orElse(null);
        if (kind == null || file.lastTs == null) {
            return false;
        }
        UUID id = UUID.fromString(file.lastId);
        Instant ts = Instant.ofEpochMilli(file.lastTs);
        try (Stream<Event> stored = sink.store().read(EventQuery.of(kind).between(ts, ts.plusMillis(1)))) {
            return stored.anyMatch(event -> id.equals(event.id()));
        }
    }

    /** What one pass over a file's new bytes found. */
    private final class Pass {
        final Tracked file;
        final List<Event> batch = new ArrayList<>();
        final List<String> quarantine = new ArrayList<>();
        final List<Long> quarantineLines = new ArrayList<>();  // each quarantined line's number
        final List<String> notes = new ArrayList<>();
        long lines;
        Event last;
        boolean failed;

        Pass(Tracked file) {
            this.file = file;
            this.lines = file.lines;
        }

        /**
         * Stores the batch and moves the checkpoint to {@code end}, in one transaction when the store keeps the
         * checkpoints; false when the store failed.
         */
        boolean commit(long end) throws IOException {
            if (batch.isEmpty() && quarantine.isEmpty() && end == file.offset) {
                return true;   // nothing new (a torn last line waiting): no save
            }
            writeQuarantine(this);
            String sha = HexFormat.of().formatHex(cloneOf(file.digest).digest());
            Checkpoint checkpoint = new Checkpoint(file.key, file.path.toString(), kindKey(file), end, lines, sha,
                    last != null ? last.id().toString() : file.lastId, last != null ? last.kind().key() : file.lastKind,
                    last != null ? Long.valueOf(last.ts().toEpochMilli()) : file.lastTs);
            if (!batch.isEmpty() || inStore != null) {
                boolean wasUp = sink.storeUp();
                try {
                    int stored;
                    if (inStore != null) {
                        Map<String, String> values = removals();
                        values.put(file.key, json(checkpoint));
                        stored = sink.storeWithCheckpoints(inStore, batch, followerKey, values);
                        dropped.clear();
                    } else {
                        stored = sink.storeOnly(batch);
                    }
                    events += stored;
                    duplicates += batch.size() - stored;
                } catch (EventLogException e) {
                    if (wasUp) {
                        // Once per outage, not on every pass.
                        log.println("eventlog serve: " + batch.size() + " line(s) of " + file.path + " wait in the "
                                + "file: the store failed: " + Inbox.oneLine(e.getMessage()));
                    }
                    // The counts and digest ran ahead of the checkpoint: read the stored part again next time.
                    file.digest = null;
                    file.occurrences = null;
                    failed = true;
                    return false;
                }
            }
            file.lastId = checkpoint.lastId();
            file.lastKind = checkpoint.lastKind();
            file.lastTs = checkpoint.lastTs();
            file.offset = end;
            file.lines = lines;
            file.savedSha = sha;
            file.window = read(file, end - Math.min(WINDOW, end), (int) Math.min(WINDOW, end));
            if (inStore == null) {
                save();
            }
            notes.clear();
            batch.clear();
            quarantine.clear();
            quarantineLines.clear();
            last = null;
            return true;
        }
    }

    private void readLines(Tracked file, long size, boolean last) throws IOException {
        Pass pass = new Pass(file);
        long end = scan(file, file.offset, size, pass);
        if (pass.failed) {
            return;
        }
        if (last && end < size && !stopping) {
            // The file left the folder with a last line that no writer will end: read it as it is.
            byte[] tail = read(file, end, (int) Math.min(Integer.MAX_VALUE - 8, size - end));
            file.digest.update(tail);
            line(pass, tail, 0, tail.length);
            end = size;
        }
        pass.commit(end);
    }

    /**
     * Reads the complete lines of {@code file} in {@code [from, to)}, taking each into its digest and
     * occurrence counts; with a {@code pass}, decodes them too and commits every {@link #BATCH} events.
     *
     * @return the offset after the last complete line read (a line without a line feed is left for later)
     */
    private long scan(Tracked file, long from, long to, Pass pass) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(1, to - from)));
        byte[] line = new byte[1024];
        int length = 0;
        long lineStart = from;
        long position = from;
        // Set while an over-long line is read: the digest as it was at the line's start.
        MessageDigest beforeLongLine = null;
        while (position < to) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), to - position));
            int n = file.channel.read(chunk, position);
            if (n <= 0) {
                break;
            }
            byte[] bytes = chunk.array();
            int at = 0;
            while (at < n) {
                int newline = at;
                while (newline < n && bytes[newline] != '\n') {
                    newline++;
                }
                int piece = newline - at;
                if (beforeLongLine == null && (long) length + piece > JsonlReader.DEFAULT_MAX_LINE_BYTES) {
                    beforeLongLine = cloneOf(file.digest);
                    file.digest.update(line, 0, length);
                }
                if (beforeLongLine != null) {
                    file.digest.update(bytes, at, piece);
                } else {
                    if (length + piece > line.length) {
                        line = Arrays.copyOf(line, Math.max(length + piece, line.length * 2));
                    }
                    System.arraycopy(bytes, at, line, length, piece);
                }
                length += piece;
                position += piece;
                if (newline == n) {
                    break;
                }
                at = newline + 1;
                position++;
                boolean tooLong = beforeLongLine != null;
                if (!tooLong) {
                    file.digest.update(line, 0, length);
                }
                file.digest.update((byte) '\n');
                if (pass == null) {
                    if (!tooLong) {
                        count(file, line, length);
                    }
                } else if (tooLong) {
                    pass.lines++;
                    reject(pass, "line is longer than " + JsonlReader.DEFAULT_MAX_LINE_BYTES + " bytes", "");
                } else {
                    line(pass, line, 0, length);
                }
                lineStart = position;
                length = 0;
                beforeLongLine = null;
                if (pass != null && (pass.batch.size() >= BATCH || stopping) && (!pass.commit(lineStart) || stopping)) {
                    return lineStart;
                }
            }
        }
        if (beforeLongLine != null) {
            // An over-long line without its line feed yet was taken into the digest: take it out again.
            file.digest = beforeLongLine;
        }
        return lineStart;
    }

    /** Counts a line already stored, as its first reading counted it; false when it was rejected then. */
    private boolean count(Tracked file, byte[] line, int length) {
        try {
            ingest.followedLine(line, 0, length, file.kind, file.occurrences, false);
            return true;
        } catch (RejectedLineException e) {
            return false;
        }
    }

    private void line(Pass pass, byte[] bytes, int from, int to) {
        pass.lines++;
        try {
            Event event = ingest.followedLine(bytes, from, to, pass.file.kind, pass.file.occurrences, true);
            if (event != null) {
                pass.batch.add(event);
                pass.last = event;
            }
        } catch (RejectedLineException e) {
            reject(pass, e.getMessage(), new String(bytes, from, to - from, StandardCharsets.UTF_8));
        }
    }

    private void reject(Pass pass, String reason, String text) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("file", pass.file.path.toString());
        entry.put("line", pass.lines);
        entry.put("kind", pass.file.kind == null ? null : pass.file.kind.key());
        entry.put("reason", reason);
        entry.put("text", text);
        try {
            pass.quarantine.add(Json.MAPPER.writeValueAsString(entry));
            pass.quarantineLines.add(pass.lines);
        } catch (JacksonException e) {
            throw new IllegalStateException("a map of strings and numbers is always JSON", e);
        }
        pass.notes.add("eventlog serve: " + pass.file.path + " line " + pass.lines + " rejected: "
                + Inbox.oneLine(reason) + " (kept in " + quarantineFile + ")");
    }

    /**
     * Writes the lines a pass rejected that are not in the quarantine file yet (a pass read again after a
     * store failure rejects them again), and says so on the log.
     */
    private void writeQuarantine(Pass pass) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < pass.quarantine.size(); i++) {
            if (pass.quarantineLines.get(i) > pass.file.quarantined) {
                lines.add(pass.quarantine.get(i));
                log.println(pass.notes.get(i));
                pass.file.quarantined = pass.quarantineLines.get(i);
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        rejected += lines.size();
        try {
            Files.createDirectories(quarantineFile.getParent());
            Files.writeString(quarantineFile, String.join("\n", lines) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            log.println("eventlog serve: cannot write the quarantine file " + quarantineFile + ": " + e.getMessage());
        }
    }

    private static byte[] read(Tracked file, long from, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (file.channel.read(buffer, from + buffer.position()) < 0) {
                return Arrays.copyOf(buffer.array(), buffer.position());
            }
        }
        return buffer.array();
    }

    private boolean open(Tracked file) {
        try {
            file.channel = FileChannel.open(file.path, StandardOpenOption.READ);
            return true;
        } catch (IOException e) {
            log.println("eventlog serve: cannot open followed file " + file.path + ": " + e.getMessage());
            return false;
        }
    }

    private static void closeQuietly(Tracked file) {
        if (file.channel == null) {
            return;
        }
        try {
            file.channel.close();
        } catch (IOException e) {
            // Only a read handle: nothing was written through it that could be lost.
            file.channel = null;
        }
    }

    /**
     * Loads the checkpoints and finds each file in the folder by its identity, under whatever name it has now.
     *
     * @return false when the store that keeps them could not be asked (the next pass tries again)
     */
    private boolean load() {
        Loaded loaded = inStore == null ? new Loaded(readCheckpointFile(), true) : loadFromStore();
        if (loaded == null) {
            return false;
        }
        if (loaded.checkpoints().isEmpty()) {
            return true;
        }
        Map<String, Path> byKey = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path path : entries) {
                try {
                    BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
                    if (attrs.isRegularFile()) {
                        byKey.put(fileKey(path, attrs), path);
                    }
                } catch (NoSuchFileException e) {
                    continue;
                }
            }
        } catch (IOException e) {
            log.println("eventlog serve: cannot list the followed folder " + dir + ": " + e.getMessage());
            return false;
        }
        for (Checkpoint checkpoint : loaded.checkpoints()) {
            Path path = byKey.get(checkpoint.fileKey());
            if (path == null) {
                log.println("eventlog serve: followed file " + checkpoint.file() + " is no longer in " + dir
                        + " (removed while the service was stopped): lines after byte " + checkpoint.offset()
                        + " of it were not stored");
                if (inStore != null) {
                    dropped.add(checkpoint.fileKey());
                }
                continue;
            }
            if (!path.toString().equals(checkpoint.file())) {
                log.println("eventlog serve: followed file " + Path.of(checkpoint.file()).getFileName() + " was "
                        + "renamed to " + path.getFileName() + " while the service was stopped; its remaining lines "
                        + "are read from there");
            }
            EventKind kind = checkpoint.kind() == null ? null : EventKind.fromKey(checkpoint.kind()).orElse(null);
            Tracked file = new Tracked(checkpoint.fileKey(), path, kind);
            file.offset = checkpoint.offset();
            file.lines = checkpoint.lines();
            file.savedSha = checkpoint.sha256();
            file.lastId = checkpoint.lastId();
            file.lastKind = checkpoint.lastKind();
            file.lastTs = checkpoint.lastTs();
            file.checkLast = loaded.checkLast();
            if (open(file)) {
                tracked.put(file.key, file);
            }
        }
        return true;
    }

    /** The checkpoints saved in the checkpoint file; empty when there is none or it cannot be read (said why). */
    private List<Checkpoint> readCheckpointFile() {
        Saved saved;
        try {
            saved = Json.MAPPER.readValue(Files.readAllBytes(checkpointFile), Saved.class);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            log.println("eventlog serve: the checkpoint file " + checkpointFile + " cannot be read (" + e.getMessage()
                    + "): the followed files are read from their start, which stores nothing twice");
            return List.of();
        }
        if (saved.version() != VERSION || saved.files() == null) {
            log.println("eventlog serve: the checkpoint file " + checkpointFile + " is of another version: the "
                    + "followed files are read from their start, which stores nothing twice");
            return List.of();
        }
        return saved.files();
    }

    /**
     * The checkpoints the store keeps for this folder. When a checkpoint file of an earlier version is found
     * and the store keeps none yet, its checkpoints are moved into the store first (their last events are then
     * checked in the store, as the file's always were); either way the file is then renamed {@code .migrated}.
     *
     * @return null when the store could not be asked or written
     */
    private Loaded loadFromStore() {
        Map<String, String> values;
        try {
            values = inStore.checkpoints(followerKey);
        } catch (EventLogException e) {
            log.println("eventlog serve: the checkpoints of " + dir + " cannot be read from " + storeName
                    + "; following waits for the store: " + Inbox.oneLine(e.getMessage()));
            return null;
        }
        boolean migrated = false;
        if (Files.exists(checkpointFile)) {
            if (values.isEmpty()) {
                Map<String, String> moved = new LinkedHashMap<>();
                readCheckpointFile().forEach(checkpoint -> moved.put(checkpoint.fileKey(), json(checkpoint)));
                if (!moved.isEmpty()) {
                    try {
                        sink.storeWithCheckpoints(inStore, List.of(), followerKey, moved);
                    } catch (EventLogException e) {
                        log.println("eventlog serve: the checkpoints in " + checkpointFile + " cannot be moved into "
                                + storeName + "; following waits for the store: " + Inbox.oneLine(e.getMessage()));
                        return null;
                    }
                    values = moved;
                    migrated = true;
                }
            }
            Path renamed = checkpointFile.resolveSibling(checkpointFile.getFileName() + ".migrated");
            try {
                Files.move(checkpointFile, renamed, StandardCopyOption.REPLACE_EXISTING);
                log.println("eventlog serve: the checkpoints of " + dir + " are kept in " + storeName + " from now on"
                        + (migrated ? " (" + values.size() + " moved from " + checkpointFile + ")" : "")
                        + "; the old file is kept as " + renamed);
            } catch (IOException e) {
                log.println("eventlog serve: cannot rename " + checkpointFile + " to " + renamed + " (" + e.getMessage()
                        + "); the checkpoints kept in " + storeName + " are used");
            }
        }
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            try {
                checkpoints.add(Json.MAPPER.readValue(entry.getValue(), Checkpoint.class));
            } catch (JacksonException e) {
                log.println("eventlog serve: the checkpoint of " + entry.getKey() + " kept in " + storeName
                        + " cannot be read (" + Inbox.oneLine(e.getMessage()) + "): that file is read from its start"
                        + " if it is still in " + dir + ", which stores nothing twice");
                dropped.add(entry.getKey());
            }
        }
        return new Loaded(checkpoints, migrated);
    }

    /** The checkpoints of the files no longer followed, to remove from the store: file key to {@code null}. */
    private Map<String, String> removals() {
        Map<String, String> values = new HashMap<>();
        dropped.forEach(key -> values.put(key, null));
        return values;
    }

    private static String kindKey(Tracked file) {
        return file.kind == null ? null : file.kind.key();
    }

    private static String json(Checkpoint checkpoint) {
        try {
            return Json.MAPPER.writeValueAsString(checkpoint);
        } catch (JacksonException e) {
            throw new IllegalStateException("a record of strings and numbers is always JSON", e);
        }
    }

    /** Saves every followed file's checkpoint: in the store that keeps them, else in the checkpoint file. */
    private void save() {
        List<Checkpoint> files = new ArrayList<>();
        for (Tracked file : tracked.values()) {
            files.add(new Checkpoint(file.key, file.path.toString(), kindKey(file), file.offset, file.lines,
                    file.savedSha, file.lastId, file.lastKind, file.lastTs));
        }
        if (inStore != null) {
            Map<String, String> values = removals();
            files.forEach(checkpoint -> values.put(checkpoint.fileKey(), json(checkpoint)));
            try {
                sink.storeWithCheckpoints(inStore, List.of(), followerKey, values);
                dropped.clear();
            } catch (EventLogException e) {
                // Only names changed or files left: the checkpoints kept still find each file by its identity.
                log.println("eventlog serve: cannot save the checkpoints of " + dir + " in " + storeName + " ("
                        + Inbox.oneLine(e.getMessage()) + "); they are saved with the next batch");
            }
            return;
        }
        Path tmp = null;
        try {
            Files.createDirectories(checkpointFile.getParent());
            tmp = Files.createTempFile(checkpointFile.getParent(), "." + checkpointFile.getFileName() + "-", ".tmp");
            // Not fsynced: a checkpoint lost or left older by a power cut costs a re-read, never a duplicate.
            Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(new Saved(VERSION, storeName, dir.toString(), files)));
            try {
                Files.move(tmp, checkpointFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, checkpointFile, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            log.println("eventlog serve: cannot save the checkpoints in " + checkpointFile + ": " + e.getMessage()
                    + " (a restart reads the followed files again, which stores nothing twice)");
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    log.println("eventlog serve: cannot remove " + tmp + ": " + e.getMessage());
                }
            }
        }
    }

    private static String fileKey(Path path, BasicFileAttributes attrs) {
        Object key = attrs.fileKey();
        // Without a file key (some file systems), the name stands for the file: a rename then starts it anew,
        // which stores nothing twice.
        return key != null ? key.toString() : "name:" + path.getFileName();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static MessageDigest cloneOf(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests can be cloned on every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return dir + " (" + globText + ")";
    }
}
