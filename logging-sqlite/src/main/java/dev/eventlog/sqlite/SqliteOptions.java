package dev.eventlog.sqlite;

import dev.eventlog.ConfigurationException;
import dev.eventlog.spi.SchemaMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a {@link SqliteEventStore} opens its file. Immutable; built with {@link #builder()}.
 *
 * @param busyTimeoutMs how long a write waits for another process's lock before failing; default 30 000
 * @param synchronous SQLite's {@code synchronous} pragma: {@code NORMAL} (default: with WAL, a
 *     commit survives a process crash, a power loss may lose the last commits), {@code FULL}
 *     (survives a power loss) or {@code OFF}
 * @param schemaMode what opening does with the schema; default {@link SchemaMode#MIGRATE}
 */
public record SqliteOptions(int busyTimeoutMs, String synchronous, SchemaMode schemaMode) {

    /** The defaults. */
    public static final SqliteOptions DEFAULT = builder().build();

    /** Validates every setting and reports every problem at once. */
    public SqliteOptions {
        List<String> problems = new ArrayList<>();
        if (busyTimeoutMs < 0) {
            problems.add("busyTimeoutMs was '" + busyTimeoutMs + "' but it must be zero or more");
        }
        synchronous = synchronous == null ? null : synchronous.toUpperCase(Locale.ROOT);
        if (!List.of("OFF", "NORMAL", "FULL").contains(synchronous)) {
            problems.add("synchronous was '" + synchronous + "' but it must be OFF, NORMAL or FULL");
        }
        if (schemaMode == null) {
            problems.add("schemaMode was 'null' but it must be MIGRATE, VALIDATE or LEAVE");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link SqliteOptions}; not thread-safe. */
    public static final class Builder {
        private int busyTimeoutMs = 30_000;
        private String synchronous = "NORMAL";
        private SchemaMode schemaMode = SchemaMode.MIGRATE;

        private Builder() {
        }

        /** How long a write waits for another process's lock; default 30 000 ms. */
        public Builder busyTimeoutMs(int busyTimeoutMs) {
            this.busyTimeoutMs = busyTimeoutMs;
            return this;
        }

        /** {@code OFF}, {@code NORMAL} (default) or {@code FULL}. */
        public Builder synchronous(String synchronous) {
            this.synchronous = synchronous;
            return this;
        }

        /** What opening does with the schema; default {@link SchemaMode#MIGRATE}. */
        public Builder schemaMode(SchemaMode schemaMode) {
            this.schemaMode = schemaMode;
            return this;
        }

        /**
         * The options.
         *
         * @throws ConfigurationException listing every invalid setting
         */
        public SqliteOptions build() {
            return new SqliteOptions(busyTimeoutMs, synchronous, schemaMode);
        }
    }
}
