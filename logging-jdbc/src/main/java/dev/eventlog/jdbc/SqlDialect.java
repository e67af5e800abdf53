package dev.eventlog.jdbc;

import dev.eventlog.EventKind;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * How one database spells what the SQL stores write and read: names, ids, times, JSON columns
 * and the insert that skips a row whose id exists. Everything else about a row — which value goes
 * in which column — is the {@link ColumnPlan}'s, the same for every database. Implementations are
 * immutable and thread-safe.
 */
public interface SqlDialect {
    /** How SQL names {@code kind}'s table (qualified when the store keeps its tables in a named schema). */
    String table(EventKind kind);

    /** How SQL names the view or table {@code name} of the changelog. */
    String relation(String name);

    /** The placeholder of one parameter of a column of {@code type}, e.g. {@code ?} or {@code CAST(? AS jsonb)}. */
    String parameter(ColumnPlan.ColumnType type);

    /**
     * An insert into {@code table} of the rows {@code values} ({@code (?, ?), (?, ?)}) in the
     * columns {@code columns} that skips every row whose id is already stored.
     */
    String insertIgnoringKnownIds(String table, String columns, String values);

    /** JSON text of attributes (a map) or a text list, as the database keeps it. */
    String json(Object value);

    /** Binds an event id. */
    void bindId(PreparedStatement statement, int index, UUID id) throws SQLException;

    /** Binds an event time; also used for the bounds of a time range. */
    void bindTime(PreparedStatement statement, int index, Instant ts) throws SQLException;

    /** Reads an event id. */
    UUID readId(ResultSet rows, int index) throws SQLException;

    /** Reads an event time. */
    Instant readTime(ResultSet rows, int index) throws SQLException;

    /**
     * What follows a text column in {@code ORDER BY} to order it by code point, as Java's session
     * answers do: empty where the default collation is binary (SQLite).
     */
    default String binaryCollation() {
        return "";
    }

    /**
     * How the store finds the sessions whose events were appended since the session summary was
     * last brought up to date ({@link SessionSummaries}): {@code true} when one writer at a time
     * appends, so each table's rowid grows in commit order and a high-water mark per table finds
     * the new rows at no cost to appends (SQLite); {@code false} when each append lists its
     * sessions in {@code session_dirty} in its own transaction (PostgreSQL, whose many writers may
     * commit out of order).
     */
    default boolean rowidMarks() {
        return false;
    }

    /**
     * The statement that serialises refreshes of the session summary, run first in a refresh's
     * transaction and held until it ends, or {@code null} when the write connection is exclusive
     * already (SQLite's one writer).
     */
    default String refreshLock() {
        return null;
    }

    /**
     * The statement that gives the planner the size of a table (its {@code %s}), or {@code null}
     * when the planner needs none: run on the temporary table of sessions a refresh recomputes
     * (without it PostgreSQL guesses a large table and scans every event table instead of searching
     * their {@code session_id} indexes), and on the analytics day summaries after a refresh of many days.
     */
    default String analyzeTemporary() {
        return null;
    }

    /**
     * The statement that lets the current transaction commit without waiting for the disk
     * ({@link dev.eventlog.spi.LazyCommits}), run first in it, or {@code null} when the database has
     * no such commit: the store then has no lazy appends.
     */
    default String lazyCommit() {
        return null;
    }

    /**
     * A statement whose transaction, committed as every transaction is (waiting for the disk), makes
     * every commit before it durable; used only when {@link #lazyCommit()} is not {@code null}.
     */
    default String durableCommit() {
        return null;
    }

    /**
     * The UTC calendar day of the time column {@code column} as days since 1970-01-01 (floored),
     * the {@code epoch_day} of the changelog's {@code analytics_event_days_view}.
     */
    String epochDay(String column);
}
