package dev.eventlog.migrate;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JacksonException;
import dev.eventlog.Event;
import dev.eventlog.internal.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How far each input file has been imported into each target, so that a re-run reads only what
 * was appended since. Kept as a small JSON file, replaced atomically after a batch at most every
 * {@value #SAVE_EVERY_MILLIS} ms, after a file's last batch and when a run stops (a failure
 * included); a process killed in between re-reads at most that much of a file on its next run,
 * finding those events already present. It is only a shortcut, and it is checked before it is believed: a file is recognised by a SHA-256 over
 * every byte read (an edit anywhere in them sends the file back to its start), and the target must
 * still hold the last event imported from the file (a target deleted, re-created or restored from an
 * older copy sends the file back to its start). Appends are idempotent, so a re-read costs time,
 * never a duplicate. Not thread-safe.
 */
final class ImportProgress {
    /** The version of the saved form; entries of other versions are read again from the start. */
    static final int VERSION = 2;
    /**
     * How often, at most, the file is replaced while a file is being read: a save per batch cost
     * about 4 % of an import's writing thread (200 files written and renamed per million lines).
     */
    static final long SAVE_EVERY_MILLIS = 1000;

    /**
     * One file's progress into one target.
     *
     * @param target the target store's description
     * @param file the absolute path of the input file
     * @param kind the kind key its lines were read as, or {@code *} for a file of mixed kinds
     * @param resumeAt the byte offset the next run starts decoding at
     * @param size how many bytes of the file were read, which the digest covers
     * @param sha256 SHA-256 of the file's first {@code size} bytes
     * @param lastId the id of the last event sent to the target from this file, or {@code null}
     * @param lastKind that event's kind key, or {@code null}
     * @param lastTs that event's time in epoch milliseconds, or {@code null}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Entry(String target, String file, String kind, long resumeAt, long size, String sha256, String lastId,
            String lastKind, Long lastTs) {
    }

    /** The file as saved. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Saved(int version, java.util.List<Entry> files) {
    }

    private final Path path;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private String problem;
    private final LongSupplier nanoClock;
    private boolean unsaved;
    private long savedAt;

    private ImportProgress(Path path, LongSupplier nanoClock) {
        this.path = path;
        this.nanoClock = nanoClock;
        this.savedAt = nanoClock.getAsLong();
    }

    /** Loads {@code path}; a missing file is no progress, an unusable one is reported by {@link #problem()}. */
    static ImportProgress load(Path path) {
        return load(path, System::nanoTime);
    }

    /** {@link #load(Path)} with the clock that spaces the saves, in nanoseconds (a test's own). */
    static ImportProgress load(Path path, LongSupplier nanoClock) {
        ImportProgress progress = new ImportProgress(path, nanoClock);
        try {
            Saved saved = Json.MAPPER.readValue(Files.readAllBytes(path), Saved.class);
            if (saved.version() != VERSION) {
                progress.problem = "progress file " + path + " is of version " + saved.version() + ", not " + VERSION
                        + ": every file is read from the start, which adds no duplicates";
            } else if (saved.files() != null) {
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

    Entry get(String target, Path file, String kind) {
        return entries.get(key(target, file.toString(), kind));
    }

    /**
     * Records that {@code file} was read up to {@code size}, whose first {@code size} bytes have the
     * SHA-256 {@code sha256}, to be resumed at {@code resumeAt}, with {@code last} the last event the
     * target stored from it; saves when {@code now}, or when the last save is
     * {@value #SAVE_EVERY_MILLIS} ms old, else at the next {@link #flush()}.
     */
    void record(String target, Path file, String kind, long resumeAt, long size, String sha256, Event last,
            Entry before, boolean now) {
        String lastId = last != null ? last.id().toString() : before != null ? before.lastId() : null;
        String lastKind = last != null ? last.kind().key() : before != null ? before.lastKind() : null;
        Long lastTs = last != null ? Long.valueOf(last.ts().toEpochMilli()) : before != null ? before.lastTs() : null;
        Entry entry = new Entry(target, file.toString(), kind, resumeAt, size, sha256, lastId, lastKind, lastTs);
        entries.put(key(target, entry.file(), entry.kind()), entry);
        unsaved = true;
        if (now || nanoClock.getAsLong() - savedAt >= SAVE_EVERY_MILLIS * 1_000_000) {
            flush();
        }
    }

    /** Saves what was recorded since the last save, if anything. */
    void flush() {
        if (unsaved) {
            save();
            unsaved = false;
            savedAt = nanoClock.getAsLong();
        }
    }

    private void save() {
        Path parent = path.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempFile(parent, "." + path.getFileName() + "-", ".tmp");
            Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(new Saved(VERSION, new ArrayList<>(entries.values()))));
            OutputPaths.replace(tmp, path);
            tmp = null;
        } catch (IOException e) {
            throw new MigrationException("cannot write the progress file " + path + ": " + e, e);
        } finally {
            OutputPaths.deleteQuietly(tmp);
        }
    }

    private static String key(String target, String file, String kind) {
        return target + '\n' + file + '\n' + kind;
    }
}
