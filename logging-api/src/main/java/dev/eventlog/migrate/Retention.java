package dev.eventlog.migrate;

import dev.eventlog.ConfigurationException;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.jsonl.JsonlReader;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.jsonl.LineDecoder;
import dev.eventlog.jsonl.LineEncoder;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.Expiring;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Retention (README, "Retention: archive, then drop"): removes the events older than an age,
 * per kind, after archiving them. For each kind in turn:
 *
 * <ol>
 *   <li>the events before the cut are read from the store and written as JSONL lines (the
 *       {@link LineEncoder}'s, so {@code eventlog import} takes them back exactly) to a temporary
 *       file beside the kind's archive file ({@code DIR/tool-use.jsonl} …), after the lines that
 *       file already holds; the temporary file is forced to disk;</li>
 *   <li>it is read back and every event is compared with the store's, by id and by content
 *       fingerprint: the count and the content digest ({@code eventlog verify}'s) of the archived
 *       events must equal those of the events to remove, otherwise the run stops and removes
 *       nothing;</li>
 *   <li>the temporary file is renamed over the archive file in one step and the directory is
 *       forced to disk;</li>
 *   <li>the store removes those events, and only those ({@link Expiring}): a PostgreSQL store
 *       drops its partitions that lie entirely before the cut, and deletes the rest in batches.</li>
 * </ol>
 *
 * <p>A run killed at any point loses nothing and is finished by running it again: before the
 * rename the archive file and the store are as they were; after it the archive holds every event
 * the store may have removed, and the next run finds the events still in the store already in the
 * archive (it never writes an event twice) and removes them. Memory: about 70 bytes per event
 * before the cut of the kind being archived. Not thread-safe: one run at a time per store.
 *
 * <p>With an archive file ({@link Plan#archiveFile()}, {@code eventlog retention --archive-file
 * FILE.jsonl.gz}) every kind is archived first, into one gzip file of JSONL lines (kind after kind,
 * each line naming its kind in {@code kind}): written to a temporary name beside it, forced to disk,
 * read back and compared kind by kind as above, then linked under its name (a file already there is
 * never replaced: the run is refused before anything is read) and the directory forced; only then
 * is each kind removed. A run killed before that leaves no file under the name and removes nothing;
 * one killed during the removals is finished by a run into another file, which then also holds the
 * events the first had not removed yet (importing both stores each event once: ids). Memory: about
 * 70 bytes per event before the cut, over every kind.
 */
public final class Retention {
    /** Archive files are readable by their owner only, as JSONL stores are: events can hold secrets. */
    static final java.nio.file.attribute.FileAttribute<?>[] OWNER_ONLY =
            java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? new java.nio.file.attribute.FileAttribute<?>[] {java.nio.file.attribute.PosixFilePermissions
                            .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))}
                    : new java.nio.file.attribute.FileAttribute<?>[0];

    /**
     * What to do.
     *
     * @param olderThan each kind to clean with the age its events are removed at
     * @param archive the directory the archive files are kept in, or {@code null} with {@code noArchive}
     *     or {@code archiveFile}
     * @param noArchive remove without archiving; required when neither archive is given
     * @param dryRun count what would be archived and removed, changing nothing
     * @param now the time ages are measured from
     * @param archiveFile the one gzip file every kind is archived into, which must not exist yet, or
     *     {@code null}
     */
    public record Plan(Map<EventKind, Duration> olderThan, Path archive, boolean noArchive, boolean dryRun,
            Instant now, Path archiveFile) {

        /**
         * A plan archiving into a directory ({@code archive}), or not at all.
         *
         * @throws ConfigurationException as the canonical constructor
         */
        public Plan(Map<EventKind, Duration> olderThan, Path archive, boolean noArchive, boolean dryRun, Instant now) {
            this(olderThan, archive, noArchive, dryRun, now, null);
        }

        /**
         * Copies the map in catalogue order and checks the plan.
         *
         * @throws ConfigurationException when no kind is given, an age is not positive, or not exactly
         *     one of an archive directory, an archive file and {@code noArchive} is given
         */
        public Plan {
            if (olderThan == null || olderThan.isEmpty()) {
                throw new ConfigurationException("retention needs at least one kind with an age");
            }
            EnumMap<EventKind, Duration> ordered = new EnumMap<>(EventKind.class);
            olderThan.forEach((kind, age) -> {
                if (age == null || age.isNegative() || age.isZero()) {
                    throw new ConfigurationException("the age of " + kind.key() + " was '" + age
                            + "' but it must be positive");
                }
                ordered.put(kind, age);
            });
            olderThan = java.util.Collections.unmodifiableMap(ordered);
            int given = (archive == null ? 0 : 1) + (archiveFile == null ? 0 : 1) + (noArchive ? 1 : 0);
            if (given == 0) {
                throw new ConfigurationException("retention needs an archive directory or file, or noArchive to"
                        + " remove events without keeping them");
            }
            if (given > 1) {
                throw new ConfigurationException("retention was given more than one of an archive directory ("
                        + archive + "), an archive file (" + archiveFile + ") and noArchive; give one");
            }
            now = (now == null ? Instant.now() : now).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        }

        /** A plan that archives every kind older than {@code age} into {@code archive}. */
        public static Plan archiving(Duration age, Path archive) {
            Map<EventKind, Duration> ages = new EnumMap<>(EventKind.class);
            for (EventKind kind : EventKind.values()) {
                ages.put(kind, age);
            }
            return new Plan(ages, archive, false, false, Instant.now());
        }
    }

    private Retention() {
    }

    /**
     * Runs {@code plan} on {@code store}.
     *
     * @param listener hears a phase per kind and progress in events archived
     * @return what was done, per kind
     * @throws ConfigurationException when the store cannot remove events, or the archive directory is
     *     the JSONL store's own directory
     * @throws MigrationException when the archive cannot be written or does not hold the events
     *     exactly; nothing of that kind was removed
     * @throws dev.eventlog.StoreException when the store cannot be read or changed
     */
    public static RetentionReport run(EventStore store, Plan plan, MigrationListener listener) {
        Expiring expiring = store.capability(Expiring.class).orElseThrow(() -> new ConfigurationException(
                store.describe() + " cannot remove events (it has no Expiring ability)"));
        if (plan.archive() != null) {
            store.capability(JsonlEventStore.class).ifPresent(jsonl -> {
                if (OutputPaths.canonical(jsonl.directory()).equals(OutputPaths.canonical(plan.archive()))) {
                    throw new ConfigurationException("the archive was '" + plan.archive() + "' but it must not be"
                            + " the store's own directory");
                }
            });
        }
        if (plan.archiveFile() != null && !plan.dryRun()) {
            return RetentionFile.run(store, expiring, plan, listener);
        }
        List<RetentionReport.KindRetention> kinds = new ArrayList<>();
        for (Map.Entry<EventKind, Duration> entry : plan.olderThan().entrySet()) {
            EventKind kind = entry.getKey();
            Instant cut = plan.now().minus(entry.getValue());
            if (plan.dryRun()) {
                long older = store.count(new EventQuery(Set.of(kind), null, cut)).get(kind);
                Path file = plan.archiveFile() != null ? plan.archiveFile()
                        : plan.archive() == null ? null : plan.archive().resolve(kind.fileName());
                kinds.add(new RetentionReport.KindRetention(kind, cut, older, 0, null, file, 0, List.of()));
            } else if (plan.noArchive()) {
                listener.phase("removing " + kind.key(), -1);
                long older = store.count(new EventQuery(Set.of(kind), null, cut)).get(kind);
                Expiring.Removal removal = expiring.removeBefore(kind, cut, null);
                kinds.add(new RetentionReport.KindRetention(kind, cut, older, 0, null, null, removal.rows(),
                        removal.changes()));
            } else {
                listener.phase("archiving " + kind.key(), -1);
                Archive archive = archive(store, kind, cut, plan.archive(), listener);
                listener.phase("removing " + kind.key(), -1);
                Expiring.Removal removal = expiring.removeBefore(kind, cut, archive);
                kinds.add(new RetentionReport.KindRetention(kind, cut, archive.events.count(), archive.events.count(),
                        archive.events.hex(), Files.exists(archive.file) ? archive.file : null, removal.rows(),
                        removal.changes()));
            }
        }
        return new RetentionReport(store.describe(), plan.dryRun(), kinds);
    }

    /**
     * Writes the events of {@code kind} before {@code cut} as lines to {@code out}, but those whose id
     * is {@code present}, and notes each in {@code archive}.
     *
     * @return {@code done} plus the events read
     */
    static long writeKind(EventStore store, EventKind kind, Instant cut, IdHashTable present,
            Archive archive, EventFingerprints fingerprints, OutputStream out, long done, MigrationListener listener)
            throws IOException {
        LineEncoder encoder = new LineEncoder();
        try (Stream<Event> events = store.read(new EventQuery(Set.of(kind), null, cut))) {
            for (Iterator<Event> it = events.iterator(); it.hasNext(); ) {
                Event event = it.next();
                byte[] fingerprint = fingerprints.of(event);
                archive.events.add(fingerprint);
                archive.ids.put(event.id(), ContentDigest.shortForm(fingerprint));
                archive.addTime(event.ts());
                if (present == null || !present.contains(event.id())) {
                    encoder.encode(event);
                }
                if (++done % 10_000 == 0) {
                    out.write(encoder.drain());
                    listener.progress(done);
                }
            }
        }
        out.write(encoder.drain());
        return done;
    }

    /** Writes, checks and renames one kind's archive file; see the class comment, steps 1 to 3. */
    private static Archive archive(EventStore store, EventKind kind, Instant cut, Path directory,
            MigrationListener listener) {
        Path file = directory.resolve(kind.fileName());
        Path temp = directory.resolve("." + kind.fileName() + ".retention-tmp");
        Archive archive = new Archive(file);
        EventFingerprints fingerprints = new EventFingerprints();
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, OWNER_ONLY.length == 0 ? OWNER_ONLY
                        : new java.nio.file.attribute.FileAttribute<?>[] {java.nio.file.attribute.PosixFilePermissions
                                .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"))});
            }
            Files.deleteIfExists(temp);
            IdHashTable present = new IdHashTable();
            if (Files.exists(file)) {
                forEachLine(file, kind, event -> present.put(event.id(), 0));
            }
            boolean existed = Files.exists(file);
            try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), OWNER_ONLY);
                    OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                if (Files.exists(file)) {
                    Files.copy(file, out);
                    if (endsTorn(file)) {
                        out.write('\n');
                    }
                }
                writeKind(store, kind, cut, present, archive, fingerprints, out, 0, listener);
                out.flush();
                channel.force(true);
            }
            if (!existed && archive.events.count() == 0) {
                Files.delete(temp);
                archive.sortTimes();
                return archive;
            }
            check(temp, kind, archive, fingerprints);
            OutputPaths.replace(temp, file);
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            OutputPaths.deleteQuietly(temp);
            throw new MigrationException("cannot write the archive " + file + ": " + e + "; nothing of "
                    + kind.key() + " was removed", e);
        } catch (RuntimeException e) {
            OutputPaths.deleteQuietly(temp);
            throw e;
        }
        archive.sortTimes();
        return archive;
    }

    /** Reads {@code temp} back: its events of the archived ids must have the store's count and digest. */
    private static void check(Path temp, EventKind kind, Archive archive, EventFingerprints fingerprints)
            throws IOException {
        ContentDigest read = new ContentDigest();
        long[] differing = {0};
        forEachLine(temp, kind, event -> {
            if (archive.ids.isUnseen(event.id())) {
                byte[] fingerprint = fingerprints.of(event);
                if (archive.ids.match(event.id(), ContentDigest.shortForm(fingerprint)) == IdHashTable.SAME) {
                    read.add(fingerprint);
                } else {
                    differing[0]++;
                }
            }
        });
        if (read.count() != archive.events.count() || !read.hex().equals(archive.events.hex())) {
            throw new MigrationException("the archive " + temp + " does not hold the " + archive.events.count()
                    + " event(s) of " + kind.key() + " to remove exactly (" + read.count() + " read back alike, "
                    + differing[0] + " differing, " + archive.ids.unseen() + " missing); nothing was removed", null);
        }
    }

    private interface EventAction {
        void accept(Event event) throws IOException;
    }

    private static void forEachLine(Path file, EventKind kind, EventAction action) throws IOException {
        try (JsonlReader reader = JsonlReader.open(file, new LineDecoder(kind, KeyAliases.builtIn()))) {
            for (JsonlReader.Line line = reader.next(); line != null; line = reader.next()) {
                if (line.event() != null) {
                    action.accept(line.event());
                }
            }
        }
    }

    private static boolean endsTorn(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() == 0) {
                return false;
            }
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            channel.read(last, channel.size() - 1);
            return last.get(0) != '\n';
        }
    }

    /** One kind's archive once written and checked: what a removal may take. */
    static final class Archive implements Expiring.Archived {
        final Path file;
        final ContentDigest events = new ContentDigest();
        final IdHashTable ids = new IdHashTable();
        private long[] times = new long[1024];
        private int size;

        Archive(Path file) {
            this.file = file;
        }

        void addTime(Instant ts) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
            }
            times[size++] = ts.toEpochMilli();
        }

        void sortTimes() {
            Arrays.sort(times, 0, size);
        }

        @Override
        public boolean contains(UUID id) {
            return ids.contains(id);
        }

        @Override
        public long count(Instant from, Instant until) {
            return firstAtOrAfter(until.toEpochMilli()) - firstAtOrAfter(from.toEpochMilli());
        }

        private int firstAtOrAfter(long millis) {
            int low = 0;
            int high = size;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (times[middle] < millis) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low;
        }
    }
}
