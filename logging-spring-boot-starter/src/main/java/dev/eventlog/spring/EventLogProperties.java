package dev.eventlog.spring;

import dev.eventlog.Backpressure;
import dev.eventlog.spi.SchemaMode;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code eventlog.*} settings of the auto-configured {@link dev.eventlog.EventLogger}. Every
 * setting has a default: an application that sets none logs synchronously into the SQLite file
 * {@code events.db} in its working directory. The defaults of {@code eventlog.async.*} and
 * {@code eventlog.spool.*} are those of {@link dev.eventlog.AsyncOptions} and
 * {@link dev.eventlog.SpoolOptions}.
 */
@ConfigurationProperties("eventlog")
public class EventLogProperties {
    /** The value of {@code eventlog.store} that means: the application's DataSource. */
    public static final String DATA_SOURCE = "datasource";

    /**
     * Whether to create the EventLogger and its health indicator and meters; when false nothing
     * of eventlog is started.
     */
    private boolean enabled = true;

    /**
     * Where events go: a store URL (sqlite:PATH, jdbc:sqlite:PATH, jdbc:postgresql://HOST/DB,
     * jsonl:DIR; a relative path is resolved against the working directory), or 'datasource' for
     * the application's DataSource, which must be a PostgreSQL database (needs logging-postgres).
     */
    private String store = "sqlite:events.db";

    /**
     * The PostgreSQL schema of the events, for a jdbc:postgresql URL or the application's
     * DataSource; default: the URL's currentSchema, or the DataSource connections' current schema.
     */
    private String schema;

    /**
     * What opening the store does with its schema: MIGRATE brings it up to date, VALIDATE only
     * checks it (for a role that may only read and insert), LEAVE neither checks nor changes it.
     */
    private SchemaMode schemaMode = SchemaMode.MIGRATE;

    /**
     * A second store every event is also written to, first, as a DualWriter backup, e.g.
     * jsonl:events-jsonl; its failures are counted and reported, never failing the primary.
     * Default: none.
     */
    private String backup;

    /** The source given to events that have none, e.g. the application's name; default none. */
    private String source;

    /** The session id given to events that have none; default none. */
    private String sessionId;

    /**
     * Whether store failures are thrown into the logging thread instead of being counted and
     * reported; only without async and spool.
     */
    private boolean failFast = false;

    /** Asynchronous logging: callers only queue events and a writer thread commits them. */
    private final Async async = new Async();

    /** The spool that keeps what the store cannot take and replays it when the store answers. */
    private final Spool spool = new Spool();

    /** Whether eventlog is started; see {@code eventlog.enabled}. */
    public boolean isEnabled() {
        return enabled;
    }

    /** Sets {@code eventlog.enabled}. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** The store URL, or {@value #DATA_SOURCE}. */
    public String getStore() {
        return store;
    }

    /** Sets {@code eventlog.store}. */
    public void setStore(String store) {
        this.store = store;
    }

    /** The PostgreSQL schema, or null for the URL's or the connections' own. */
    public String getSchema() {
        return schema;
    }

    /** Sets {@code eventlog.schema}. */
    public void setSchema(String schema) {
        this.schema = schema;
    }

    /** What opening the store does with its schema. */
    public SchemaMode getSchemaMode() {
        return schemaMode;
    }

    /** Sets {@code eventlog.schema-mode}. */
    public void setSchemaMode(SchemaMode schemaMode) {
        this.schemaMode = schemaMode;
    }

    /** The backup store URL, or null for none. */
    public String getBackup() {
        return backup;
    }

    /** Sets {@code eventlog.backup}. */
    public void setBackup(String backup) {
        this.backup = backup;
    }

    /** The default source, or null. */
    public String getSource() {
        return source;
    }

    /** Sets {@code eventlog.source}. */
    public void setSource(String source) {
        this.source = source;
    }

    /** The default session id, or null. */
    public String getSessionId() {
        return sessionId;
    }

    /** Sets {@code eventlog.session-id}. */
    public void setSessionId(String sessionId) {
        this.sessionId = sessionId;
    }

    /** Whether store failures are thrown into the caller. */
    public boolean isFailFast() {
        return failFast;
    }

    /** Sets {@code eventlog.fail-fast}. */
    public void setFailFast(boolean failFast) {
        this.failFast = failFast;
    }

    /** The {@code eventlog.async.*} settings. */
    public Async getAsync() {
        return async;
    }

    /** The {@code eventlog.spool.*} settings. */
    public Spool getSpool() {
        return spool;
    }

    /** The {@code eventlog.async.*} settings; see {@link dev.eventlog.AsyncOptions}. */
    public static class Async {
        /** Whether the logger is asynchronous; default synchronous (committed before log returns). */
        private boolean enabled = false;

