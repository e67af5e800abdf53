package dev.eventlog.spi;

import java.util.List;

/**
 * Opens stores from URLs, and knows everything about its URLs that a tool needs: their forms for
 * help and error messages, which URLs are its own, and how to print one without its secrets.
 * Implementations are found with {@link java.util.ServiceLoader}, so a store module on the class
 * path makes its URLs usable by {@link EventStores} and the CLI. Implementations are thread-safe.
 */
public interface EventStoreProvider {

    /**
     * The URL forms this provider opens, for help and error messages, e.g.
     * {@code sqlite:PATH} and {@code jdbc:sqlite:PATH}.
     */
    List<String> urlForms();

    /** Whether this provider opens {@code url}, e.g. {@code sqlite:events.db}. */
    boolean supports(String url);

    /**
     * {@code url} as it may be printed: every password, token or other secret it holds masked.
     * The default masks the generic forms of {@link Redaction#redact(String)}; a provider whose
     * URLs hold secrets elsewhere overrides it.
     */
    default String redact(String url) {
        return Redaction.redact(url);
    }

    /**
     * Opens the store at {@code url}, doing with its schema what {@code options.schemaMode()}
     * says. When {@code options.mustExist()} and the store does not exist, creates nothing.
     *
     * @throws dev.eventlog.ConfigurationException when the URL is malformed
     * @throws dev.eventlog.StoreNotFoundException when the store must exist and does not
     * @throws dev.eventlog.StoreException when the store cannot be opened
     */
    EventStore open(String url, StoreOptions options);
}
