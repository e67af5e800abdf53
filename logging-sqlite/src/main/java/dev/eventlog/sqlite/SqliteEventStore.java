package dev.eventlog.sqlite;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.StoreException;
import dev.eventlog.analytics.Analytics;
import dev.eventlog.jdbc.JdbcEventStore;
import dev.eventlog.jdbc.SchemaMigrator;
import dev.eventlog.spi.SchemaMode;
import dev.eventlog.analytics.NativeAnalytics;
import dev.eventlog.analytics.NativeSessionAnalytics;
import dev.eventlog.analytics.SessionAnalytics;
import dev.eventlog.spi.SchemaManaged;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.sqlite.SQLiteConfig;

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
 * {@code analytics_*_view} views ({@link NativeAnalytics}).
 *
 * <p>Checkpoints (copying the WAL into the database file, with an fsync) run on a background
 * thread every 200 ms instead of inside whichever append crosses SQLite's 1 000-page mark, so
 * appends do not stall on them; the WAL file stays around 16 MiB.
 *
 * <p>Opening brings the schema up to date with the Liquibase changelog in this jar
 * ({@code dev/eventlog/sqlite/changelog/changelog.sql}); when it already is, opening costs one
 * query and Liquibase does not run. A new file is created readable by its owner only.
 *
 * <p>Thread-safe.
 */
public final class SqliteEventStore extends JdbcEventStore implements SchemaManaged, NativeAnalytics, NativeSessionAnalytics {
    /** The changelog resource. */
    public static final String CHANGELOG = "dev/eventlog/sqlite/changelog/changelog.sql";
    private static final int ROWS_PER_INSERT = 64;

    private final String url;
    private final SqliteOptions options;
    private final SchemaMigrator migrator;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Connection writer;
    private final Map<EventKind, PreparedStatement> inserts = new EnumMap<>(EventKind.class);
    private final Map<EventKind, PreparedStatement> multiRowInserts = new EnumMap<>(EventKind.class);
    private final Checkpointer checkpointer;

