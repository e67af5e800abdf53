package dev.eventlog.cli;

import dev.eventlog.ConfigurationException;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.spi.Redaction;
import dev.eventlog.spi.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the stores named on the command line by their URLs (README, "Stores"). */
final class StoreUrls {
    private StoreUrls() {
    }

    /** Opens a store to write to, creating a SQLite file or JSONL directory that does not exist yet. */
    static EventStore openTarget(String url) {
        return EventStores.open(url.strip());
    }

    /**
     * Opens a store to read from, which must exist: a missing SQLite file or JSONL directory is a
     * mistyped path, not an empty store.
     *
     * @param option the option or parameter that named it, for the message
     */
    static EventStore openExisting(String option, String url) {
        requireExisting(option, url.strip());
        return EventStores.open(url.strip());
    }

    /** Opens a store without checking or changing its schema, for the schema commands. */
    static EventStore openForSchema(String option, String url) {
        requireExisting(option, url.strip());
        return EventStores.open(url.strip(), StoreOptions.SCHEMA_TOOLS);
    }

    /** The directory of a {@code jsonl:DIR} URL, or of a plain directory path. */
    static Path jsonlDirectory(String option, String url) {
        String dir = url.startsWith("jsonl:") ? url.substring("jsonl:".length()) : url;
        if (dir.isBlank()) {
            throw new ConfigurationException(option + " was '" + url + "' but it must be jsonl:DIR");
        }
        return Path.of(dir);
    }

    private static void requireExisting(String option, String url) {
        Path path = localPath(url);
        if (path == null) {
            return;
        }
        boolean jsonl = url.startsWith("jsonl:");
        if (jsonl ? !Files.isDirectory(path) : !Files.isRegularFile(path)) {
            throw new ConfigurationException(option + " was '" + Redaction.redact(url) + "' but it must be an existing "
                    + (jsonl ? "directory" : "database file"));
        }
    }

    /** The file or directory of a {@code sqlite:}, {@code jdbc:sqlite:} or {@code jsonl:} URL, else null. */
    private static Path localPath(String url) {
        String rest;
        if (url.startsWith("jsonl:")) {
            rest = url.substring("jsonl:".length());
        } else if (url.startsWith("jdbc:sqlite:")) {
            rest = url.substring("jdbc:sqlite:".length());
        } else if (url.startsWith("sqlite:")) {
            rest = url.substring("sqlite:".length());
        } else {
            return null;
        }
        return rest.isBlank() || rest.contains("?") || rest.startsWith(":memory:") ? null : Path.of(rest);
    }
}
