package dev.eventlog.bench;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.db.DBAppender;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.db.DataSourceConnectionSource;
import ch.qos.logback.core.status.Status;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventlog.ToolUseEvent;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

/**
 * Logback's DBAppender as it is deployed to keep logging off the caller's thread: behind an
 * AsyncAppender, here set to lose nothing (discardingThreshold 0, blocking when full, waiting
 * for the queue on stop), over a HikariCP pool. DBAppender writes its own fixed schema
 * ({@code logging_event}), one transaction per event; it cannot be pointed at another table.
 */
final class LogbackPeer {
    private static final String SQLITE_DDL = """
            CREATE TABLE logging_event (timestmp BIGINT NOT NULL, formatted_message TEXT NOT NULL,
              logger_name VARCHAR(254) NOT NULL, level_string VARCHAR(254) NOT NULL, thread_name VARCHAR(254),
              reference_flag SMALLINT, arg0 VARCHAR(254), arg1 VARCHAR(254), arg2 VARCHAR(254), arg3 VARCHAR(254),
              caller_filename VARCHAR(254) NOT NULL, caller_class VARCHAR(254) NOT NULL,
              caller_method VARCHAR(254) NOT NULL, caller_line CHAR(4) NOT NULL,
              event_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT);
            CREATE TABLE logging_event_property (event_id BIGINT NOT NULL, mapped_key VARCHAR(254) NOT NULL,
              mapped_value TEXT, PRIMARY KEY(event_id, mapped_key));
            CREATE TABLE logging_event_exception (event_id BIGINT NOT NULL, i SMALLINT NOT NULL,
              trace_line VARCHAR(254) NOT NULL, PRIMARY KEY(event_id, i))
            """;
    private static final String POSTGRES_DDL = """
            CREATE SEQUENCE logging_event_id_seq MINVALUE 1 START 1;
            CREATE TABLE logging_event (timestmp BIGINT NOT NULL, formatted_message TEXT NOT NULL,
              logger_name VARCHAR(254) NOT NULL, level_string VARCHAR(254) NOT NULL, thread_name VARCHAR(254),
              reference_flag SMALLINT, arg0 VARCHAR(254), arg1 VARCHAR(254), arg2 VARCHAR(254), arg3 VARCHAR(254),
              caller_filename VARCHAR(254) NOT NULL, caller_class VARCHAR(254) NOT NULL,
              caller_method VARCHAR(254) NOT NULL, caller_line CHAR(4) NOT NULL,
              event_id BIGINT DEFAULT nextval('logging_event_id_seq') PRIMARY KEY);
            CREATE TABLE logging_event_property (event_id BIGINT NOT NULL, mapped_key VARCHAR(254) NOT NULL,
              mapped_value VARCHAR(1024), PRIMARY KEY(event_id, mapped_key));
            CREATE TABLE logging_event_exception (event_id BIGINT NOT NULL, i SMALLINT NOT NULL,
              trace_line VARCHAR(254) NOT NULL, PRIMARY KEY(event_id, i))
            """;

    private LogbackPeer() {
    }

    /** Logs {@code events}; returns events per second until the last one was committed. */
    static double run(Target target, List<ToolUseEvent> events) throws Exception {
        try (Connection connection = target.connect(); Statement statement = connection.createStatement()) {
            for (String ddl : (target.postgres ? POSTGRES_DDL : SQLITE_DDL).split(";")) {
                statement.execute(ddl);
            }
        }
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(target.jdbcUrl(null));
        pool.setMaximumPoolSize(target.postgres ? 2 : 1);
        try (HikariDataSource dataSource = new HikariDataSource(pool)) {
            LoggerContext context = new LoggerContext();
            context.setName("bench-logback");
            context.setMDCAdapter(new LogbackMDCAdapter());
            DataSourceConnectionSource source = new DataSourceConnectionSource();
            source.setContext(context);
            source.setDataSource(dataSource);
            source.start();
            DBAppender db = new DBAppender();
            db.setContext(context);
            db.setConnectionSource(source);
            db.start();
            AsyncAppender async = new AsyncAppender();
            async.setContext(context);
            async.setQueueSize(8_192);
            async.setDiscardingThreshold(0);
            async.setNeverBlock(false);
            async.setMaxFlushTime(0);
            async.addAppender(db);
            async.start();
            Logger logger = context.getLogger("bench");
            logger.setAdditive(false);
            logger.setLevel(Level.INFO);
            logger.addAppender(async);

            long start = System.nanoTime();
            for (ToolUseEvent event : events) {
                logger.info("tool {} success {} exit {} took {} ms", event.toolName(), event.success(),
                        event.exitCode(), event.durationMs());
            }
            async.stop();
            long elapsed = System.nanoTime() - start;
            db.stop();
            context.stop();
            for (Status status : context.getStatusManager().getCopyOfStatusList()) {
                if (status.getLevel() >= Status.ERROR) {
                    throw new IllegalStateException("Logback reported: " + status.getMessage(), status.getThrowable());
                }
            }
            long rows = target.count("logging_event");
            if (rows != events.size()) {
                System.out.printf("  Logback stored %d of %d events%n", rows, events.size());
            }
            return rows * 1e9 / elapsed;
        }
    }
}