    private SqliteEventStore(Path file, SqliteOptions options) throws SQLException {
        super("sqlite:" + file);
        this.url = "jdbc:sqlite:" + file;
        this.options = options;
        this.migrator = new SchemaMigrator(CHANGELOG, describe(), null);
        this.writer = connect(false);
        try {
            if (options.schemaMode() != SchemaMode.LEAVE) {
                migrator.prepare(writer, options.schemaMode() == SchemaMode.VALIDATE);
            }
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
        try {
            // Checkpoints run on the checkpointer's thread; see Checkpointer for the writer's share.
            try (Statement statement = writer.createStatement()) {
                statement.execute("PRAGMA wal_autocheckpoint=" + Checkpointer.WRITER_CHECKPOINT_PAGES);
            }
            this.checkpointer = new Checkpointer(connect(false), describe());
        } catch (SQLException e) {
            writer.close();
            throw e;
        }
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
        try {
            Path absolute = file.toAbsolutePath();
            createOwnerOnly(absolute);
            return new SqliteEventStore(absolute, options);
        } catch (SQLException e) {
            throw new StoreException("cannot open sqlite:" + file + ": " + e.getMessage(), e);
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

    private Connection connect(boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(options.synchronous()));
        config.setBusyTimeout(options.busyTimeoutMs());
        // DEFERRED for the writer too: sqlite-jdbc begins the next transaction as soon as one
        // commits, and an IMMEDIATE begin would hold the write lock between appends, locking every
        // other process out of the file. A batch's first INSERT takes the lock, with the busy wait.
        config.setTransactionMode(SQLiteConfig.TransactionMode.DEFERRED);
        return config.createConnection(url);
    }

    @Override
    protected Connection acquire(boolean write) throws SQLException {
        if (write) {
            writeLock.lock();
            try {
                ensureOpen();
                // The driver begins the next transaction as soon as one commits, so the writer only
                // leaves autocommit for the length of a batch: an idle store holds no lock that would
                // keep other processes (a hook's 'eventlog log') from writing.
                writer.setAutoCommit(false);
            } catch (RuntimeException | SQLException e) {
                writeLock.unlock();
                throw e;
            }
            return writer;
        }
        Connection reader = connect(true);
        reader.setAutoCommit(false);
        return reader;
    }

    @Override
    protected void release(Connection connection, boolean write) throws SQLException {
        if (write) {
            try {
                writer.setAutoCommit(true);
            } finally {
                writeLock.unlock();
            }
        } else {
            connection.close();
        }
    }

    @Override
    protected PreparedStatement insertStatement(Connection connection, EventKind kind) throws SQLException {
        PreparedStatement statement = inserts.get(kind);
        if (statement == null) {
            StringBuilder sql = new StringBuilder("INSERT OR IGNORE INTO ").append(kind.table())
                    .append(" (").append(columns(kind)).append(") VALUES (?");
            sql.append(", ?".repeat(ENVELOPE_COLUMNS.size() + kind.fields().size() - 1)).append(')');
            statement = connection.prepareStatement(sql.toString());
            inserts.put(kind, statement);
        }
        return statement;
    }

    /**
     * Inserts full groups of {@link #ROWS_PER_INSERT} rows with one multi-row statement each, the
     * rest row by row: each statement execution costs more than binding its rows, so a batch of
     * thousands runs at about twice the rate of one execution per row.
     */
    @Override
    protected int insert(Connection connection, EventKind kind, List<Event> events) throws SQLException {
        int added = 0;
        int next = 0;
        if (events.size() >= ROWS_PER_INSERT) {
            PreparedStatement statement = multiRowInsert(connection, kind);
            int width = ENVELOPE_COLUMNS.size() + kind.fields().size();
            for (; next + ROWS_PER_INSERT <= events.size(); next += ROWS_PER_INSERT) {
                for (int row = 0; row < ROWS_PER_INSERT; row++) {
                    bindRow(statement, events.get(next + row), row * width);
                }
                added += statement.executeUpdate();
            }
        }
        if (next < events.size()) {
            added += super.insert(connection, kind, next == 0 ? events : events.subList(next, events.size()));
        }
        return added;
    }

    private PreparedStatement multiRowInsert(Connection connection, EventKind kind) throws SQLException {
        PreparedStatement statement = multiRowInserts.get(kind);
        if (statement == null) {
            String row = "(?" + ", ?".repeat(ENVELOPE_COLUMNS.size() + kind.fields().size() - 1) + ")";
            StringBuilder sql = new StringBuilder("INSERT OR IGNORE INTO ").append(kind.table())
                    .append(" (").append(columns(kind)).append(") VALUES ").append(row);
            sql.append((", " + row).repeat(ROWS_PER_INSERT - 1));
            statement = connection.prepareStatement(sql.toString());
            multiRowInserts.put(kind, statement);
        }
        return statement;
    }

    @Override
    protected boolean cachesStatements() {
        return true;
    }

    @Override
    protected void setId(PreparedStatement statement, int index, UUID id) throws SQLException {
        statement.setString(index, id.toString());
    }

    @Override
    protected void setTs(PreparedStatement statement, int index, Instant ts) throws SQLException {
        statement.setLong(index, ts.toEpochMilli());
    }

    @Override
    protected UUID getId(ResultSet rows, int index) throws SQLException {
        return UUID.fromString(rows.getString(index));
    }

    @Override
    protected Instant getTs(ResultSet rows, int index) throws SQLException {
        return Instant.ofEpochMilli(rows.getLong(index));
    }

    /**
     * The analytics of {@code [from, until)} from the {@code analytics_*_view} views of the
     * changelog, in one read transaction (one snapshot of the file).
     */
    @Override
    public Analytics analytics(Instant from, Instant until) {
        return analyticsFromViews(from, until);
    }

    /**
     * The session questions, answered from the {@code session_summary_view} of the changelog and
     * the coordinator table, each in one read transaction.
     */
    @Override
    public SessionAnalytics sessionAnalytics() {
        return sessionAnalyticsFromViews("");
    }

    @Override
    public List<String> appliedChangeSets() {
        return withWriter(migrator::applied);
    }

    @Override
    public List<String> pendingChangeSets() {
        return withWriter(migrator::pending);
    }

    @Override
    public List<String> unknownChangeSets() {
        return withWriter(migrator::unknown);
    }

    @Override
    public void updateSchema() {
        withWriter(connection -> {
            migrator.update(connection);
            return null;
        });
    }

    @Override
    public void rollbackSchema(int count) {
        withWriter(connection -> {
            migrator.rollback(connection, count);
            return null;
        });
    }

    private <T> T withWriter(Function<Connection, T> work) {
        writeLock.lock();
        try {
            ensureOpen();
            closeInserts();
            return work.apply(writer);
        } catch (SQLException e) {
            throw new StoreException(describe() + " could not close its statements: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private void closeInserts() throws SQLException {
        for (PreparedStatement statement : inserts.values()) {
            statement.close();
        }
        inserts.clear();
        for (PreparedStatement statement : multiRowInserts.values()) {
            statement.close();
        }
        multiRowInserts.clear();
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (!markClosed()) {
                return;
            }
            closeInserts();
            checkpointer.stop();
            writer.close();
        } catch (SQLException e) {
            throw new StoreException(describe() + " could not close: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }
}
