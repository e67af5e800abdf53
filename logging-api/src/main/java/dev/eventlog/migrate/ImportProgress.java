package dev.eventlog.migrate;

import com.fasterxml.jackson.core.JacksonException;
import dev.eventlog.EventKind;
import dev.eventlog.internal.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far each input file has been imported into each target, so that a re-run reads only what
 * was appended since. Kept as a small JSON file, replaced atomically after every batch. It is
 * only a shortcut: appends are idempotent, so a lost or stale progress file costs a re-read,
 * never a duplicate. A file is recognised by a SHA-256 over its first and last 4 KiB up to the
 * recorded size; a file that shrank or whose head or tail changed is read again from the start.
 * Not thread-safe.
 */
final class ImportProgress {
    private static final int EDGE_BYTES = 4096;

    /**
     * One file's progress into one target.
     *
     * @param target the target store's description
     * @param file the absolute path of the input file
     * @param kind the kind its lines were read as
     * @param resumeAt the byte offset the next run starts decoding at
     * @param size how many bytes of the file were read, which the fingerprint covers
     * @param fingerprint SHA-256 of the file's first and last 4 KiB below {@code size}
     */
    record Entry(String target, String file, String kind, long resumeAt, long size, String fingerprint) {
    }

    /** The file as saved. */
    record Saved(int version, List<Entry> files) {
    }

    private final Path path;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private String problem;

    private ImportProgress(Path path) {
        this.path = path;
    }

    /** Loads {@code path}; a missing file is no progress, an unreadable one is reported by {@link #problem()}. */
    static ImportProgress load(Path path) {
        ImportProgress progress = new ImportProgress(path);
        try {
            Saved saved = Json.MAPPER.readValue(Files.readAllBytes(path), Saved.class);
            if (saved.files() != null) {
                for (Entry entry : saved.files()) {
                    progress.entries.put(key(entry.target(), entry.file(), entry.kind()), entry);
                }
            }
        } catch (NoSuchFileException e) {
            return progress;
        } catch (JacksonException e) {
            progress.problem = "progress file " + path + " is not readable (" + e.getOriginalMessage()
                    + "); every file is read from the start, which adds no duplicates";
        } catch (IOException e) {
            throw new MigrationException("cannot read the progress file " + path + ": " + e, e);
        }
        return progress;
    }

    /** Why the saved progress could not be used, or {@code null}. */
    String problem() {
        return problem;
    }

    Path path() {
        return path;
    }

    Entry get(String target, Path file, EventKind kind) {
        return entries.get(key(target, file.toString(), kind.key()));
    }

    /** Records that {@code file} was read up to {@code size}, to be resumed at {@code resumeAt}, and saves. */
    void record(String target, Path file, EventKind kind, long resumeAt, long size) {
        Entry entry = new Entry(target, file.toString(), kind.key(), resumeAt, size, fingerprint(file, size));
        entries.put(key(target, entry.file(), entry.kind()), entry);
        save();
    }

    /** Whether {@code file} still starts with the bytes {@code entry} was taken over. */
    static boolean stillMatches(Path file, Entry entry) {
        try {
            return Files.size(file) >= entry.size() && fingerprint(file, entry.size()).equals(entry.fingerprint());
        } catch (IOException e) {
            throw new MigrationException("cannot read " + file + ": " + e, e);
        }
    }

    private void save() {
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(new Saved(1, new ArrayList<>(entries.values()))));
            try {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new MigrationException("cannot write the progress file " + path + ": " + e, e);
        }
    }

    private static String fingerprint(Path file, long size) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(ByteBuffer.allocate(Long.BYTES).putLong(size).array());
            long headEnd = Math.min(size, EDGE_BYTES);
            update(sha256, channel, 0, headEnd);
            update(sha256, channel, Math.max(headEnd, size - EDGE_BYTES), size);
            return HexFormat.of().formatHex(sha256.digest());
        } catch (IOException e) {
            throw new MigrationException("cannot read " + file + ": " + e, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static void update(MessageDigest sha256, FileChannel channel, long from, long to) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) (to - from));
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, from + buffer.position()) < 0) {
                break;
            }
        }
        buffer.flip();
        sha256.update(buffer);
    }

    private static String key(String target, String file, String kind) {
        return target + '\n' + file + '\n' + kind;
    }
}
