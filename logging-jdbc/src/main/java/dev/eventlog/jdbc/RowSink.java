package dev.eventlog.jdbc;

import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * Where {@link ColumnPlan#write} puts the values of one row, column after column in table order:
 * the parameters of a prepared statement ({@link StatementRow}), or a line of a database's bulk
 * load format. A sink only spells a value of a type; which value goes in which column, and how
 * attributes and lists become JSON text, the plan decides. Not thread-safe.
 */
public interface RowSink {
    /** The event id column. */
    void id(UUID id) throws SQLException;

    /** The event time column. */
    void time(Instant ts) throws SQLException;

    /** A text column; {@code null} for SQL NULL. */
    void text(String value) throws SQLException;

    /** A JSON column, as JSON text; {@code null} for SQL NULL. */
    void json(String value) throws SQLException;

    /** An integer column; {@code null} for SQL NULL. */
    void integer(Long value) throws SQLException;

    /** A floating-point column; {@code null} for SQL NULL. */
    void real(Double value) throws SQLException;

    /** A boolean column; {@code null} for SQL NULL. */
    void bool(Boolean value) throws SQLException;
}
