package dev.eventlog.sqlite;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.analytics.Analytics;
import dev.eventlog.analytics.NativeAnalytics;
import dev.eventlog.jdbc.JdbcEventStore;
import dev.eventlog.jdbc.SchemaMigrator;
import dev.eventlog.spi.CheckpointedAppends;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.Expiring;
import dev.eventlog.spi.RowDigests;
import dev.eventlog.analytics.NativeSessionAnalytics;
import dev.eventlog.analytics.SessionAnalytics;
import dev.eventlog.spi.SchemaManaged;
import dev.eventlog.spi.SchemaMode;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Events in a SQLite file: one table per kind (README, "Event catalogue"), {@code ts} as INTEGER epoch
 * milliseconds, a {@code *_view} per table with ISO-8601 times for the {@code sqlite3} shell.
 *
 * <p>The file runs in WAL mode, so readers never block the writer. Appends take one connection
 * in turn and write each batch in one transaction of {@code INSERT OR IGNORE}s, so an append is
 * all or nothing and idempotent on the id. The write lock is taken by a batch's first insert and
 * released at its commit, so several processes can append to one file; another process holding
 * the lock is waited for up to {@link SqliteOptions#busyTimeoutMs()}.
 * Reads and counts use their own connections. Analytics are answered from the changelog's
 * {@code analytics_*_view} views ({@link NativeAnalytics}). The content check of an import, copy
 * or reconcile proves rows by their hashes summed per hour ({@link RowDigests}, see
 * {@link SqliteRowDigests}) instead of comparing every event read back.
 *
 * <p>Checkpoints (copying the WAL into the database file, with an fsync) run on a background
 * thread every 200 ms instead of inside whichever append crosses SQLite's 1 000-page mark, so
 * appends do not stall on them; the WAL file stays around 16 MiB.
 *
 * <p>Opening brings the schema up to date with the Liquibase changelog in this jar
 * ({@code dev/eventlog/sqlite/changelog/changelog.sql}); when it already is, opening costs one
 * query and Liquibase does not run. A new file is created readable by its owner only, as a copy
 * of the {@link SqliteTemplate} that Liquibase built from the same changelog when this jar was
 * built, so the first open does not run Liquibase either.
 *
 * <p>The store is a {@link JdbcEventStore} assembled from SQLite's parts: its dialect, its
 * connections (one writer under a lock, read connections, the checkpointer) and its inserter
 * (multi-row {@code INSERT OR IGNORE}s of up to 256 rows, sized to the kind's columns).
 *
 * <p>Thread-safe.
 */
public final class SqliteEventStore
        implements EventStore, SchemaManaged, NativeAnalytics, NativeSessionAnalytics, CheckpointedAppends, Expiring,
        RowDigests {
    /** The changelog resource. */
    public static final String CHANGELOG = "dev/eventlog/sqlite/changelog/changelog.sql";

    private final SqliteConnections connections;
    private final SqliteInserter inserter;
    private final String description;
    private SchemaMigrator migrator;
    private final JdbcEventStore store;
    private final SqliteRowDigests digests;

    private SqliteEventStore(SqliteConnections connections, SqliteInserter inserter, String description,
            SchemaMigrator migrator, JdbcEventStore store) {
        this.description = description;
        this.connections = connections;
        this.inserter = inserter;
        this.migrator = migrator;
        this.store = store;
        this.digests = new SqliteRowDigests(connections);
    }

    /** Opens (creating when missing) the SQLite file {@code file} with default options. */
    public static SqliteEventStore open(Path file) {
        return open(file, SqliteOptions.DEFAULT);
    }

    /**
     * Opens (creating when missing) the SQLite file {@code file}.
     *
     * @throws StoreException when the file cannot be opened or created
     * @throws dev.eventlog.SchemaException when the schema is newer than this build, or out of date
     *     in {@link SchemaMode#VALIDATE} mode; with {@link SchemaMode#LEAVE} the schema is neither
     *     checked nor changed, for the {@link SchemaManaged} methods
     */
    public static SqliteEventStore open(Path file, SqliteOptions options) {
        return open(file, options, true);
    }

    /**
     * Opens {@code file}; a missing file is created from the {@link SqliteTemplate} when
     * {@code fromTemplate} and the options may change the schema, else created empty and given
     * its schema by Liquibase.
     */
    static SqliteEventStore open(Path file, SqliteOptions options, boolean fromTemplate) {
        Path absolute = file.toAbsolutePath();
        String description = "sqlite:" + absolute;
        SqliteTemplate.Outcome created = fromTemplate && options.schemaMode() == SchemaMode.MIGRATE
                ? SqliteTemplate.createFrom(absolute) : SqliteTemplate.Outcome.NOT_USED;
        if (created == SqliteTemplate.Outcome.NOT_USED) {
            createOwnerOnly(absolute);
        }
        SqliteConnections connections;
        try {
            connections = SqliteConnections.open("jdbc:sqlite:" + absolute, description, options);
        } catch (SQLException e) {
            throw new StoreException("cannot open sqlite:" + file + ": " + e.getMessage(), e);
        }
        try {
            // A file this process just copied from this jar's template holds this jar's schema:
            // nothing to check (SqliteTemplateTest proves the template is what Liquibase makes).
            SchemaMigrator migrator = null;
            if (options.schemaMode() != SchemaMode.LEAVE && created != SqliteTemplate.Outcome.CREATED) {
                SchemaMigrator checker = new SchemaMigrator(CHANGELOG, description, null);
                migrator = checker;
                connections.withWriter("prepare its schema", writer -> {
                    checker.prepare(writer, options.schemaMode() == SchemaMode.VALIDATE);
                    return null;
                });
            }
            connections.startCheckpoints();
            SqliteInserter inserter = new SqliteInserter();
            return new SqliteEventStore(connections, inserter, description, migrator,
                    JdbcEventStore.of(description, SqliteDialect.INSTANCE, connections, inserter));
        } catch (SQLException | RuntimeException e) {
            RuntimeException failure = e instanceof RuntimeException unchecked ? unchecked
                    : new StoreException("cannot open sqlite:" + file + ": " + e.getMessage(), e);
            try {
                connections.close();
            } catch (SQLException closing) {
                failure.addSuppressed(closing);
            }
            throw failure;
        }
    }

    private static void createOwnerOnly(Path file) {
        if (Files.exists(file)) {
            return;
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // Another process created it first: fine, it is the same database.
        } catch (IOException e) {
            throw new StoreException("cannot create sqlite:" + file + ": " + e, e);
        }
    }

    @Override
    public int append(List<? extends Event> batch) {
        return store.append(batch);
    }

    /** Appends {@code batch} and sets the checkpoints of {@code follower} in one transaction. */
    @Override
    public int appendWithCheckpoints(List<? extends Event> batch, String follower, Map<String, String> checkpoints) {
        return store.appendWithCheckpoints(batch, follower, checkpoints);
    }

    @Override
    public Map<String, String> checkpoints(String follower) {
        return store.checkpoints(follower);
    }

    @Override
    public Stream<Event> read(EventQuery query) {
        return store.read(query);
    }

    @Override
    public Map<EventKind, Long> count(EventQuery query) {
        return store.count(query);
    }

    /** A hasher of events as this store keeps their rows (see {@link RowDigests}). */
    @Override
    public Hasher hasher() {
        return digests.hasher();
    }

    /**
     * The rows of {@code kind} in {@code [from, until)}, their hashes summed per hour: one query
     * over the time index, each row hashed from its columns as stored, without building events.
     */
    @Override
    public Map<Long, Bucket> sums(EventKind kind, Instant from, Instant until) {
        return digests.sums(kind, from, until);
    }

    /**
     * {@inheritDoc} Deleted in transactions of {@value JdbcEventStore#REMOVE_BATCH} rows, each
     * holding the writer lock for that batch only, so appends go on in between.
     */
    @Override
    public Removal removeBefore(EventKind kind, Instant cut, Archived archived) {
        return store.removeBefore(kind, cut, archived);
    }

    /**
     * The analytics of {@code [from, until)}: the whole UTC days from the changelog's per-day
     * summaries (brought up to date first, on the write connection), the partial days at the edges
     * from the {@code analytics_*_view} views, in one read transaction.
     */
    @Override
    public Analytics analytics(Instant from, Instant until) {
        return store.analytics(from, until);
    }

    /** Brings the changelog's per-day analytics summaries up to date; see {@link JdbcEventStore#refreshAnalytics()}. */
    @Override
    public int refreshSummaries() {
        return store.refreshAnalytics();
    }

    /**
     * The session questions, answered from the changelog's {@code session_summary} table (brought
     * up to date from the events appended or removed since, before each question over many
     * sessions) and the coordinator table, each in one read transaction.
     */
    @Override
    public SessionAnalytics sessionAnalytics() {
        return store.sessionAnalytics();
    }

    @Override
    public List<String> appliedChangeSets() {
        return withSchema(connection -> migrator().applied(connection));
    }

    @Override
    public List<String> pendingChangeSets() {
        return withSchema(connection -> migrator().pending(connection));
    }

    @Override
    public List<String> unknownChangeSets() {
        return withSchema(connection -> migrator().unknown(connection));
    }

    @Override
    public void updateSchema() {
        withSchema(connection -> {
            migrator().update(connection);
            return null;
        });
    }

    @Override
    public List<String> rollbackSchema(int count, boolean dropRows) {
        return withSchema(connection -> migrator().rollback(connection, count, dropRows));
    }

    @Override
    public Optional<String> schemaLock() {
        return Optional.ofNullable(withSchema(connection -> migrator().lockHolder(connection)))
                .map(holder -> "taken by " + holder + "; no live eventlog process holds it (stale)");
    }

    @Override
    public Optional<String> clearSchemaLock() {
        return Optional.ofNullable(withSchema(connection -> migrator().unlock(connection)));
    }

    /** The schema migrator, made on first use (it parses the changelog). */
    private synchronized SchemaMigrator migrator() {
        if (migrator == null) {
            migrator = new SchemaMigrator(CHANGELOG, description, null);
        }
        return migrator;
    }

    /** Runs schema work on the writer, after closing the inserts kept on it (the schema may change under them). */
    private <T> T withSchema(Function<Connection, T> work) {
        return connections.withWriter("close its statements", writer -> {
            inserter.forget();
            return work.apply(writer);
        });
    }

    @Override
    public String describe() {
        return store.describe();
    }

    @Override
    public void close() {
        store.close();
    }
}
