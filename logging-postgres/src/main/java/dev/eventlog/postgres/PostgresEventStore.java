package dev.eventlog.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventlog.ConfigurationException;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.SchemaException;
import dev.eventlog.StoreException;
import dev.eventlog.analytics.Analytics;
import dev.eventlog.analytics.NativeAnalytics;
import dev.eventlog.jdbc.JdbcEventStore;
import dev.eventlog.jdbc.SchemaMigrator;
import dev.eventlog.spi.CheckpointedAppends;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.LazyCommits;
import dev.eventlog.spi.RowDigests;
import dev.eventlog.analytics.NativeSessionAnalytics;
import dev.eventlog.analytics.SessionAnalytics;
import dev.eventlog.spi.SchemaManaged;
import dev.eventlog.spi.SchemaMode;
import dev.eventlog.spi.TimePartitioned;
import dev.eventlog.spi.Expiring;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import javax.sql.DataSource;

/**
 * Events in a PostgreSQL schema: one table per kind (README, "Event catalogue") with {@code uuid} ids,
 * {@code timestamptz} times and {@code jsonb} attributes, shared by any number of processes.
 *
 * <p>Connections come from a HikariCP pool the store makes from a JDBC URL (sized by
 * {@link PostgresOptions}) or from the application's own {@link DataSource}. The schema is the
 * URL's {@code currentSchema} (or {@link PostgresOptions#schema()}); tables are always named with
 * it, so the connections' {@code search_path} does not matter.
 *
 * <p>Opening creates the schema when it is missing and brings it up to date with the Liquibase
 * changelog in this jar ({@value #CHANGELOG}), under a PostgreSQL advisory lock so that
 * instances starting together migrate once; when it is already up to date opening costs one
 * query. In validate-only mode it only checks, so a role with {@code SELECT, INSERT} on the tables
 * can log.
 *
 * <p>The tables may be partitioned by time ({@link PostgresOptions#partitions()}, README,
 * "PostgreSQL at scale"): opening then creates the partitions of the current interval and of
 * {@link PostgresOptions#partitionsAhead()} more, and {@link TimePartitioned} maintains them.
 *
 * <p>An append is one transaction; rows are inserted with {@code ON CONFLICT DO NOTHING} on the
 * primary key ({@code id}, or {@code (id, ts)} in partitioned tables), so appends are idempotent
 * even between processes, and in id order, so two processes appending the
 * same events cannot deadlock. See {@link RowWriter} for the insert path.
 *
 * <p>The store is a {@link JdbcEventStore} assembled from PostgreSQL's parts: its dialect, its
 * pooled connections and its inserter ({@code COPY} or multi-row {@code VALUES}).
 *
 * <p>Thread-safe.
 */
