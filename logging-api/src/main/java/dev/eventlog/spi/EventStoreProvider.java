package dev.eventlog.spi;

/**
 * Opens stores from URLs. Implementations are found with {@link java.util.ServiceLoader}, so a
 * store module on the class path makes its URLs usable by {@link EventStores} and the CLI.
 */
public interface EventStoreProvider {

    /** Whether this provider opens {@code url}, e.g. {@code sqlite:events.db}. */
    boolean supports(String url);

    /**
     * Opens the store at {@code url}, doing with its schema what
     * {@code options.schemaMode()} says.
     *
     * @throws dev.eventlog.ConfigurationException when the URL is malformed
     * @throws dev.eventlog.StoreException when the store cannot be opened
     */
    EventStore open(String url, StoreOptions options);
}
