package dev.eventlog.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The keys a derived summary must recompute at its next refresh — the sessions of
 * {@link SessionSummaries}, the days of {@link AnalyticsRollup} — and how they are found: the keys
 * of the rows above each event table's rowid mark where one writer appends at a time
 * ({@link SqlDialect#rowidMarks()}, SQLite), and those listed in a dirty table by the transactions
 * that appended ({@link SqlDialect#rowidMarks()} false, PostgreSQL) or removed events. Immutable
 * and thread-safe; the transactions given to it are the caller's.
 *
 * @param <K> a key: a session id, an epoch day
 */
final class StaleKeys<K> {
    /** Keys per insert into the dirty table. */
    private static final int MARK_ROWS = 500;

    /** Reads a key from a result's column. */
    @FunctionalInterface
    interface Reader<K> {
        K read(ResultSet rows, int column) throws SQLException;
    }

    /** Binds a key to a statement's parameter. */
    @FunctionalInterface
    interface Binder<K> {
        void bind(PreparedStatement statement, int index, K key) throws SQLException;
    }

    private final SqlDialect dialect;
    private final String dirty;
    private final String column;
    private final String marks;
    private final String keyOfRow;
    private final Reader<K> reader;
    private final Binder<K> binder;

    /**
     * @param dirty    the table of keys listed by appends and removals
     * @param column   its one column
     * @param marks    the table of the highest rowid of each event table already taken (SQLite)
     * @param keyOfRow the SQL expression of an event row's key (null keys are skipped)
     */
    StaleKeys(SqlDialect dialect, String dirty, String column, String marks, String keyOfRow, Reader<K> reader,
            Binder<K> binder) {
        this.dialect = dialect;
        this.dirty = dirty;
        this.column = column;
        this.marks = marks;
        this.keyOfRow = keyOfRow;
        this.reader = reader;
        this.binder = binder;
    }

    /**
     * Takes, in {@code tx}, the refresh lock ({@link SqlDialect#refreshLock()}, held until the
     * transaction ends) and then every stale key into {@code keys}: empties the dirty table and,
     * where rowids mark appends, adds the keys of the rows above each table's mark and moves the
     * marks to the newest rows. The caller recomputes the keys in the same transaction, so a
     * refresh that fails rolls all of it back.
     */
    void take(Connection tx, Collection<K> keys) throws SQLException {
        String lock = dialect.refreshLock();
        if (lock != null) {
            try (Statement statement = tx.createStatement(); ResultSet ignored = statement.executeQuery(lock)) {
                ignored.next();
            }
        }
        // DELETE … RETURNING takes exactly the rows it removes: a row committed meanwhile stays for the next refresh.
        try (Statement statement = tx.createStatement();
                ResultSet rows = statement.executeQuery("DELETE FROM " + dialect.relation(dirty) + " RETURNING " + column)) {
            while (rows.next()) {
                keys.add(reader.read(rows, 1));
            }
        }
        if (dialect.rowidMarks()) {
            takeAboveMarks(tx, keys);
        }
    }

    /** SQLite: adds the keys of the rows above each table's mark and moves the marks to the newest rows. */
    private void takeAboveMarks(Connection tx, Collection<K> keys) throws SQLException {
        String relation = dialect.relation(marks);
        try (PreparedStatement read = tx.prepareStatement("SELECT last_rowid FROM " + relation + " WHERE table_name = ?");
                PreparedStatement advance = tx.prepareStatement("INSERT INTO " + relation + " (table_name, last_rowid)"
                        + " VALUES (?, ?) ON CONFLICT (table_name) DO UPDATE SET last_rowid = excluded.last_rowid")) {
            for (String table : SessionSummaries.TABLES) {
                read.setString(1, table);
                long mark;
                try (ResultSet rows = read.executeQuery()) {
                    mark = rows.next() ? rows.getLong(1) : 0;
                }
                long newest;
                try (Statement statement = tx.createStatement(); ResultSet rows = statement.executeQuery(
                        "SELECT coalesce(max(rowid), 0) FROM " + dialect.relation(table))) {
                    rows.next();
                    newest = rows.getLong(1);
                }
                if (newest <= mark) {
                    continue;
                }
                try (PreparedStatement above = tx.prepareStatement("SELECT DISTINCT " + keyOfRow + " FROM "
                        + dialect.relation(table) + " WHERE rowid > ? AND rowid <= ?")) {
                    above.setLong(1, mark);
                    above.setLong(2, newest);
                    try (ResultSet rows = above.executeQuery()) {
                        while (rows.next()) {
                            K key = reader.read(rows, 1);
                            if (key != null) {
                                keys.add(key);
                            }
                        }
                    }
                }
                advance.setString(1, table);
                advance.setLong(2, newest);
                advance.executeUpdate();
            }
        }
    }

    /** Inserts {@code keys}, distinct and not null, into the dirty table, up to {@value #MARK_ROWS} rows per statement. */
    void mark(Connection tx, Collection<K> keys) throws SQLException {
        List<K> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += MARK_ROWS) {
            int rows = Math.min(MARK_ROWS, all.size() - from);
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(dialect.relation(dirty))
                    .append(" (").append(column).append(") VALUES (?)");
            for (int i = 1; i < rows; i++) {
                sql.append(", (?)");
            }
            try (PreparedStatement insert = tx.prepareStatement(sql.toString())) {
                for (int i = 0; i < rows; i++) {
                    binder.bind(insert, i + 1, all.get(from + i));
                }
                insert.executeUpdate();
            }
        }
    }

    /**
     * After rows of {@code table} were deleted in {@code tx}: SQLite gives a new row the rowid
     * after the largest one left, which may be at or below the mark once the newest rows are gone,
     * so the mark comes down to the largest rowid left.
     */
    void removed(Connection tx, String table) throws SQLException {
        if (!dialect.rowidMarks()) {
            return;
        }
        try (PreparedStatement lower = tx.prepareStatement("UPDATE " + dialect.relation(marks)
                + " SET last_rowid = min(last_rowid, (SELECT coalesce(max(rowid), 0) FROM " + dialect.relation(table)
                + ")) WHERE table_name = ?")) {
            lower.setString(1, table);
            lower.executeUpdate();
        }
    }
}