public final class PostgresEventStore
        implements EventStore, SchemaManaged, TimePartitioned, NativeAnalytics, NativeSessionAnalytics,
        CheckpointedAppends, Expiring, RowDigests, LazyCommits {
    /** The changelog resource. */
    public static final String CHANGELOG = "dev/eventlog/postgres/changelog/changelog.sql";

    private final ConnectionTarget target;
    private final PostgresOptions options;
    private final PostgresSchema schema;
    private final JdbcEventStore store;
    private final PostgresRowDigests digests;

    private PostgresEventStore(ConnectionTarget target, PostgresOptions options, PostgresSchema schema,
            JdbcEventStore store,
            PostgresRowDigests digests) {
        this.target = target;
        this.options = options;
        this.schema = schema;
        this.store = store;
        this.digests = digests;
    }

    /**
     * Opens the store at {@code jdbcUrl} with default options, e.g.
     * {@code jdbc:postgresql://db.example:5432/ops?currentSchema=eventlog&user=app}.
     *
     * @throws ConfigurationException when the URL is not a PostgreSQL JDBC URL
     * @throws StoreException when the database cannot be reached; the message names host, port,
     *     database and user, never the password
     * @throws SchemaException when the schema is newer than this build
     */
    public static PostgresEventStore open(String jdbcUrl) {
        return open(jdbcUrl, PostgresOptions.DEFAULT);
    }

    /**
     * Opens the store at {@code jdbcUrl} over a HikariCP pool configured by {@code options}.
     *
     * @throws ConfigurationException when the URL is not a PostgreSQL JDBC URL or its schema
     *     disagrees with the options'
     * @throws StoreException when the database cannot be reached; the message names host, port,
     *     database and user, never the password
     * @throws SchemaException when the schema is newer than this build, or is missing or out of
     *     date in {@link SchemaMode#VALIDATE} mode; with {@link SchemaMode#LEAVE} the schema is
     *     neither checked nor changed, for the {@link SchemaManaged} methods, and
     *     {@link #updateSchema()} creates it when it is missing
     */
    public static PostgresEventStore open(String jdbcUrl, PostgresOptions options) {
        Objects.requireNonNull(options, "options");
        ConnectionTarget target = ConnectionTarget.parse(jdbcUrl, options);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(jdbcUrl, target, options));
        } catch (RuntimeException e) {
            throw new StoreException(target.cannotConnect(e), ConnectionTarget.sqlCause(e));
        }
        return start(pool, pool, target, options);
    }

    /**
     * Opens the store over the application's {@code dataSource}, which must give connections to a
     * PostgreSQL database; the pool settings and credentials of {@code options} do not apply, the
     * schema is {@link PostgresOptions#schema()} or else the connections' current schema, and
     * closing the store leaves the data source open.
     *
     * @throws StoreException when no connection can be had from {@code dataSource}
     * @throws SchemaException when the schema is newer than this build, or is missing or out of
     *     date in validate-only mode
     */
    public static PostgresEventStore open(DataSource dataSource, PostgresOptions options) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(options, "options");
        ConnectionTarget target;
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            if (!"PostgreSQL".equals(metaData.getDatabaseProductName())) {
                throw new ConfigurationException("dataSource was a " + metaData.getDatabaseProductName()
                        + " data source but it must give PostgreSQL connections");
            }
            String schema = options.schema() != null ? options.schema() : connection.getSchema();
            ConnectionTarget where = ConnectionTarget.parse(metaData.getURL(), PostgresOptions.DEFAULT);
            target = new ConnectionTarget(where.hosts(), where.database(), metaData.getUserName(),
                    schema == null ? "public" : schema);
        } catch (SQLException e) {
            throw new StoreException("cannot connect to PostgreSQL through " + dataSource.getClass().getName()
                    + ": " + ConnectionTarget.reason(e), e);
        }
        if (!PostgresOptions.SCHEMA_NAME.matcher(target.schema()).matches()) {
            throw new ConfigurationException("schema was '" + target.schema() + "' but it must be a lower-case SQL"
                    + " name (a-z, 0-9, _; not starting with a digit; at most 63 characters)");
        }
        return start(dataSource, null, target, options);
    }

    private static HikariConfig poolConfig(String jdbcUrl, ConnectionTarget target, PostgresOptions options) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (options.user() != null) {
            config.setUsername(options.user());
        }
        if (options.password() != null) {
            config.setPassword(options.password());
        }
        config.setPoolName("eventlog " + target.hosts() + "/" + target.database() + "/" + target.schema());
        config.setMaximumPoolSize(options.maximumPoolSize());
        config.setMinimumIdle(options.minimumIdle());
        config.setConnectionTimeout(options.connectionTimeoutMs());
        config.setIdleTimeout(options.idleTimeoutMs());
        config.setMaxLifetime(options.maxLifetimeMs());
        config.setAutoCommit(false);
        if (options.applicationName() != null && !ConnectionTarget.namesApplication(jdbcUrl)) {
            config.addDataSourceProperty("ApplicationName", options.applicationName());
        }
        return config;
    }

    private static PostgresEventStore start(DataSource dataSource, HikariDataSource pool, ConnectionTarget target,
            PostgresOptions options) {
        PooledConnections connections = new PooledConnections(dataSource, pool, target.describe());
        try {
            PostgresSchema schema = new PostgresSchema(dataSource, target, options,
                    new SchemaMigrator(CHANGELOG, target.describe(), target.schema()), connections::ensureOpen);
            boolean staging = options.schemaMode() == SchemaMode.LEAVE ? schema.mayStage() : schema.prepare();
            if (options.schemaMode() == SchemaMode.MIGRATE) {
                preparePartitions(schema, new PostgresPartitions(target.schema()), target, options);
            }
            PostgresDialect dialect = new PostgresDialect(target.schema());
            RowWriter inserter = new RowWriter(dialect, staging, schema.copies(), "_v" + schema.changeSetCount());
            return new PostgresEventStore(target, options, schema,
                    JdbcEventStore.of(target.describe(), dialect, connections, inserter),
                    new PostgresRowDigests(dialect, connections));
        } catch (RuntimeException e) {
            connections.close();
            throw e;
        }
    }

    /**
     * Lays out a new store's tables in partitions when the options ask for it, and creates the
     * partitions ahead of a partitioned store that lacks some; one or two catalogue queries when
     * there is nothing to do. A store holding rows in plain tables is left as it is (partitioning
     * it copies every row, which is {@code eventlog schema partition}'s job), with a warning.
     */
    private static void preparePartitions(PostgresSchema schema, PostgresPartitions partitions,
            ConnectionTarget target, PostgresOptions options) {
        Instant now = Instant.now();
        boolean work = schema.run("read its partitions", false, connection -> {
            Optional<PartitionInterval> interval = partitions.interval(connection);
            if (interval.isPresent()) {
                return !partitions.missingAhead(connection, interval.get(), now, options.partitionsAhead()).isEmpty();
            }
            return options.partitions() != null;
        });
        if (!work) {
            return;
        }
        schema.run("create its partitions", true, connection -> {
            Optional<PartitionInterval> interval = partitions.interval(connection);
            if (interval.isPresent()) {
                return partitions.createAhead(connection, interval.get(), now, options.partitionsAhead());
            }
            if (partitions.empty(connection)) {
                return partitions.partition(connection, options.partitions(), now, options.partitionsAhead());
            }
            LoggerFactory.getLogger(PostgresEventStore.class).warn("{} holds rows in plain tables, so they stay"
                    + " unpartitioned; partition them with 'eventlog schema partition STORE --interval {}'",
                    target.describe(), options.partitions().label());
            return List.of();
        });
    }

    /** The schema holding the tables. */
    public String schema() {
        return target.schema();
    }

    /** The options the store was opened with. */
    public PostgresOptions options() {
        return options;
    }

    @Override
    public int append(List<? extends Event> batch) {
        return store.append(batch);
    }

    /**
     * {@inheritDoc} The transaction is committed with {@code synchronous_commit} off: PostgreSQL
     * answers once the commit is in its log buffers, and its log writer puts it on disk within
     * about three times {@code wal_writer_delay} (200 ms by default).
     */
    @Override
    public int appendLazily(List<? extends Event> batch) {
        return store.appendLazily(batch);
    }

    /** {@inheritDoc} One transaction that takes a transaction id and commits waiting for the disk. */
    @Override
    public void sync() {
        store.sync();
    }

    /** Appends {@code batch} and sets the checkpoints of {@code follower} in one transaction. */
    @Override
    public int appendWithCheckpoints(List<? extends Event> batch, String follower, Map<String, String> checkpoints) {
        return store.appendWithCheckpoints(batch, follower, checkpoints);
    }

    @Override
    public Map<String, String> checkpoints(String follower) {
        return store.checkpoints(follower);
    }

    @Override
    public Stream<Event> read(EventQuery query) {
        return store.read(query);
    }

    @Override
    public Map<EventKind, Long> count(EventQuery query) {
        return store.count(query);
    }

    /** A hasher of events as this store keeps their rows (see {@link RowDigests}). */
    @Override
    public Hasher hasher() {
        return digests.hasher();
    }

    /** The rows of {@code kind} in {@code [from, until)}, their hashes summed per hour, in one query. */
    @Override
    public Map<Long, Bucket> sums(EventKind kind, Instant from, Instant until) {
        return digests.sums(kind, from, until);
    }

    /** Whether {@link #sums} may run beside appends: the store's own pool holds two connections or more. */
    @Override
    public boolean sumsWhileAppending() {
        return digests.sumsWhileAppending();
    }

    /**
     * {@inheritDoc} In a partitioned store, first drops each partition of the kind's table that
     * lies entirely before {@code cut} and whose every row is archived (one transaction each, under
     * the schema lock; see README, "Retention: archive, then drop"), then deletes the archived rows
     * left before {@code cut} — those of a partition the cut falls inside, and of the default
     * partition — in batches of {@value JdbcEventStore#REMOVE_BATCH}.
     */
    @Override
    public Removal removeBefore(EventKind kind, Instant cut, Archived archived) {
        PostgresPartitions partitions = new PostgresPartitions(target.schema());
        List<String> changes = new ArrayList<>();
        long[] dropped = {0};
        if (schema.run("read its partitions", false, connection -> partitions.interval(connection)).isPresent()) {
            changes.addAll(schema.run("drop old partitions", true,
                    connection -> partitions.dropBefore(connection, kind.table(), cut, archived, dropped)));
        }
        Removal rest = store.removeBefore(kind, cut, archived);
        changes.addAll(rest.changes());
        return new Removal(dropped[0] + rest.rows(), changes);
    }

    /**
     * The analytics of {@code [from, until)}: the whole UTC days from the changelog's per-day
     * summaries (brought up to date first, on the write connection), the partial days at the edges
     * from the {@code analytics_*_view} views, in one read transaction.
     */
    @Override
    public Analytics analytics(Instant from, Instant until) {
        return store.analytics(from, until);
    }

    /** Brings the changelog's per-day analytics summaries up to date; see {@link JdbcEventStore#refreshAnalytics()}. */
    @Override
    public int refreshSummaries() {
        return store.refreshAnalytics();
    }

    /**
     * The session questions, answered from the changelog's {@code session_summary} table (brought
     * up to date from the events appended or removed since, before each question over many
     * sessions) and the coordinator table, each in one read transaction.
     */
    @Override
    public SessionAnalytics sessionAnalytics() {
        return store.sessionAnalytics();
    }

    @Override
    public List<String> appliedChangeSets() {
        return schema.applied();
    }

    @Override
    public List<String> pendingChangeSets() {
        return schema.pending();
    }

    @Override
    public List<String> unknownChangeSets() {
        return schema.unknown();
    }

    @Override
    public void updateSchema() {
        schema.update();
    }

    @Override
    public List<String> rollbackSchema(int count, boolean dropRows) {
        return schema.rollback(count, dropRows);
    }

    @Override
    public Optional<String> partitionInterval() {
        return schema.run("read its partitions", false, connection -> new PostgresPartitions(target.schema())
                .interval(connection).map(PartitionInterval::label));
    }

    /**
     * {@inheritDoc} The intervals ahead are {@link PostgresOptions#partitionsAhead()}.
     */
    @Override
    public List<String> maintainPartitions() {
        return schema.run("maintain its partitions", true, connection -> {
            PostgresPartitions partitions = new PostgresPartitions(target.schema());
            PartitionInterval interval = partitions.interval(connection).orElseThrow(() -> new StoreException(
                    target.describe() + " has no time partitions; partition it first with 'eventlog schema"
                            + " partition STORE'"));
            return partitions.maintain(connection, interval, Instant.now(), options.partitionsAhead());
        });
    }

    /**
     * Hands the partitions of every table to pg_partman 4 (README, "pg_partman"): each table not yet
     * registered in its {@code part_config} has its partitions renamed as pg_partman names them (same
     * bounds) and is registered with {@code create_parent} (native, on {@code ts}, the store's interval,
     * {@link PostgresOptions#partitionsAhead()} ahead), one transaction per table, under the schema lock.
     * From then on the store (at open) and {@link #maintainPartitions()} leave those tables to
     * pg_partman's {@code run_maintenance}. Running it again registers only what is left.
     *
     * @return one line per table registered, empty when every table already was
     * @throws StoreException when the store is not partitioned, pg_partman is not installed in the
     *     database or is not version 4, or the database fails
     */
    @Override
    public List<String> registerWithPartman() {
        return schema.run("register its tables with pg_partman", true, connection -> {
            PostgresPartitions partitions = new PostgresPartitions(target.schema());
            PartitionInterval interval = partitions.interval(connection).orElseThrow(() -> new StoreException(
                    target.describe() + " has no time partitions; partition it first with 'eventlog schema"
                            + " partition STORE'"));
            return new PostgresPartman(target.schema()).register(connection, interval, options.partitionsAhead());
        });
    }

    /**
     * The tables whose partitions pg_partman manages (registered in its {@code part_config}), which
     * this store neither creates partitions for nor maintains; empty when pg_partman is not installed.
     *
     * @throws StoreException when the database fails
     */
    @Override
    public List<String> partmanTables() {
        return schema.run("read pg_partman's configuration", false, connection -> {
            List<String> tables = new java.util.ArrayList<>(new PostgresPartman(target.schema()).tables(connection));
            java.util.Collections.sort(tables);
            return tables;
        });
    }

    @Override
    public List<String> partition(String interval) {
        PartitionInterval parsed = PartitionInterval.parse("interval", interval);
        return schema.run("partition its tables", true, connection -> {
            PostgresPartitions partitions = new PostgresPartitions(target.schema());
            Optional<PartitionInterval> existing = partitions.interval(connection);
            if (existing.isPresent() && existing.get() != parsed) {
                throw new StoreException(target.describe() + " is already partitioned by " + existing.get().label()
                        + ", not " + parsed.label());
            }
            return partitions.partition(connection, parsed, Instant.now(), options.partitionsAhead());
        });
    }

    @Override
    public Optional<String> schemaLock() {
        return Optional.ofNullable(schema.lockHolder());
    }

    @Override
    public Optional<String> clearSchemaLock() {
        return Optional.ofNullable(schema.unlock());
    }

    @Override
    public String describe() {
        return store.describe();
    }

    /** Closes the pool the store made; a caller's {@code DataSource} stays open. */
    @Override
    public void close() {
        store.close();
    }

    static String quote(String identifier) {
        return PostgresDialect.quote(identifier);
    }
}
