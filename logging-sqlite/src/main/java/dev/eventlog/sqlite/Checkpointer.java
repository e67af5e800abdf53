package dev.eventlog.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the WAL into the database file on a thread of its own, so that appends do not pay for
 * it. SQLite's default is to checkpoint inside whichever commit pushes the WAL past 1 000 pages:
 * that commit copies every page and forces the file to disk, a 10–20 ms stall in one append out
 * of a few hundred. This thread runs a {@code PASSIVE} checkpoint (which never waits for, or
 * blocks, readers and writers) every {@link #INTERVAL_MILLIS} ms on its own connection, or every
 * {@link #BUSY_INTERVAL_MILLIS} ms while commits stream in. The
 * writer's own automatic checkpoint is raised to {@link #WRITER_CHECKPOINT_PAGES} pages and
 * stays only to let the log start over under a steady stream of commits (a passive checkpoint
 * never finds the WAL idle then): by the time it runs, this thread has copied nearly every
 * page, so it is short and rare.
 *
 * <p>While commits come one now and then (a service answering hooks), a round copies nothing
 * until {@link #IDLE_MIN_COMMITS} commits have been made since the last one: once the log is
 * copied whole, the next commit starts it over, and SQLite syncs the log's new header to disk
 * in that commit (about 1.4 ms on the shared machine, the largest part of a single-event commit),
 * although {@code synchronous=NORMAL} syncs no commit. Left uncopied, the log takes the next
 * commits after the ones it holds, without a sync. Thread-safe.
 */
final class Checkpointer {
    static final long INTERVAL_MILLIS = 200;
    /** Frames copied in one round that mean commits are streaming in: check again soon. */
    static final long BUSY_FRAMES = 500;
    static final long BUSY_INTERVAL_MILLIS = 5;
    /** WAL size, in pages (4 KiB), at which the writer's commit checkpoints what is left and restarts the log. */
    static final long WRITER_CHECKPOINT_PAGES = 4_000;
    /**
     * Commits since the last round that copied, below which a quiet round copies nothing (about
     * 1.3 MB of log for single-event commits).
     */
    static final long IDLE_MIN_COMMITS = 64;
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    private final Connection connection;
    private final String store;
    private final Thread thread;
    private volatile boolean stopped;
    private long failures;
    private long lastCheckpointed;
    private final AtomicLong commits = new AtomicLong();
    private long commitsAtLastRound;

    Checkpointer(Connection connection, String store) {
        this.connection = connection;
        this.store = store;
        this.thread = new Thread(this::run, "eventlog-sqlite-checkpoint");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        long pause = INTERVAL_MILLIS;
        while (!stopped) {
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(pause));
            if (stopped) {
                break;
            }
            long made = commits.get();
            if (pause == INTERVAL_MILLIS && made - commitsAtLastRound < IDLE_MIN_COMMITS) {
                continue;
            }
            commitsAtLastRound = made;
            // Under a heavy stream of commits, keep up instead of leaving the copying to the writer.
            pause = checkpoint() >= BUSY_FRAMES ? BUSY_INTERVAL_MILLIS : INTERVAL_MILLIS;
        }
    }

    /** Counts a write transaction of this store's writer (committed or not). */
    void committed() {
        commits.incrementAndGet();
    }

    /** Runs one passive checkpoint; returns how many WAL frames it copied. */
    private long checkpoint() {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            result.next();
            long checkpointed = result.getLong(3);
            // After the log started over the count starts again from zero.
            long copied = checkpointed >= lastCheckpointed ? checkpointed - lastCheckpointed : checkpointed;
            lastCheckpointed = checkpointed;
            return copied;
        } catch (SQLException e) {
            // Another process's checkpoint holds the lock (it does the same work), or the file is
            // busy: the next round tries again, and the WAL only grows meanwhile.
            if (++failures % 100 == 1) {
                LOG.warn("{}: background checkpoint failed ({} time(s) so far): {}", store, failures, e.getMessage());
            }
            return 0;
        }
    }

    /** Stops the thread and closes its connection. */
    void stop() throws SQLException {
        stopped = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }
}
