package dev.eventlog.jsonl;

import dev.eventlog.ConfigurationException;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStoreProvider;
import dev.eventlog.spi.StoreOptions;
import java.nio.file.Path;

/** Opens {@code jsonl:DIR} URLs as {@link JsonlEventStore}s. */
public final class JsonlStoreProvider implements EventStoreProvider {

    @Override
    public boolean supports(String url) {
        return url.startsWith("jsonl:");
    }

    @Override
    public EventStore open(String url, StoreOptions options) {
        String dir = url.substring("jsonl:".length());
        if (dir.isBlank()) {
            throw new ConfigurationException("store URL was '" + url + "' but it must name a directory: jsonl:DIR");
        }
        return JsonlEventStore.open(Path.of(dir));
    }
}
