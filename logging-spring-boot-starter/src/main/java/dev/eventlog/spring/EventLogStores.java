package dev.eventlog.spring;

import dev.eventlog.ConfigurationException;
import dev.eventlog.DualWriter;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.spi.StoreOptions;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.ClassUtils;

/**
 * Opens the store {@code eventlog.store} names, with the {@code eventlog.backup} store behind a
 * {@link DualWriter} when one is set. Every URL goes through the providers on the class path
 * ({@link EventStores}); the application's DataSource and an explicit PostgreSQL schema go to
 * {@link PostgresStores}, loaded only then, so that logging-postgres stays optional.
 */
final class EventLogStores {
    private static final String POSTGRES_STORE = "dev.eventlog.postgres.PostgresEventStore";

    private final EventLogProperties properties;
    private final ObjectProvider<DataSource> dataSources;

    EventLogStores(EventLogProperties properties, ObjectProvider<DataSource> dataSources) {
        this.properties = properties;
        this.dataSources = dataSources;
    }

    /** The primary store, with its backup when one is set. */
    EventStore open() {
        EventStore primary = openPrimary();
        String backup = blankToNull(properties.getBackup());
        if (backup == null) {
            return primary;
        }
        try {
            return DualWriter.of(primary, named("eventlog.backup", () -> EventStores.open(backup)));
        } catch (RuntimeException e) {
            primary.close();
            throw e;
        }
    }

    private EventStore openPrimary() {
        String store = blankToNull(properties.getStore());
        String schema = blankToNull(properties.getSchema());
        if (store == null) {
            throw new ConfigurationException("eventlog.store was empty but it must be a store URL, e.g. "
                    + "sqlite:events.db, or '" + EventLogProperties.DATA_SOURCE + "'");
        }
        if (EventLogProperties.DATA_SOURCE.equalsIgnoreCase(store)) {
            requirePostgres("'" + EventLogProperties.DATA_SOURCE + "'");
            DataSource dataSource = dataSources.getIfUnique();
            if (dataSource == null) {
                throw new ConfigurationException("eventlog.store was '" + EventLogProperties.DATA_SOURCE
                        + "' but the application has no single DataSource bean; set spring.datasource.url"
                        + " or give eventlog.store a store URL");
            }
            return PostgresStores.open(dataSource, schema, properties.getSchemaMode());
        }
        if (schema != null) {
            if (!store.startsWith("jdbc:postgresql:")) {
                throw new ConfigurationException("eventlog.schema was '" + schema + "' but it applies only to a"
                        + " jdbc:postgresql: store or '" + EventLogProperties.DATA_SOURCE + "', and eventlog.store was '"
                        + EventStores.redact(store) + "'");
            }
            requirePostgres("'" + EventStores.redact(store) + "'");
            return PostgresStores.open(store, schema, properties.getSchemaMode());
        }
        return named("eventlog.store", () -> EventStores.open(store, new StoreOptions(properties.getSchemaMode())));
    }

    /** Opens a store, a bad URL's message naming the property it came from. */
    private static EventStore named(String property, Supplier<EventStore> opener) {
        try {
            return opener.get();
        } catch (ConfigurationException e) {
            throw new ConfigurationException(property + ": " + e.getMessage());
        }
    }

    private static void requirePostgres(String store) {
        if (!ClassUtils.isPresent(POSTGRES_STORE, EventLogStores.class.getClassLoader())) {
            throw new ConfigurationException("eventlog.store was " + store + " but that needs the PostgreSQL store:"
                    + " add the dependency dev.eventlog:logging-postgres");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
