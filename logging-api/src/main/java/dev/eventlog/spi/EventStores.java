package dev.eventlog.spi;

import dev.eventlog.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Opens any store by URL through the {@link EventStoreProvider}s on the class path. Thread-safe. */
public final class EventStores {
    private EventStores() {
    }

    /** Opens {@code url} with default options. */
    public static EventStore open(String url) {
        return open(url, StoreOptions.DEFAULT);
    }

    /**
     * Opens {@code url} with the first provider that supports it.
     *
     * @throws ConfigurationException when no provider on the class path supports the URL
     */
    public static EventStore open(String url, StoreOptions options) {
        List<String> known = new ArrayList<>();
        for (EventStoreProvider provider : ServiceLoader.load(EventStoreProvider.class)) {
            if (provider.supports(url)) {
                return provider.open(url, options);
            }
            known.add(provider.getClass().getSimpleName());
        }
        throw new ConfigurationException("store URL was '" + Redaction.redact(url)
                + "' but it must start with sqlite:, jdbc:sqlite:, jdbc:postgresql:// or jsonl: "
                + "(providers on the class path: " + known + ")");
    }
}
