package dev.eventlog.postgres;

import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStoreProvider;
import dev.eventlog.spi.StoreOptions;

/**
 * Opens {@code jdbc:postgresql://HOST:PORT/DATABASE?currentSchema=SCHEMA&…} URLs as
 * {@link PostgresEventStore}s with default pool settings. Thread-safe.
 */
public final class PostgresStoreProvider implements EventStoreProvider {

    @Override
    public boolean supports(String url) {
        return url.startsWith("jdbc:postgresql:");
    }

    @Override
    public EventStore open(String url, StoreOptions options) {
        return PostgresEventStore.open(url, PostgresOptions.builder().schemaMode(options.schemaMode()).build());
    }
}
