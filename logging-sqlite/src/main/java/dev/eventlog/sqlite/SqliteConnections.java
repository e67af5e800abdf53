package dev.eventlog.sqlite;

import dev.eventlog.StoreException;
import dev.eventlog.jdbc.ConnectionSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * A SQLite file's connections: one writer, taken in turn under a lock, a fresh read connection
 * per read, and the background {@link Checkpointer} on a connection of its own. Every connection
 * runs in WAL mode with the options' synchronous mode and busy timeout; the writer keeps a larger
 * page cache ({@link #WRITER_CACHE_KIB}). Thread-safe.
 */
final class SqliteConnections implements ConnectionSource {
    /**
     * The writer's page cache, in KiB; SQLite's default is 2 000 KiB. An append inserts into every
     * index of its kind, and the entries of an index whose key does not follow time (the analytics
     * index of {@code tool_events}, led by tool name and duration) land all over it: once that
     * index outgrows the cache, nearly every insert reads a page back from the file. With 2 MB,
     * 200 000 tool events in batches of 5 000 made the writer read 300 MB back in 77 000 calls;
     * with 8 MB or more, 70 MB in 18 000, and its CPU fell by about a fifth (docs/BENCHMARKS.md,
     * "Import into SQLite and async append (3 December, second round)"). The cache is filled only
     * as pages are used. Read connections, opened per read, keep SQLite's default.
     */
    static final int WRITER_CACHE_KIB = 16_384;

    static {
        NativeLibraryCache.use();
    }

    private final String url;
    private final String description;
    private final SqliteOptions options;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Connection writer;
    private Checkpointer checkpointer;
    private boolean closed;

    /** Work done on the writer connection under its lock, in autocommit mode. */
    @FunctionalInterface
    interface WriterWork<T> {
        T apply(Connection writer) throws SQLException;
    }

    private SqliteConnections(String url, String description, SqliteOptions options) throws SQLException {
        this.url = url;
        this.description = description;
        this.options = options;
        this.writer = connect(WRITER_CACHE_KIB);
    }

    /** Opens the writer connection of {@code url}; {@link #startCheckpoints()} starts the rest. */
    static SqliteConnections open(String url, String description, SqliteOptions options) throws SQLException {
        return new SqliteConnections(url, description, options);
    }

    /** Moves checkpoints from the writer's commits to the background thread; see {@link Checkpointer}. */
    void startCheckpoints() throws SQLException {
        try (Statement statement = writer.createStatement()) {
            statement.execute("PRAGMA wal_autocheckpoint=" + Checkpointer.WRITER_CHECKPOINT_PAGES);
        }
        checkpointer = new Checkpointer(connect(0), description);
    }

    /** A new connection; {@code cacheKib} its page cache, or 0 for SQLite's default. */
    private Connection connect(int cacheKib) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        if (cacheKib > 0) {
            // A negative cache_size counts KiB rather than pages.
            config.setCacheSize(-cacheKib);
        }
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
    public Connection acquire(boolean write) throws SQLException {
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
        Connection reader = connect(0);
        reader.setAutoCommit(false);
        return reader;
    }

    @Override
    public void release(Connection connection, boolean write) throws SQLException {
        if (write) {
            try {
                // Ends the driver's transaction; sqlite-jdbc is in autocommit mode afterwards even
                // when this fails (the transaction a full disk already rolled back, for one).
                writer.setAutoCommit(true);
            } finally {
                if (checkpointer != null) {
                    checkpointer.committed();
                }
                writeLock.unlock();
            }
        } else {
            connection.close();
        }
    }

    /**
     * Runs {@code work} on the writer, under its lock, in autocommit mode.
     *
     * @throws StoreException when the source is closed or the work fails with an {@link SQLException}
     */
    <T> T withWriter(String what, WriterWork<T> work) {
        writeLock.lock();
        try {
            ensureOpen();
            return work.apply(writer);
        } catch (SQLException e) {
            throw new StoreException(description + " could not " + what + ": " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreException(description + " is closed");
        }
    }

    /**
     * Waits for the append in progress, stops the checkpointer and closes the writer (which
     * finalises its statements). Both are closed even when the first fails; the first failure is
     * thrown.
     */
    @Override
    public void close() throws SQLException {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            SQLException failure = null;
            if (checkpointer != null) {
                try {
                    checkpointer.stop();
                } catch (SQLException e) {
                    failure = e;
                }
            }
            try {
                writer.close();
            } catch (SQLException e) {
                failure = ConnectionSource.keepFirst(failure, e);
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            writeLock.unlock();
        }
    }
}
