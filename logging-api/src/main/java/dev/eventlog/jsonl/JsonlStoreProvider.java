package dev.eventlog.jsonl;

import dev.eventlog.ConfigurationException;
import dev.eventlog.StoreNotFoundException;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStoreProvider;
import dev.eventlog.spi.EventStores;
import dev.eventlog.spi.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Opens {@code jsonl:DIR} URLs as {@link JsonlEventStore}s. Thread-safe. */
public final class JsonlStoreProvider implements EventStoreProvider {
    /** The scheme of a JSONL store's URL. */
    public static final String SCHEME = "jsonl:";

    @Override
    public List<String> urlForms() {
        return List.of("jsonl:DIR");
    }

    @Override
    public boolean supports(String url) {
        return url.startsWith(SCHEME);
    }

    /**
     * The directory of a {@code jsonl:DIR} URL.
     *
     * @throws ConfigurationException when {@code url} is not {@code jsonl:} followed by a directory
     */
    public static Path directory(String url) {
        String dir = url.startsWith(SCHEME) ? url.substring(SCHEME.length()) : "";
        if (dir.isBlank()) {
            throw new ConfigurationException("store URL was '" + EventStores.redact(url)
                    + "' but it must name a directory: jsonl:DIR");
        }
        return Path.of(dir);
    }

    @Override
    public EventStore open(String url, StoreOptions options) {
        Path dir = directory(url);
        if (options.mustExist() && !Files.isDirectory(dir)) {
            throw new StoreNotFoundException(EventStores.redact(url), "it must be an existing directory");
        }
        return JsonlEventStore.open(dir);
    }
}
