package dev.eventlog.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.UUID;

/**
 * A {@link RowSink} that binds a row's values as consecutive parameters of a prepared statement,
 * with ids and times bound as the {@link SqlDialect} says; one instance binds all the rows of a
 * multi-row statement in turn. Not thread-safe.
 */
public final class StatementRow implements RowSink {
    private final PreparedStatement statement;
    private final SqlDialect dialect;
    private int index;

    /** Binds from parameter 1 of {@code statement}. */
    public StatementRow(PreparedStatement statement, SqlDialect dialect) {
        this.statement = statement;
        this.dialect = dialect;
        this.index = 1;
    }

    /** Starts binding again from parameter 1, for the next execution of the statement. */
    public StatementRow restart() {
        index = 1;
        return this;
    }

    @Override
    public void id(UUID id) throws SQLException {
        dialect.bindId(statement, index++, id);
    }

    @Override
    public void time(Instant ts) throws SQLException {
        dialect.bindTime(statement, index++, ts);
    }

    @Override
    public void text(String value) throws SQLException {
        statement.setString(index++, value);
    }

    @Override
    public void json(String value) throws SQLException {
        statement.setString(index++, value);
    }

    @Override
    public void integer(Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index++, Types.BIGINT);
        } else {
            statement.setLong(index++, value);
        }
    }

    @Override
    public void real(Double value) throws SQLException {
        if (value == null) {
            statement.setNull(index++, Types.DOUBLE);
        } else {
            statement.setDouble(index++, value);
        }
    }

    @Override
    public void bool(Boolean value) throws SQLException {
        if (value == null) {
            statement.setNull(index++, Types.BOOLEAN);
        } else {
            statement.setBoolean(index++, value);
        }
    }
}
