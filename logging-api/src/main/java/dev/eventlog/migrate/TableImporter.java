package dev.eventlog.migrate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventlog.ConfigurationException;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.Ids;
import dev.eventlog.StoreException;
import dev.eventlog.internal.json.Json;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.jsonl.LineDecoder;
import dev.eventlog.jsonl.RejectedLineException;
import dev.eventlog.spi.EventStore;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Imports the tables of a database that older scripts wrote (SQLite, PostgreSQL, any JDBC
 * database) into any store, reading each row as if it were a legacy JSON line: column name to
 * key, SQL value to JSON value, then the same import rules as for files (README, "Migrating from
 * JSONL", "From an existing database"): key aliases, coercions, the quarantine, ids derived from
 * the content when the row has no UUID {@code id}.
 *
 * <p>A table's kind comes from its name ({@link #kindOfTable(String)}: the catalogue's table
 * names, kind keys and file names, e.g. {@code routing_metrics_events}, {@code tool_usage}) unless
 * one is given with {@link Builder#table(String, EventKind)}; other tables are skipped, each with a
 * note. Rows are read with a forward-only cursor in the table's natural order (SQLite's rowid,
 * else the primary key), so a second run derives the same ids and adds nothing. A rejected row
 * goes to the quarantine file named by its table and rowid or primary key, and the import goes
 * on. The source is only read: the caller opens the connection read-only.
 *
 * <p>An eventlog store (a database holding eventlog's changelog and tables) is refused: it is
 * copied with {@link Copier}. Every table is read whole on every run (no resume point is kept):
 * events already in the target are counted as already present.
 *
 * <p>Built with {@link #builder()}; not thread-safe.
 */
public final class TableImporter {
    /** Rows fetched from the database at a time: the cursor holds no more. */
    static final int FETCH_SIZE = 1000;
    // Legacy table names that are no kind's table, key or file name.
    private static final Map<String, EventKind> LEGACY_NAMES = Map.of("actions", EventKind.TOOL_USE);

    private final EventStore target;
    private final Connection source;
    private final String description;
    private final Plan plan;
    private final KeyAliases aliases;
    private final Path quarantineFile;
    private final int batchSize;
    private final boolean checkContent;
    private final MigrationListener listener;

    private TableImporter(Builder builder, Plan plan, Path quarantineFile) {
        this.target = builder.target;
        this.source = builder.source;
        this.description = builder.description;
        this.plan = plan;
        this.aliases = builder.aliases;
        this.quarantineFile = quarantineFile;
        this.batchSize = builder.batchSize;
        this.checkContent = builder.checkContent;
        this.listener = builder.listener;
    }

    /** A builder; {@link Builder#source} and {@link Builder#target} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The kind a table of this name holds by default, case-insensitively: a kind's table
     * ({@code routing_metrics_events}), key ({@code routing_metric}) or file name with {@code _} for
     * {@code -} and without {@code .jsonl} ({@code routing_metrics}, {@code tool_usage},
     * {@code git_activity}), or {@code actions} (tool uses).
     */
    public static Optional<EventKind> kindOfTable(String table) {
        String name = table.toLowerCase(Locale.ROOT);
        for (EventKind kind : EventKind.values()) {
            String stem = kind.fileName().substring(0, kind.fileName().length() - ".jsonl".length()).replace('-', '_');
            if (name.equals(kind.table()) || name.equals(kind.key()) || name.equals(stem)) {
                return Optional.of(kind);
            }
        }
        return Optional.ofNullable(LEGACY_NAMES.get(name));
    }

    /** The tables this importer reads, each with the kind its rows are read as, in import order. */
    public Map<String, EventKind> tables() {
        Map<String, EventKind> map = new LinkedHashMap<>();
        plan.tables().forEach(t -> map.put(t.table().name(), t.kind()));
        return map;
    }

    /** Where rejected rows go. */
    public Path quarantineFile() {
        return quarantineFile;
    }

    /**
     * Imports every row of every table that has a kind.
     *
     * @throws StoreException when the target fails; batches stored before stay stored
     * @throws MigrationException when a table cannot be read or the quarantine file cannot be written
     */
    public MigrationReport run() {
        ContentChecker checker = checkContent ? new ContentChecker(target) : null;
        try {
            return run(checker);
        } finally {
            if (checker != null) {
                checker.close();
            }
        }
    }

    private MigrationReport run(ContentChecker checker) {
        String targetName = target.describe();
        List<String> notes = new ArrayList<>(plan.notes());
        Map<EventKind, Tally> tallies = new EnumMap<>(EventKind.class);
        long total = 0;
        for (Mapped mapped : plan.tables()) {
            total += read(mapped.table(), () -> mapped.table().count(source));
        }
        listener.phase("importing", total);
        long[] done = {0};
        try (Quarantine quarantine = new Quarantine(quarantineFile)) {
            for (Mapped mapped : plan.tables()) {
                importTable(mapped, tallies.computeIfAbsent(mapped.kind(), k -> new Tally()), checker, quarantine,
                        done);
            }
            if (quarantine.count() > 0) {
                notes.add(quarantine.count() + " rejected row(s) written to " + quarantineFile);
            }
        }
        listener.progress(total);
        Map<String, Long> rows = Rows.perTable(target);
        ContentCheck check = checker == null ? ContentCheck.skipped() : checker.check(target, listener);
        Map<EventKind, KindTally> kinds = new EnumMap<>(EventKind.class);
        tallies.forEach((kind, tally) -> kinds.put(kind, tally.toRecord()));
        return new MigrationReport("import", description, targetName, kinds, rows, check, quarantineFile, notes);
    }

    private void importTable(Mapped mapped, Tally tally, ContentChecker checker, Quarantine quarantine, long[] done) {
        ForeignTable table = mapped.table();
        EventKind kind = mapped.kind();
        LineDecoder decoder = new LineDecoder(kind, aliases);
        Map<Long, Integer> occurrences = new HashMap<>();
        List<Event> batch = new ArrayList<>(batchSize);
        read(table, () -> {
            ForeignTable.Select select = table.select(source);
            try (Statement statement = source.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                statement.setFetchSize(FETCH_SIZE);
                try (ResultSet row = statement.executeQuery(select.sql())) {
                    long number = 0;
                    while (row.next()) {
                        number++;
                        tally.read++;
                        String label = table.label(row, select, number);
                        ObjectNode shown = Json.MAPPER.createObjectNode();
                        try {
                            Event event = decode(row, select, decoder, shown, occurrences);
                            batch.add(event);
                            if (checker != null) {
                                checker.add(event);
                            }
                        } catch (RejectedLineException e) {
                            tally.rejected++;
                            quarantine.addRow(description, table.name(), label, kind, e.getMessage(), json(shown));
                        }
                        if (batch.size() >= batchSize) {
                            flush(batch, tally);
                            quarantine.flush();
                            listener.progress(done[0] + number);
                        }
                    }
                    flush(batch, tally);
                    quarantine.flush();
                    done[0] += number;
                    listener.progress(done[0]);
                }
            }
            return 0L;
        });
    }

    /** One row as the event a JSON line with the same keys and values would be. */
    private Event decode(ResultSet row, ForeignTable.Select select, LineDecoder decoder, ObjectNode shown,
            Map<Long, Integer> occurrences) throws SQLException, RejectedLineException {
        ObjectNode node = ForeignTable.toJson(row, select, decoder.kind(), aliases, shown);
        byte[] text = json(node).getBytes(StandardCharsets.UTF_8);
        byte[] hash = rowHash(decoder.kind(), text);
        int occurrence = occurrences.merge(ByteBuffer.wrap(hash).getLong(), 1, Integer::sum) - 1;
        return decoder.decode(node, millis -> derivedId(millis, hash, occurrence));
    }

    // The same digest as a line's: the kind's key and a line feed, then the row's JSON text.
    private static byte[] rowHash(EventKind kind, byte[] text) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        digest.update((kind.key() + "\n").getBytes(StandardCharsets.UTF_8));
        return digest.digest(text);
    }

    private static UUID derivedId(long millis, byte[] rowHash, int occurrence) {
        byte[] content = Arrays.copyOf(rowHash, rowHash.length + 4);
        ByteBuffer.wrap(content, rowHash.length, 4).putInt(occurrence);
        return Ids.derived(millis, content);
    }

    private static String json(ObjectNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void flush(List<Event> batch, Tally tally) {
        if (batch.isEmpty()) {
            return;
        }
        int added = target.append(batch);
        tally.imported += added;
        tally.alreadyPresent += batch.size() - added;
        batch.clear();
    }

    /** A step that reads the source database. */
    private interface Read {
        long run() throws SQLException;
    }

    private long read(ForeignTable table, Read step) {
        try {
            return step.run();
        } catch (SQLException e) {
            throw new MigrationException("cannot read table " + table.name() + " of " + description + ": "
                    + e.getMessage(), e);
        }
    }

    /** A table with the kind its rows are read as. */
    private record Mapped(ForeignTable table, EventKind kind) {
    }

    /** The tables to read and what was decided about the others. */
    private record Plan(List<Mapped> tables, List<String> notes) {
    }

    /** Mutable counts of one kind. */
    private static final class Tally {
        long read;
        long imported;
        long alreadyPresent;
        long rejected;

        KindTally toRecord() {
            return new KindTally(read, imported, alreadyPresent, rejected);
        }
    }

    /** Builds a {@link TableImporter}; not thread-safe. */
    public static final class Builder {
        private EventStore target;
        private Connection source;
        private String description;
        private final Map<String, EventKind> kinds = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private KeyAliases aliases = KeyAliases.builtIn();
        private Path quarantine;
        private Path stateDirectory;
        private Map<String, String> environment = System.getenv();
        private int batchSize = Importer.DEFAULT_BATCH_SIZE;
        private boolean checkContent = true;
        private MigrationListener listener = MigrationListener.NONE;

        private Builder() {
        }

        /** The store to import into; required. The importer does not close it. */
        public Builder target(EventStore target) {
            this.target = target;
            return this;
        }

        /**
         * The database to read, required: a connection opened read-only (for PostgreSQL with
         * autocommit off, so that rows stream through a cursor), which the importer does not close;
         * {@code description} names it in the report and the quarantine, without secrets. Tables
         * are those of the connection's current schema (every table, for SQLite).
         */
        public Builder source(Connection source, String description) {
            this.source = Objects.requireNonNull(source, "source");
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /** Reads {@code table} as rows of {@code kind}, whatever its name; repeat for several tables. */
        public Builder table(String table, EventKind kind) {
            kinds.put(Objects.requireNonNull(table, "table"), Objects.requireNonNull(kind, "kind"));
            return this;
        }

        /** The key aliases; default {@link KeyAliases#builtIn()}. */
        public Builder aliases(KeyAliases aliases) {
            this.aliases = Objects.requireNonNull(aliases, "aliases");
            return this;
        }

        /** Where rejected rows go, appended; default {@value Importer#DEFAULT_QUARANTINE} in the state directory. */
        public Builder quarantine(Path quarantine) {
            this.quarantine = quarantine;
            return this;
        }

        /**
         * The directory the quarantine file goes to when it is not named; default
         * {@code $XDG_STATE_HOME/eventlog/import/<name>-<hash>/}, one per source and target.
         */
        public Builder stateDirectory(Path stateDirectory) {
            this.stateDirectory = stateDirectory;
            return this;
        }

        /** The environment the default state directory is taken from; default {@link System#getenv()}. */
        Builder environment(Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** Events per append; default {@value Importer#DEFAULT_BATCH_SIZE}. Each batch is stored all or nothing. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Whether every event sent is checked against the target at the end (a {@link ContentCheck}); default true. */
        public Builder checkContent(boolean checkContent) {
            this.checkContent = checkContent;
            return this;
        }

        /** Hears progress; default none. */
        public Builder listener(MigrationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Checks the source and every setting but the target, so that a tool can refuse an unusable
         * source before it opens (and perhaps creates) the target store.
         *
         * @throws ConfigurationException listing every problem, as {@link #build()} does
         */
        public Builder checkSource() {
            List<String> problems = new ArrayList<>();
            resolve(problems);
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            return this;
        }

        /**
         * The importer, with every table given a kind or a note saying why it is skipped.
         *
         * @throws ConfigurationException listing every problem: no source or target, the source is
         *     an eventlog store, a table given a kind that the database does not hold, a batch size below 1
         */
        public TableImporter build() {
            List<String> problems = new ArrayList<>();
            if (target == null) {
                problems.add("target was 'null' but it must be a store to import into");
            }
            TableImporter importer = resolve(problems);
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            return importer;
        }

        private TableImporter resolve(List<String> problems) {
            if (batchSize < 1) {
                problems.add("batchSize was '" + batchSize + "' but it must be at least 1");
            }
            if (source == null) {
                problems.add("source was 'null' but it must be a connection to the database to import");
                return null;
            }
            Plan plan = plan(problems);
            Path stateDir = stateDirectory != null ? stateDirectory : StateDirectory.forImport(name(description),
                    description + "\n" + (target == null ? "" : target.describe()), environment);
            Path quarantineFile = quarantine != null ? quarantine : stateDir.resolve(Importer.DEFAULT_QUARANTINE);
            OutputPaths.check("quarantine", quarantineFile, List.of(), problems);
            return new TableImporter(this, plan, quarantineFile.toAbsolutePath().normalize());
        }

        private Plan plan(List<String> problems) {
            List<ForeignTable> tables;
            try {
                tables = ForeignTable.list(source);
            } catch (SQLException e) {
                problems.add("source was '" + description + "' but its tables cannot be listed: " + e.getMessage());
                return new Plan(List.of(), List.of());
            }
            Map<String, ForeignTable> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            tables.forEach(t -> byName.put(t.name(), t));
            if (byName.containsKey("databasechangelog")
                    && Arrays.stream(EventKind.values()).anyMatch(k -> byName.containsKey(k.table()))) {
                problems.add("source was '" + description + "' but it is an eventlog store (it holds eventlog's "
                        + "changelog and event tables), not a database of older scripts: copy it with "
                        + "'eventlog copy --from STORE --to STORE'");
                return new Plan(List.of(), List.of());
            }
            kinds.keySet().stream().filter(name -> !byName.containsKey(name)).forEach(name -> problems.add(
                    "table was '" + name + "' but " + description + " holds no such table; it holds "
                            + (tables.isEmpty() ? "none" : String.join(", ", byName.keySet()))));
            List<Mapped> mapped = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (ForeignTable table : tables) {
                EventKind given = kinds.get(table.name());
                Optional<EventKind> kind = given != null ? Optional.of(given) : kindOfTable(table.name());
                if (kind.isPresent()) {
                    mapped.add(new Mapped(table, kind.get()));
                    notes.add("table " + table.name() + " read as " + kind.get().key()
                            + (given != null ? " (as told)" : " (by its name)"));
                } else {
                    skipped.add(table.name());
                }
            }
            if (!skipped.isEmpty()) {
                notes.add("skipped, no kind for their name: " + String.join(", ", skipped)
                        + " (give each a kind with --table NAME=KIND)");
            }
            if (tables.isEmpty()) {
                notes.add(description + " holds no table: nothing to import");
            }
            return new Plan(mapped, notes);
        }

        private static String name(String description) {
            String name = description.replaceFirst("\\?.*$", "");
            int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf(':'));
            return name.substring(slash + 1).isBlank() ? "database" : name.substring(slash + 1);
        }
    }
}
