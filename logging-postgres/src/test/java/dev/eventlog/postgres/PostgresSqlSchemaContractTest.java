package dev.eventlog.postgres;

import dev.eventlog.EventField;
import dev.eventlog.testkit.SqlSchemaContractTest;
import dev.eventlog.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PostgreSQL changelog against the kinds' declarations, in a schema of its own. */
class PostgresSqlSchemaContractTest extends SqlSchemaContractTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static String schema;

    @Override
    protected Connection migratedDatabase() throws SQLException {
        synchronized (PostgresSqlSchemaContractTest.class) {
            if (schema == null) {
                String name = db.newSchemaName();
                PostgresEventStore.open(db.url(name)).close();
                schema = name;
            }
        }
        return DriverManager.getConnection(db.serverUrl());
    }

    @Override
    protected String relation(String name) {
        return schema + "." + name;
    }

    @Override
    protected String columnType(EventField.Type type) {
        return switch (type) {
            case TEXT -> "text";
            case INTEGER -> "int8";
            case REAL -> "float8";
            case BOOLEAN -> "bool";
            case TEXT_LIST -> "jsonb";
        };
    }

    @Override
    protected List<String> envelopeColumnTypes() {
        return List.of("uuid", "timestamptz", "text", "text", "jsonb");
    }
}
