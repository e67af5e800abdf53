package dev.eventlog.cli;

import dev.eventlog.spi.Redaction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fresh PostgreSQL schemas for the command's tests, dropped after the class, on the server in
 * {@code EVENTLOG_TEST_PG_URL} or else the local one at {@value #LOCAL_URL} (the server is
 * shared: only the schemas made here are touched). Without a reachable server the class is
 * skipped with one line saying why, or fails when {@code EVENTLOG_REQUIRE_PG=1}, as CI sets.
 */
final class PostgresSchemas implements BeforeAllCallback, AfterAllCallback {
    static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final List<String> schemas = new CopyOnWriteArrayList<>();
    private String server;

    @Override
    public void beforeAll(ExtensionContext context) {
        String given = System.getenv("EVENTLOG_TEST_PG_URL");
        String url = given == null || given.isBlank() ? LOCAL_URL : given;
        try (Connection connection = DriverManager.getConnection(url + (url.contains("?") ? "&" : "?")
                + "connectTimeout=5")) {
            server = url;
        } catch (SQLException e) {
            String reason = "PostgreSQL tests of " + context.getDisplayName() + ": " + Redaction.redact(url)
                    + " is not reachable (" + e.getMessage() + ")";
            if ("1".equals(System.getenv("EVENTLOG_REQUIRE_PG"))) {
                throw new AssertionError("EVENTLOG_REQUIRE_PG=1 but " + reason, e);
            }
            System.err.println(reason + "; skipped");
            Assumptions.abort(reason);
        }
    }

    /** The URL of a new, empty schema. */
    String newSchemaUrl() {
        String name = "eventlog_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE SCHEMA " + name);
        schemas.add(name);
        return server + (server.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(server);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test set-up SQL failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (String name : schemas) {
            execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
        schemas.clear();
    }
}
