package dev.eventlog.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh schema on the test PostgreSQL server ({@code EVENTLOG_TEST_PG_URL}, else the local server
 * at {@code 127.0.0.1:5432}), dropped on close. When no server is reachable the test is skipped
 * with the reason printed, or fails when {@code EVENTLOG_REQUIRE_PG=1}.
 */
final class ScratchSchema implements AutoCloseable {
    private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final String serverUrl;
    private final String name;

    private ScratchSchema(String serverUrl, String name) {
        this.serverUrl = serverUrl;
        this.name = name;
    }

    static ScratchSchema create() {
        String serverUrl = System.getenv().getOrDefault("EVENTLOG_TEST_PG_URL", LOCAL_URL);
        String name = "eventlog_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(serverUrl);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            String reason = "no PostgreSQL reachable at " + serverUrl.replaceAll("password=[^&]*", "password=***")
                    + ": " + e.getMessage();
            if ("1".equals(System.getenv("EVENTLOG_REQUIRE_PG"))) {
                throw new AssertionError("EVENTLOG_REQUIRE_PG=1 but " + reason, e);
            }
            System.err.println("PostgreSQL test skipped: " + reason);
            Assumptions.abort(reason);
        }
        return new ScratchSchema(serverUrl, name);
    }

    /** The store URL of this schema. */
    String url() {
        return serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    @Override
    public void close() throws SQLException {
        try (Connection connection = DriverManager.getConnection(serverUrl);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }
}
