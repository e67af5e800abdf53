package dev.eventlog.spi;

import dev.eventlog.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Opens any store by URL through the {@link EventStoreProvider}s on the class path, and prints
 * URLs without their secrets. Every store URL form is known only to its provider. Thread-safe.
 */
public final class EventStores {
    private EventStores() {
    }

    /** Opens {@code url} with default options: a store that does not exist is created. */
    public static EventStore open(String url) {
        return open(url, StoreOptions.DEFAULT);
    }

    /**
     * Opens {@code url} with the first provider that supports it.
     *
     * @throws ConfigurationException when no provider on the class path supports the URL, or the
     *     URL is malformed
     * @throws dev.eventlog.StoreNotFoundException when {@code options.mustExist()} and the store
     *     does not exist; nothing was created
     * @throws dev.eventlog.StoreException when the store cannot be opened
     */
    public static EventStore open(String url, StoreOptions options) {
        String stripped = url == null ? "" : url.strip();
        for (EventStoreProvider provider : providers()) {
            if (provider.supports(stripped)) {
                return provider.open(stripped, options);
            }
        }
        throw new ConfigurationException("store URL was '" + redact(stripped) + "' but it must be one of "
                + String.join(", ", urlForms()));
    }

    /**
     * {@code url} without its secrets, as the provider that supports it redacts it; the generic
     * {@link Redaction#redact(String)} when no provider does. Use it for every message that names a
     * store URL.
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        for (EventStoreProvider provider : providers()) {
            if (provider.supports(url.strip())) {
                // A provider's own masking first, then the generic one for anything it left.
                return Redaction.redact(provider.redact(url));
            }
        }
        return Redaction.redact(url);
    }

    /** Every URL form of the providers on the class path, e.g. {@code sqlite:PATH}, for help and errors. */
    public static List<String> urlForms() {
        List<String> forms = new ArrayList<>();
        for (EventStoreProvider provider : providers()) {
            forms.addAll(provider.urlForms());
        }
        return forms;
    }

    private static List<EventStoreProvider> providers() {
        List<EventStoreProvider> providers = new ArrayList<>();
        ServiceLoader.load(EventStoreProvider.class).forEach(providers::add);
        return providers;
    }
}
