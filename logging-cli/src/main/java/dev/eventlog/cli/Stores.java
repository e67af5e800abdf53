package dev.eventlog.cli;

import dev.eventlog.ConfigurationException;
import dev.eventlog.StoreNotFoundException;
import dev.eventlog.jsonl.JsonlStoreProvider;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.spi.StoreOptions;
import java.nio.file.Path;

/**
 * Opens the stores named on the command line through {@link EventStores}, with the options each
 * use needs: the URL forms are the providers' own. A store that is only read must exist, so a
 * mistyped name never creates an empty store.
 */
final class Stores {
    private Stores() {
    }

    /** Opens a store to write to, creating a SQLite file, JSONL directory or schema that does not exist yet. */
    static EventStore openToWrite(String url) {
        return EventStores.open(url, StoreOptions.DEFAULT);
    }

    /**
     * Opens a store to read from, which must exist.
     *
     * @param option the option or parameter that named it, for the message
     * @throws StoreNotFoundException naming {@code option} when the store does not exist; nothing is created
     */
    static EventStore openToRead(String option, String url) {
        return open(option, url, StoreOptions.READ);
    }

    /** Opens a store that must exist without checking or changing its schema, for the schema commands. */
    static EventStore openForSchema(String option, String url) {
        return open(option, url, StoreOptions.SCHEMA_READ);
    }

    private static EventStore open(String option, String url, StoreOptions options) {
        try {
            return EventStores.open(url, options);
        } catch (StoreNotFoundException e) {
            throw e.namedBy(option);
        }
    }

    /**
     * The directory of a {@code jsonl:DIR} URL given to {@code option}.
     *
     * @throws ConfigurationException when the URL is not {@code jsonl:DIR}: any other store is refused
     */
    static Path jsonlDirectory(String option, String url) {
        String stripped = url.strip();
        if (!stripped.startsWith(JsonlStoreProvider.SCHEME) || stripped.length() == JsonlStoreProvider.SCHEME.length()) {
            throw new ConfigurationException(option + " was '" + EventStores.redact(stripped)
                    + "' but it must be jsonl:DIR, a directory of JSONL files");
        }
        return JsonlStoreProvider.directory(stripped);
    }
}
