package dev.eventlog.migrate;

import dev.eventlog.ConfigurationException;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.jsonl.JsonlReader;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.Expiring;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link Retention} into one archive file ({@link Retention.Plan#archiveFile()}, {@code eventlog
 * retention --archive-file FILE.jsonl.gz}): every kind is archived first, into one gzip file of
 * JSONL lines written under a temporary name, forced, read back as the importer reads it and
 * checked kind by kind, then linked under its name (never replacing a file), and only then is each
 * kind removed. See {@link Retention}'s class comment. Not thread-safe: one run at a time per store.
 */
final class RetentionFile {
    private RetentionFile() {
    }

    /**
     * Archives every kind of {@code plan} into its archive file, checks it, names it, then removes
     * kind by kind through {@code expiring}.
     */
    static RetentionReport run(EventStore store, Expiring expiring, Retention.Plan plan,
            MigrationListener listener) {
        Path file = plan.archiveFile().toAbsolutePath().normalize();
        Path directory = file.getParent();
        if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new ConfigurationException("the archive file was '" + plan.archiveFile() + "' but it must not exist"
                    + " yet: an archive is never overwritten; give a new name");
        }
        Path temp = directory.resolve("." + file.getFileName() + ".retention-tmp");
        Map<EventKind, Retention.Archive> archives = new EnumMap<>(EventKind.class);
        EventFingerprints fingerprints = new EventFingerprints();
        try {
            Files.createDirectories(directory);
            // A temporary file of this name is what a killed run left: it was never named, nothing was removed.
            Files.deleteIfExists(temp);
            try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), Retention.OWNER_ONLY);
                    java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(
                            Channels.newOutputStream(channel), 1 << 16)) {
                long done = 0;
                for (Map.Entry<EventKind, Duration> entry : plan.olderThan().entrySet()) {
                    EventKind kind = entry.getKey();
                    listener.phase("archiving " + kind.key(), -1);
                    Retention.Archive archive = new Retention.Archive(file);
                    archives.put(kind, archive);
                    done = Retention.writeKind(store, kind, plan.now().minus(entry.getValue()), null, archive, fingerprints,
                            out, done, listener);
                }
                out.finish();
                out.flush();
                channel.force(true);
            }
            checkFile(temp, archives, fingerprints);
            Files.createLink(file, temp);
            Files.delete(temp);
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            OutputPaths.deleteQuietly(temp);
            throw new MigrationException("cannot write the archive " + file + ": it appeared during the run and is"
                    + " left as it is; nothing was removed", e);
        } catch (IOException e) {
            OutputPaths.deleteQuietly(temp);
            throw new MigrationException("cannot write the archive " + file + ": " + e + "; nothing was removed", e);
        } catch (RuntimeException e) {
            OutputPaths.deleteQuietly(temp);
            throw e;
        }
        List<RetentionReport.KindRetention> kinds = new ArrayList<>();
        for (Map.Entry<EventKind, Retention.Archive> entry : archives.entrySet()) {
            EventKind kind = entry.getKey();
            Retention.Archive archive = entry.getValue();
            archive.sortTimes();
            listener.phase("removing " + kind.key(), -1);
            Expiring.Removal removal = expiring.removeBefore(kind, plan.now().minus(plan.olderThan().get(kind)),
                    archive);
            kinds.add(new RetentionReport.KindRetention(kind, plan.now().minus(plan.olderThan().get(kind)),
                    archive.events.count(), archive.events.count(), archive.events.hex(), file, removal.rows(),
                    removal.changes()));
        }
        return new RetentionReport(store.describe(), false, kinds);
    }

    /** Reads the gzip file {@code temp} back as the importer does: each kind must read back as archived. */
    private static void checkFile(Path temp, Map<EventKind, Retention.Archive> archives, EventFingerprints fingerprints)
            throws IOException {
        Map<EventKind, ContentDigest> read = new EnumMap<>(EventKind.class);
        long[] differing = {0};
        try (JsonlReader reader = JsonlReader.openInput(temp, null, KeyAliases.builtIn(),
                JsonlReader.DEFAULT_MAX_LINE_BYTES, 0)) {
            for (JsonlReader.Line line = reader.next(); line != null; line = reader.next()) {
                Event event = line.event();
                Retention.Archive archive = event == null ? null : archives.get(event.kind());
                if (archive == null) {
                    differing[0]++;
                } else if (archive.ids.isUnseen(event.id())) {
                    byte[] fingerprint = fingerprints.of(event);
                    if (archive.ids.match(event.id(), ContentDigest.shortForm(fingerprint)) == IdHashTable.SAME) {
                        read.computeIfAbsent(event.kind(), k -> new ContentDigest()).add(fingerprint);
                    } else {
                        differing[0]++;
                    }
                }
            }
        }
        for (Map.Entry<EventKind, Retention.Archive> entry : archives.entrySet()) {
            Retention.Archive archive = entry.getValue();
            ContentDigest back = read.getOrDefault(entry.getKey(), new ContentDigest());
            if (back.count() != archive.events.count() || !back.hex().equals(archive.events.hex())) {
                throw new MigrationException("the archive " + temp + " does not hold the " + archive.events.count()
                        + " event(s) of " + entry.getKey().key() + " to remove exactly (" + back.count()
                        + " read back alike, " + differing[0] + " line(s) differing or of no kind archived, "
                        + archive.ids.unseen() + " missing); nothing was removed", null);
            }
        }
    }
}
