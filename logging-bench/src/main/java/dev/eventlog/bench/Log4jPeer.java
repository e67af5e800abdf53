package dev.eventlog.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventlog.ToolUseEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.message.StringMapMessage;

/**
 * Log4j2's JDBC appender with its buffer (one batch insert and one commit per {@code bufferSize}
 * events, on the caller's thread; the same size as eventlog's batches), over a HikariCP pool, mapping a {@code MapMessage} onto the
 * same {@code tool_events} columns eventlog writes.
 */
public final class Log4jPeer {
    private static final int BUFFER = EventlogRuns.BATCH;
    private static volatile HikariDataSource dataSource;

    private Log4jPeer() {
    }

    /** The connection factory the generated Log4j2 configuration names. */
    public static Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Logs {@code events}; returns events per second until the last one was committed. */
    static double run(Target target, List<ToolUseEvent> events, Path workDir) throws Exception {
        HikariConfig pool = new HikariConfig();
        // stringtype=unspecified lets PostgreSQL cast the appender's text into uuid, jsonb, boolean and bigint.
        pool.setJdbcUrl(target.jdbcUrl("stringtype=unspecified"));
        pool.setMaximumPoolSize(target.postgres ? 2 : 1);
        try (HikariDataSource pooled = new HikariDataSource(pool)) {
            dataSource = pooled;
            Path config = workDir.resolve("log4j2-" + target.name + ".xml");
            Files.writeString(config, configuration());
            LoggerContext context = Configurator.initialize("bench-log4j2-" + target.name, null, config.toUri());
            Logger logger = context.getLogger("bench");
            long start = System.nanoTime();
            for (ToolUseEvent event : events) {
                StringMapMessage message = new StringMapMessage(8);
                message.with("id", event.id().toString());
                message.with("ts", target.postgres ? event.ts().toString() : Long.toString(event.ts().toEpochMilli()));
                message.with("tool_name", event.toolName());
                message.with("tool_type", event.toolType());
                message.with("success", target.postgres ? event.success().toString() : event.success() ? "1" : "0");
                message.with("exit_code", event.exitCode().toString());
                message.with("duration_ms", event.durationMs().toString());
                message.with("project_path", event.projectPath());
                logger.info(message);
            }
            Configurator.shutdown(context);
            long elapsed = System.nanoTime() - start;
            long rows = target.count("tool_events");
            if (rows != events.size()) {
                System.out.printf("  Log4j2 stored %d of %d events%n", rows, events.size());
            }
            return rows * 1e9 / elapsed;
        } finally {
            dataSource = null;
        }
    }

    private static String configuration() {
        StringBuilder columns = new StringBuilder();
        for (String column : List.of("id", "ts", "tool_name", "tool_type", "success", "exit_code", "duration_ms",
                "project_path")) {
            columns.append("      <ColumnMapping name=\"").append(column).append("\" pattern=\"%K{").append(column)
                    .append("}\"/>\n");
        }
        return """
                <Configuration status="ERROR">
                  <Appenders>
                    <JDBC name="db" tableName="tool_events" bufferSize="%d" ignoreExceptions="false">
                      <ConnectionFactory class="%s" method="connection"/>
                      <ColumnMapping name="attributes" literal="'{}'"/>
                %s    </JDBC>
                  </Appenders>
                  <Loggers>
                    <Root level="info"><AppenderRef ref="db"/></Root>
                  </Loggers>
                </Configuration>
                """.formatted(BUFFER, Log4jPeer.class.getName(), columns);
    }
}
