package dev.eventlog.jdbc;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * How one database inserts a batch of rows of one kind fastest, skipping ids already stored:
 * multi-row prepared inserts (SQLite), {@code COPY} through a staging table (PostgreSQL). Rows are
 * bound or encoded through the kind's {@link ColumnPlan}. Implementations are thread-safe as far
 * as their {@link ConnectionSource} hands a connection to one thread at a time.
 */
@FunctionalInterface
public interface RowInserter {
    /**
     * Inserts {@code events}, all of {@code kind}, inside the open transaction of
     * {@code connection}.
     *
     * @return how many rows were new
     */
    int insert(Connection connection, EventKind kind, List<Event> events) throws SQLException;
}
