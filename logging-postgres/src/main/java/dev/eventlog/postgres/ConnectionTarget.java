package dev.eventlog.postgres;

import dev.eventlog.ConfigurationException;
import dev.eventlog.spi.Redaction;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * Where a store connects, as people name it in messages: host and port, database, user and
 * schema, never a password. Parsed from a JDBC URL by pgjdbc's own parser, so every URL form the
 * driver takes is understood. Immutable.
 *
 * @param hosts {@code host:port}, comma-separated when the URL lists several
 * @param database the database name
 * @param user the login role, or {@code null} when neither the URL nor the options name one
 * @param schema the schema of the store
 */
record ConnectionTarget(String hosts, String database, String user, String schema) {

    /** The store's description: no parameters, so no password can appear. */
    String describe() {
        return "postgresql://" + hosts + "/" + database + " (schema " + schema + ", user "
                + (user == null ? "(driver default)" : user) + ")";
    }

    /** A one-line reason a connection could not be made, naming everything but the password. */
    String cannotConnect(Throwable failure) {
        return "cannot connect to PostgreSQL at " + hosts + ", database '" + database + "', user '"
                + (user == null ? "(driver default)" : user) + "': " + reason(failure);
    }

    /** The innermost SQL reason of {@code failure} on one line. */
    static String reason(Throwable failure) {
        Throwable reason = sqlCause(failure);
        String message = reason.getMessage() == null ? reason.getClass().getSimpleName() : reason.getMessage();
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** The innermost {@link SQLException} in {@code failure}'s causes, or {@code failure} itself. */
    static Throwable sqlCause(Throwable failure) {
        Throwable found = failure;
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException) {
                found = t;
            }
        }
        return found;
    }

    /**
     * Parses {@code jdbcUrl} and settles the schema: the options' when set, else the first entry
     * of the URL's {@code currentSchema}, else {@code public}.
     *
     * @throws ConfigurationException when the URL is not a PostgreSQL JDBC URL, or the schemas of
     *     the URL and the options disagree or are not usable names
     */
    static ConnectionTarget parse(String jdbcUrl, PostgresOptions options) {
        Properties parsed = jdbcUrl == null ? null : Driver.parseURL(jdbcUrl, null);
        if (parsed == null) {
            throw new ConfigurationException("store URL was '" + Redaction.redact(jdbcUrl)
                    + "' but it must be a PostgreSQL JDBC URL: jdbc:postgresql://HOST:PORT/DATABASE?currentSchema=SCHEMA");
        }
        String hosts = hostsAndPorts(parsed.getProperty(PGProperty.PG_HOST.getName(), "localhost"),
                parsed.getProperty(PGProperty.PG_PORT.getName(), "5432"));
        String urlUser = parsed.getProperty(PGProperty.USER.getName());
        if (options.user() != null && urlUser != null && !options.user().equals(urlUser)) {
            throw new ConfigurationException("user was '" + options.user() + "' but the URL logs in as '" + urlUser
                    + "', which the driver would use: name the user in one place");
        }
        if (options.password() != null && parsed.getProperty(PGProperty.PASSWORD.getName()) != null) {
            throw new ConfigurationException("password was given in the options but the URL has one too, which the"
                    + " driver would use: give the password in one place");
        }
        String user = options.user() != null ? options.user() : urlUser;
        String urlSchema = parsed.getProperty(PGProperty.CURRENT_SCHEMA.getName());
        if (urlSchema != null) {
            urlSchema = urlSchema.split(",", -1)[0].strip();
            if (!PostgresOptions.SCHEMA_NAME.matcher(urlSchema).matches()) {
                throw new ConfigurationException("currentSchema was '" + urlSchema + "' but it must be a lower-case"
                        + " SQL name (a-z, 0-9, _; not starting with a digit; at most 63 characters)");
            }
        }
        if (options.schema() != null && urlSchema != null && !options.schema().equals(urlSchema)) {
            throw new ConfigurationException("schema was '" + options.schema() + "' but it must match the URL's"
                    + " currentSchema '" + urlSchema + "', or one of them must be left out");
        }
        String schema = options.schema() != null ? options.schema() : urlSchema != null ? urlSchema : "public";
        return new ConnectionTarget(hosts, parsed.getProperty(PGProperty.PG_DBNAME.getName(), ""), user, schema);
    }

    /** Whether {@code jdbcUrl} sets the {@code ApplicationName} parameter itself. */
    static boolean namesApplication(String jdbcUrl) {
        Properties parsed = Driver.parseURL(jdbcUrl, null);
        return parsed != null && parsed.getProperty(PGProperty.APPLICATION_NAME.getName()) != null;
    }

    private static String hostsAndPorts(String hosts, String ports) {
        String[] hostList = hosts.split(",", -1);
        String[] portList = ports.split(",", -1);
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < hostList.length; i++) {
            if (i > 0) {
                joined.append(',');
            }
            String host = hostList[i].contains(":") ? "[" + hostList[i] + "]" : hostList[i];
            joined.append(host).append(':').append(portList[Math.min(i, portList.length - 1)]);
        }
        return joined.toString();
    }
}
