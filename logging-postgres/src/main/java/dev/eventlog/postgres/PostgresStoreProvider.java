package dev.eventlog.postgres;

import dev.eventlog.ConfigurationException;
import dev.eventlog.StoreException;
import dev.eventlog.StoreNotFoundException;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStoreProvider;
import dev.eventlog.spi.EventStores;
import dev.eventlog.spi.StoreOptions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.Driver;

/**
 * Opens {@code jdbc:postgresql://HOST:PORT/DATABASE?currentSchema=SCHEMA&…} URLs as
 * {@link PostgresEventStore}s with default pool settings. The login may also be given as
 * {@code jdbc:postgresql://USER:PASSWORD@HOST:PORT/DATABASE…} (URL-encoded), which the driver
 * does not read itself: it is taken out of the URL and handed to the pool, and never printed.
 * A {@code partitions=day|week|month} parameter (taken out of the URL before the driver sees it)
 * lays a new store's tables out in time partitions ({@link PostgresOptions#partitions()}).
 * Opened with {@link StoreOptions#mustExist()}, a schema that is not in the database is reported
 * and not created. Thread-safe.
 */
public final class PostgresStoreProvider implements EventStoreProvider {
    private static final String SCHEME = "jdbc:postgresql:";
    private static final Pattern PARTITIONS = Pattern.compile("([?&])partitions=([^&]*)(&?)");
    private static final Pattern USER_INFO = Pattern.compile("^(jdbc:postgresql://)([^/@?]*)@(.*)$");

    @Override
    public List<String> urlForms() {
        return List.of("jdbc:postgresql://HOST:PORT/DB?currentSchema=S[&user=U&password=P][&partitions=month]",
                "jdbc:postgresql://USER:PASSWORD@HOST:PORT/DB?currentSchema=S");
    }

    @Override
    public boolean supports(String url) {
        return url.startsWith(SCHEME);
    }

    @Override
    public EventStore open(String url, StoreOptions options) {
        Matcher partitions = PARTITIONS.matcher(url);
        PartitionInterval interval = null;
        String rest = url;
        if (partitions.find()) {
            interval = PartitionInterval.parse("partitions parameter of the store URL", partitions.group(2));
            rest = url.substring(0, partitions.start()) + (partitions.group(3).isEmpty() ? ""
                    : partitions.group(1)) + url.substring(partitions.end());
        }
        Login login = Login.of(rest);
        PostgresOptions postgres = PostgresOptions.builder().schemaMode(options.schemaMode()).user(login.user())
                .password(login.password()).partitions(interval).build();
        if (options.mustExist()) {
            requireSchema(url, login, postgres);
        }
        return PostgresEventStore.open(login.url(), postgres);
    }

    /** Fails, creating nothing, when the URL's schema is not in the database. */
    private static void requireSchema(String url, Login login, PostgresOptions options) {
        ConnectionTarget target = ConnectionTarget.parse(login.url(), options);
        Properties properties = new Properties();
        if (login.user() != null) {
            properties.setProperty("user", login.user());
        }
        if (login.password() != null) {
            properties.setProperty("password", login.password());
        }
        boolean exists;
        try (Connection connection = new Driver().connect(login.url(), properties)) {
            if (connection == null) {
                throw new ConfigurationException("store URL was '" + EventStores.redact(url)
                        + "' but it must be a PostgreSQL JDBC URL: jdbc:postgresql://HOST:PORT/DATABASE?currentSchema=SCHEMA");
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
                statement.setString(1, target.schema());
                try (ResultSet rows = statement.executeQuery()) {
                    exists = rows.next();
                }
            }
        } catch (SQLException e) {
            throw new StoreException(target.cannotConnect(e), e);
        }
        if (!exists) {
            throw new StoreNotFoundException(EventStores.redact(url), "its schema '" + target.schema()
                    + "' does not exist in database '" + target.database() + "' at " + target.hosts());
        }
    }

    /**
     * A URL with any {@code USER:PASSWORD@} part taken out, and that login.
     *
     * @param url the URL the driver reads
     * @param user the user of the {@code USER:PASSWORD@} part, or {@code null}
     * @param password its password, or {@code null}
     */
    record Login(String url, String user, String password) {
        static Login of(String url) {
            Matcher matcher = USER_INFO.matcher(url);
            if (!matcher.matches()) {
                return new Login(url, null, null);
            }
            String userInfo = matcher.group(2);
            int colon = userInfo.indexOf(':');
            String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            String password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
            return new Login(matcher.group(1) + matcher.group(3), user.isEmpty() ? null : user, password);
        }

        private static String decode(String part) {
            try {
                return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notEncoded) {
                return part;
            }
        }
    }
}
