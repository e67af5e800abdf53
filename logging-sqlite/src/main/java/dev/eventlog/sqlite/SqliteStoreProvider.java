package dev.eventlog.sqlite;

import dev.eventlog.ConfigurationException;
import dev.eventlog.StoreNotFoundException;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStoreProvider;
import dev.eventlog.spi.EventStores;
import dev.eventlog.spi.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Opens {@code sqlite:PATH} and {@code jdbc:sqlite:PATH} URLs as {@link SqliteEventStore}s. Thread-safe. */
public final class SqliteStoreProvider implements EventStoreProvider {

    @Override
    public List<String> urlForms() {
        return List.of("sqlite:PATH", "jdbc:sqlite:PATH");
    }

    @Override
    public boolean supports(String url) {
        return url.startsWith("sqlite:") || url.startsWith("jdbc:sqlite:");
    }

    @Override
    public EventStore open(String url, StoreOptions options) {
        String path = url.substring(url.indexOf("sqlite:") + "sqlite:".length());
        if (path.isBlank() || path.startsWith(":memory:") || path.contains("?")) {
            throw new ConfigurationException("store URL was '" + EventStores.redact(url)
                    + "' but it must name a database file: sqlite:PATH or jdbc:sqlite:PATH");
        }
        if (options.mustExist() && !Files.isRegularFile(Path.of(path))) {
            throw new StoreNotFoundException(EventStores.redact(url), "it must be an existing database file");
        }
        return SqliteEventStore.open(Path.of(path), SqliteOptions.builder().schemaMode(options.schemaMode()).build());
    }
}
