package dev.eventlog.spring;

import dev.eventlog.postgres.PostgresEventStore;
import dev.eventlog.postgres.PostgresOptions;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.SchemaMode;
import javax.sql.DataSource;

/**
 * The PostgreSQL openings that need more than a URL: the application's DataSource, or a schema
 * set apart from the URL. Only {@link EventLogStores} calls it, and only for those, so this class
 * (and logging-postgres) is loaded only by applications that use them.
 */
final class PostgresStores {
    private PostgresStores() {
    }

    static EventStore open(DataSource dataSource, String schema, SchemaMode schemaMode) {
        return PostgresEventStore.open(dataSource, options(schema, schemaMode));
    }

    static EventStore open(String jdbcUrl, String schema, SchemaMode schemaMode) {
        return PostgresEventStore.open(jdbcUrl, options(schema, schemaMode));
    }

    private static PostgresOptions options(String schema, SchemaMode schemaMode) {
        return PostgresOptions.builder().schema(schema).schemaMode(schemaMode).build();
    }
}
