package dev.eventlog.postgres;

import dev.eventlog.ConfigurationException;
import dev.eventlog.spi.SchemaMode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a {@link PostgresEventStore} connects and manages its schema. Immutable; built with
 * {@link #builder()}, which validates every setting at once. The pool settings apply only when
 * the store makes its own HikariCP pool from a JDBC URL, not to a caller's {@code DataSource}.
 *
 * @param maximumPoolSize most connections the pool holds; default 5
 * @param minimumIdle idle connections the pool keeps ready; default 1
 * @param connectionTimeoutMs how long an append or read waits for a pooled connection before
 *     failing; default 10 000
 * @param idleTimeoutMs how long a connection above {@code minimumIdle} may stay idle before it is
 *     closed; 0 = never; default 600 000
 * @param maxLifetimeMs the age at which a pooled connection is replaced; 0 = never; default 1 800 000
 * @param user the role to log in as, or {@code null} for the URL's {@code user} parameter
 * @param password the role's password, or {@code null} for the URL's (never printed)
 * @param schema the schema holding the tables, or {@code null} for the URL's
 *     {@code currentSchema} (its first entry), else {@code public}
 * @param createSchema create the schema when it does not exist (needs {@code CREATE} on the
 *     database); default true
 * @param schemaMode what opening does with the schema: {@link SchemaMode#VALIDATE} only checks it,
 *     for a role that may only read and insert; default {@link SchemaMode#MIGRATE}
 * @param applicationName the {@code application_name} the connections show in
 *     {@code pg_stat_activity} unless the URL sets {@code ApplicationName}; default {@code eventlog}
 * @param partitions the interval a new store's tables are partitioned by on the event time, or
 *     {@code null} for plain tables (README, "PostgreSQL at scale"); default {@code null}. It decides
 *     only how a store that has no rows yet is laid out; a store holding rows is partitioned by
 *     {@code eventlog schema partition}. A store whose tables are partitioned is kept so whatever this says
 * @param partitionsAhead how many intervals after the current one opening and
 *     {@code eventlog maintain} create partitions for; default 3
 */
public record PostgresOptions(int maximumPoolSize, int minimumIdle, long connectionTimeoutMs, long idleTimeoutMs,
        long maxLifetimeMs, String user, String password, String schema, boolean createSchema,
        SchemaMode schemaMode, String applicationName, PartitionInterval partitions, int partitionsAhead) {

    /** The defaults. */
    public static final PostgresOptions DEFAULT = builder().build();

    /** A schema name the store can use unquoted in every tool: lower case, at most 63 bytes. */
    static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /**
     * Validates every setting and reports every problem at once.
     *
     * @throws ConfigurationException listing each invalid setting with its value
     */
    public PostgresOptions {
        List<String> problems = new ArrayList<>();
        if (maximumPoolSize < 1) {
            problems.add("maximumPoolSize was '" + maximumPoolSize + "' but it must be 1 or more");
        }
        if (minimumIdle < 0 || minimumIdle > Math.max(maximumPoolSize, 0)) {
            problems.add("minimumIdle was '" + minimumIdle + "' but it must be between 0 and maximumPoolSize ("
                    + maximumPoolSize + ")");
        }
        if (connectionTimeoutMs < 250) {
            problems.add("connectionTimeoutMs was '" + connectionTimeoutMs + "' but it must be 250 or more");
        }
        if (idleTimeoutMs != 0 && idleTimeoutMs < 10_000) {
            problems.add("idleTimeoutMs was '" + idleTimeoutMs + "' but it must be 0 (never) or 10000 or more");
        }
        if (maxLifetimeMs != 0 && maxLifetimeMs < 30_000) {
            problems.add("maxLifetimeMs was '" + maxLifetimeMs + "' but it must be 0 (never) or 30000 or more");
        }
        if (schema != null && !SCHEMA_NAME.matcher(schema).matches()) {
            problems.add("schema was '" + schema + "' but it must be a lower-case SQL name (a-z, 0-9, _;"
                    + " not starting with a digit; at most 63 characters)");
        }
        if (user != null && user.isBlank()) {
            problems.add("user was '" + user + "' but it must be a role name, or null to take the URL's");
        }
        if (applicationName != null && applicationName.isBlank()) {
            problems.add("applicationName was '" + applicationName + "' but it must be a name, or null for none");
        }
        if (schemaMode == null) {
            problems.add("schemaMode was 'null' but it must be MIGRATE, VALIDATE or LEAVE");
        }
        if (partitionsAhead < 0 || partitionsAhead > 366) {
            problems.add("partitionsAhead was '" + partitionsAhead + "' but it must be between 0 and 366");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().maximumPoolSize(maximumPoolSize).minimumIdle(minimumIdle)
                .connectionTimeoutMs(connectionTimeoutMs).idleTimeoutMs(idleTimeoutMs).maxLifetimeMs(maxLifetimeMs)
                .user(user).password(password).schema(schema).createSchema(createSchema).schemaMode(schemaMode)
                .applicationName(applicationName).partitions(partitions).partitionsAhead(partitionsAhead);
    }

    /** The options with the password masked. */
    @Override
    public String toString() {
        return "PostgresOptions[maximumPoolSize=" + maximumPoolSize + ", minimumIdle=" + minimumIdle
                + ", connectionTimeoutMs=" + connectionTimeoutMs + ", idleTimeoutMs=" + idleTimeoutMs
                + ", maxLifetimeMs=" + maxLifetimeMs + ", user=" + user + ", password="
                + (password == null ? null : "***") + ", schema=" + schema + ", createSchema=" + createSchema
                + ", schemaMode=" + schemaMode + ", applicationName=" + applicationName + ", partitions="
                + (partitions == null ? null : partitions.label()) + ", partitionsAhead=" + partitionsAhead + "]";
    }

    /** Builds {@link PostgresOptions}; not thread-safe. */
    public static final class Builder {
        private int maximumPoolSize = 5;
        private int minimumIdle = 1;
        private long connectionTimeoutMs = 10_000;
        private long idleTimeoutMs = 600_000;
        private long maxLifetimeMs = 1_800_000;
        private String user;
        private String password;
        private String schema;
        private boolean createSchema = true;
        private SchemaMode schemaMode = SchemaMode.MIGRATE;
        private String applicationName = "eventlog";
        private PartitionInterval partitions;
        private int partitionsAhead = 3;

        private Builder() {
        }

        /** Most connections the pool holds; default 5. */
        public Builder maximumPoolSize(int maximumPoolSize) {
            this.maximumPoolSize = maximumPoolSize;
            return this;
        }

        /** Idle connections the pool keeps ready; default 1. */
        public Builder minimumIdle(int minimumIdle) {
            this.minimumIdle = minimumIdle;
            return this;
        }

        /** How long to wait for a pooled connection; default 10 000 ms. */
        public Builder connectionTimeoutMs(long connectionTimeoutMs) {
            this.connectionTimeoutMs = connectionTimeoutMs;
            return this;
        }

        /** How long a surplus connection may stay idle; 0 = never; default 600 000 ms. */
        public Builder idleTimeoutMs(long idleTimeoutMs) {
            this.idleTimeoutMs = idleTimeoutMs;
            return this;
        }

        /** The age at which a pooled connection is replaced; 0 = never; default 1 800 000 ms. */
        public Builder maxLifetimeMs(long maxLifetimeMs) {
            this.maxLifetimeMs = maxLifetimeMs;
            return this;
        }

        /** The role to log in as; default the URL's {@code user}. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** The role's password; default the URL's. Never printed. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** The schema holding the tables; default the URL's {@code currentSchema}, else {@code public}. */
        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        /** Create the schema when missing; default true. */
        public Builder createSchema(boolean createSchema) {
            this.createSchema = createSchema;
            return this;
        }

        /** What opening does with the schema; default {@link SchemaMode#MIGRATE}. */
        public Builder schemaMode(SchemaMode schemaMode) {
            this.schemaMode = schemaMode;
            return this;
        }

        /** The {@code application_name} of the pool's connections; default {@code eventlog}. */
        public Builder applicationName(String applicationName) {
            this.applicationName = applicationName;
            return this;
        }

        /** The interval a new store's tables are partitioned by; default {@code null}, plain tables. */
        public Builder partitions(PartitionInterval partitions) {
            this.partitions = partitions;
            return this;
        }

        /** How many intervals ahead partitions are created for; default 3. */
        public Builder partitionsAhead(int partitionsAhead) {
            this.partitionsAhead = partitionsAhead;
            return this;
        }

        /**
         * The options.
         *
         * @throws ConfigurationException listing every invalid setting
         */
        public PostgresOptions build() {
            return new PostgresOptions(maximumPoolSize, minimumIdle, connectionTimeoutMs, idleTimeoutMs,
                    maxLifetimeMs, user, password, schema, createSchema, schemaMode, applicationName, partitions,
                    partitionsAhead);
        }
    }
}