        /** How many events the queue holds (rounded up to a power of two). */
        private int queueCapacity = 65_536;

        /** The most events committed in one transaction. */
        private int batchSize = 5_000;

        /** The longest an event waits in the queue before the writer commits it. */
        private Duration flushInterval = Duration.ofMillis(100);

        /** The longest a caller waits for room in a full queue under BLOCK. */
        private Duration maxBlock = Duration.ofMillis(100);

        /**
         * What happens when the queue is full: BLOCK, DROP_NEWEST, or SPILL to the spool (which
         * needs eventlog.spool.directory).
         */
        private Backpressure backpressure = Backpressure.SPILL;

        /** How long closing the context waits for the queue to be committed before spooling the rest. */
        private Duration drainTimeout = Duration.ofSeconds(10);

        /**
         * Whether every event is first appended to a write-ahead file in the spool directory, so
         * that a crash loses nothing; needs eventlog.spool.directory.
         */
        private boolean writeAhead = false;

        /** Whether the logger is asynchronous. */
        public boolean isEnabled() {
            return enabled;
        }

        /** Sets {@code eventlog.async.enabled}. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** The queue's capacity. */
        public int getQueueCapacity() {
            return queueCapacity;
        }

        /** Sets {@code eventlog.async.queue-capacity}. */
        public void setQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        /** The largest batch. */
        public int getBatchSize() {
            return batchSize;
        }

        /** Sets {@code eventlog.async.batch-size}. */
        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        /** The flush interval. */
        public Duration getFlushInterval() {
            return flushInterval;
        }

        /** Sets {@code eventlog.async.flush-interval}. */
        public void setFlushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
        }

        /** The longest wait for room under BLOCK. */
        public Duration getMaxBlock() {
            return maxBlock;
        }

        /** Sets {@code eventlog.async.max-block}. */
        public void setMaxBlock(Duration maxBlock) {
            this.maxBlock = maxBlock;
        }

        /** The full-queue policy. */
        public Backpressure getBackpressure() {
            return backpressure;
        }

        /** Sets {@code eventlog.async.backpressure}. */
        public void setBackpressure(Backpressure backpressure) {
            this.backpressure = backpressure;
        }

        /** The drain timeout. */
        public Duration getDrainTimeout() {
            return drainTimeout;
        }

        /** Sets {@code eventlog.async.drain-timeout}. */
        public void setDrainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
        }

        /** Whether events go through the write-ahead file. */
        public boolean isWriteAhead() {
            return writeAhead;
        }

        /** Sets {@code eventlog.async.write-ahead}. */
        public void setWriteAhead(boolean writeAhead) {
            this.writeAhead = writeAhead;
        }
    }

    /** The {@code eventlog.spool.*} settings; see {@link dev.eventlog.SpoolOptions}. */
    public static class Spool {
        /**
         * The spool directory (created when missing; a relative path is resolved against the
         * working directory); default none: no spool, store failures are counted and reported.
         */
        private Path directory;

        /** The most the spool holds; events beyond it are dropped and counted. */
        private DataSize maxSize = DataSize.ofGigabytes(1);

        /** The size at which a spool segment is closed and a new one started. */
        private DataSize segmentSize = DataSize.ofMegabytes(8);

        /** How long after a failure the store is tried again. */
        private Duration retryInterval = Duration.ofSeconds(1);

        /** Whether each spooled batch is forced to disk before it counts as spooled. */
        private boolean fsync = false;

        /** The spool directory, or null for no spool. */
        public Path getDirectory() {
            return directory;
        }

        /** Sets {@code eventlog.spool.directory}. */
        public void setDirectory(Path directory) {
            this.directory = directory;
        }

        /** The spool's limit. */
        public DataSize getMaxSize() {
            return maxSize;
        }

        /** Sets {@code eventlog.spool.max-size}. */
        public void setMaxSize(DataSize maxSize) {
            this.maxSize = maxSize;
        }

        /** The segment size. */
        public DataSize getSegmentSize() {
            return segmentSize;
        }

        /** Sets {@code eventlog.spool.segment-size}. */
        public void setSegmentSize(DataSize segmentSize) {
            this.segmentSize = segmentSize;
        }

        /** The retry interval. */
        public Duration getRetryInterval() {
            return retryInterval;
        }

        /** Sets {@code eventlog.spool.retry-interval}. */
        public void setRetryInterval(Duration retryInterval) {
            this.retryInterval = retryInterval;
        }

        /** Whether spooled batches are forced to disk. */
        public boolean isFsync() {
            return fsync;
        }

        /** Sets {@code eventlog.spool.fsync}. */
        public void setFsync(boolean fsync) {
            this.fsync = fsync;
        }
    }
}
