package dev.eventlog.testkit;

import dev.eventlog.spi.Redaction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The PostgreSQL server the tests use, and the schemas and roles a test class makes on it, all
 * dropped after the class; shared by every module's tests. Register as {@code @RegisterExtension static final TestDatabase db = new TestDatabase();}.
 *
 * <p>The server is chosen once per test run: {@code EVENTLOG_TEST_PG_URL} when set; else a
 * Testcontainers PostgreSQL when Docker is available; else the local server at
 * {@value #LOCAL_URL}. When none is reachable the class is skipped with one line saying why, or
 * fails when {@code EVENTLOG_REQUIRE_PG=1}. The server may be shared: tests only ever touch the
 * schemas and roles they created.
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback {
    public static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private static Server server;
    private static boolean skipAnnounced;

    private final List<String> schemas = new CopyOnWriteArrayList<>();
    private final List<String> roles = new CopyOnWriteArrayList<>();
    private final List<String> databases = new CopyOnWriteArrayList<>();
    private String schema;

    /** The chosen server: a base URL (no currentSchema), or why there is none. */
    private record Server(String url, String unavailable) {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Server chosen = server();
        if (chosen.unavailable() != null) {
            if ("1".equals(System.getenv("EVENTLOG_REQUIRE_PG"))) {
                throw new AssertionError("EVENTLOG_REQUIRE_PG=1 but no PostgreSQL is reachable: "
                        + chosen.unavailable());
            }
            String reason = "PostgreSQL tests skipped: " + chosen.unavailable();
            announceSkipOnce(reason);
            Assumptions.abort(reason);
        }
        schema = newSchema();
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        if (server == null || server.url() == null) {
            return;
        }
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            for (String name : schemas) {
                statement.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            }
            for (String role : roles) {
                statement.execute("DROP OWNED BY " + role);
                statement.execute("DROP ROLE IF EXISTS " + role);
            }
            for (String database : databases) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
        schemas.clear();
        roles.clear();
        databases.clear();
    }

    /** The schema made for this test class. */
    public String schema() {
        return schema;
    }

    /** A URL for the class's schema. */
    public String url() {
        return url(schema);
    }

    /** A URL whose {@code currentSchema} is {@code schemaName}. */
    public String url(String schemaName) {
        return withParameter(server.url(), "currentSchema=" + schemaName);
    }

    /**
     * A URL for {@code schemaName} that logs in as {@code user}, with {@code password} when not
     * {@code null}, in place of the administrator.
     */
    public String urlAs(String schemaName, String user, String password) {
        String url = url(schemaName).replaceAll("([?&])password=[^&]*&?", "$1").replaceAll("([?&])user=[^&]*&?", "$1");
        url = withParameter(url.endsWith("&") || url.endsWith("?") ? url.substring(0, url.length() - 1) : url,
                "user=" + user);
        return password == null ? url : withParameter(url, "password=" + password);
    }

    /** The server's URL without a schema. */
    public String serverUrl() {
        return server.url();
    }

    /** {@code url} with one more query parameter. */
    public static String withParameter(String url, String parameter) {
        return url + (url.contains("?") ? "&" : "?") + parameter;
    }

    /**
     * A fresh schema name, dropped after the class; the schema itself is created only when
     * {@code create}.
     */
    public String newSchemaName() {
        String name = "eventlog_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        schemas.add(name);
        return name;
    }

    /** A fresh, empty schema, dropped after the class. */
    public String newSchema() {
        String name = newSchemaName();
        execute("CREATE SCHEMA " + name);
        return name;
    }

    /** The URL of a fresh, empty schema, dropped after the class. */
    public String newSchemaUrl() {
        return url(newSchema());
    }

    /**
     * The URL (no schema) of a fresh database on the server, dropped after the class with every
     * connection to it: for what lives per database, such as an extension.
     */
    public String newDatabaseUrl() {
        String name = "eventlog_test_db_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        databases.add(name);
        execute("CREATE DATABASE " + name);
        return server.url().replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name);
    }

    /** A fresh login role without privileges, dropped after the class. */
    public String newRole() {
        String role = "eventlog_test_role_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        roles.add(role);
        execute("CREATE ROLE " + role + " LOGIN");
        return role;
    }

    /** A new autocommit connection as the server's administrator. */
    public Connection admin() throws SQLException {
        return DriverManager.getConnection(server.url());
    }

    /** Runs {@code sql} statements as the administrator. */
    public void execute(String... sql) {
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test set-up SQL failed: " + e.getMessage(), e);
        }
    }

    /** How many rows {@code schema.relation} holds, counted as the administrator. */
    public long rows(String schema, String relation) {
        try (Connection admin = admin(); Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + schema + "." + relation)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the rows of " + schema + "." + relation + ": " + e.getMessage(), e);
        }
    }

    /**
     * The {@code pg_class.relkind} of {@code schema.name} ({@code r} a plain table, {@code p} a
     * partitioned one, ...), or {@code null} when there is no such relation.
     */
    public String relkind(String schema, String name) {
        try (Connection admin = admin(); Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery("SELECT c.relkind FROM pg_class c JOIN pg_namespace n"
                        + " ON n.oid = c.relnamespace WHERE n.nspname = '" + schema + "' AND c.relname = '" + name + "'")) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look " + schema + "." + name + " up: " + e.getMessage(), e);
        }
    }

    private static synchronized void announceSkipOnce(String reason) {
        if (!skipAnnounced) {
            skipAnnounced = true;
            System.err.println(reason);
        }
    }

    private static synchronized Server server() {
        if (server == null) {
            server = choose();
            if (server.url() != null) {
                System.err.println("PostgreSQL tests use " + Redaction.redact(server.url()));
            }
        }
        return server;
    }

    private static Server choose() {
        String given = System.getenv("EVENTLOG_TEST_PG_URL");
        if (given != null && !given.isBlank()) {
            String problem = unreachable(given);
            return problem == null ? new Server(given, null)
                    : new Server(null, "EVENTLOG_TEST_PG_URL=" + Redaction.redact(given) + " is not reachable: " + problem);
        }
        String dockerProblem;
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                @SuppressWarnings("resource") // Stopped by Testcontainers when the JVM exits.
                PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:15-alpine");
                container.start();
                String url = withParameter(withParameter(container.getJdbcUrl(), "user=" + container.getUsername()),
                        "password=" + container.getPassword());
                return new Server(url, null);
            }
            dockerProblem = "Docker is not available";
        } catch (RuntimeException e) {
            dockerProblem = "the Testcontainers PostgreSQL did not start (" + e.getMessage() + ")";
        }
        String localProblem = unreachable(LOCAL_URL);
        if (localProblem == null) {
            System.err.println("PostgreSQL tests: " + dockerProblem + ", using the local server");
            return new Server(LOCAL_URL, null);
        }
        return new Server(null, "EVENTLOG_TEST_PG_URL is not set, " + dockerProblem + ", and " + LOCAL_URL
                + " is not reachable (" + localProblem + ")");
    }

    private static String unreachable(String url) {
        try (Connection connection = DriverManager.getConnection(withParameter(url, "connectTimeout=5"))) {
            return connection.isValid(5) ? null : "the connection is not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }
}
