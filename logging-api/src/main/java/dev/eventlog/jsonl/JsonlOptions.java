package dev.eventlog.jsonl;

import dev.eventlog.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link JsonlEventStore} writes. Immutable; built with {@link #builder()}.
 *
 * @param fsync force every appended batch to the disk before {@code append} returns, so that it
 *     survives a power loss; without it a batch is in the operating system's cache when
 *     {@code append} returns and survives a crash of the process. Default false.
 * @param aliases key aliases used when reading lines back (legacy files in the directory)
 * @param maxLineBytes lines longer than this are rejected on read; default 64 MiB
 */
public record JsonlOptions(boolean fsync, KeyAliases aliases, int maxLineBytes) {

    /** The defaults: no fsync, built-in aliases, 64 MiB lines. */
    public static final JsonlOptions DEFAULT = builder().build();

    /** Validates the settings. */
    public JsonlOptions {
        List<String> problems = new ArrayList<>();
        if (aliases == null) {
            problems.add("aliases was 'null' but it must be KeyAliases, e.g. KeyAliases.builtIn()");
        }
        if (maxLineBytes < 1024) {
            problems.add("maxLineBytes was '" + maxLineBytes + "' but it must be at least 1024");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link JsonlOptions}; not thread-safe. */
    public static final class Builder {
        private boolean fsync;
        private KeyAliases aliases = KeyAliases.builtIn();
        private int maxLineBytes = JsonlReader.DEFAULT_MAX_LINE_BYTES;

        private Builder() {
        }

        /** Whether each batch is forced to disk before {@code append} returns; default false. */
        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /** Key aliases for reading legacy lines; default {@link KeyAliases#builtIn()}. */
        public Builder aliases(KeyAliases aliases) {
            this.aliases = Objects.requireNonNull(aliases, "aliases");
            return this;
        }

        /** The longest line read; default 64 MiB. */
        public Builder maxLineBytes(int maxLineBytes) {
            this.maxLineBytes = maxLineBytes;
            return this;
        }

        /**
         * The options.
         *
         * @throws ConfigurationException listing every invalid setting
         */
        public JsonlOptions build() {
            return new JsonlOptions(fsync, aliases, maxLineBytes);
        }
    }
}
