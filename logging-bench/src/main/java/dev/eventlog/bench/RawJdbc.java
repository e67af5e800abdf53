package dev.eventlog.bench;

import dev.eventlog.ToolUseEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;

/** The floors: one raw JDBC insert and commit per event, and SQLite's own {@code INSERT … SELECT}. */
final class RawJdbc {
    private static final String COLUMNS = "id, ts, session_id, source, attributes, tool_name, tool_type, success, "
            + "exit_code, duration_ms, file_paths, project_path";

    private RawJdbc() {
    }

    /** Inserts and commits each event on its own (autocommit), timing each; the same row eventlog writes. */
    static Percentiles insertCommit(Target target, List<ToolUseEvent> events) throws Exception {
        long[] samples = new long[events.size()];
        String sql = target.postgres
                ? "INSERT INTO tool_events (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?::jsonb, ?)"
                        + " ON CONFLICT (id) DO NOTHING"
                : "INSERT OR IGNORE INTO tool_events (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection connection = target.connect(); PreparedStatement insert = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            for (int i = 0; i < samples.length; i++) {
                ToolUseEvent event = events.get(i);
                long t0 = System.nanoTime();
                if (target.postgres) {
                    insert.setObject(1, event.id());
                    insert.setTimestamp(2, Timestamp.from(event.ts()));
                } else {
                    insert.setString(1, event.id().toString());
                    insert.setLong(2, event.ts().toEpochMilli());
                }
                insert.setNull(3, Types.VARCHAR);
                insert.setNull(4, Types.VARCHAR);
                insert.setString(5, "{}");
                insert.setString(6, event.toolName());
                insert.setString(7, event.toolType());
                insert.setBoolean(8, event.success());
                insert.setLong(9, event.exitCode());
                insert.setLong(10, event.durationMs());
                insert.setNull(11, Types.VARCHAR);
                insert.setString(12, event.projectPath());
                insert.executeUpdate();
                samples[i] = System.nanoTime() - t0;
            }
        }
        return new Percentiles(samples, samples.length);
    }

    /**
     * Copies every row of {@code source}'s {@code tool_events} into {@code target}'s with one
     * {@code INSERT … SELECT} inside SQLite; returns rows per second.
     */
    static double insertSelect(Target source, Target target) throws Exception {
        try (Connection connection = target.connect(); Statement statement = connection.createStatement()) {
            statement.execute("ATTACH DATABASE '" + source.file + "' AS source");
            long start = System.nanoTime();
            int rows = statement.executeUpdate("INSERT INTO main.tool_events (" + COLUMNS + ") SELECT " + COLUMNS
                    + " FROM source.tool_events");
            long elapsed = System.nanoTime() - start;
            statement.execute("DETACH DATABASE source");
            return rows * 1e9 / elapsed;
        }
    }
}
