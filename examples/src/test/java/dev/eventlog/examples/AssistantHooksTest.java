package dev.eventlog.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code examples/hooks/post-tool-use} and {@code session-end} as real processes with the
 * payloads a coding assistant gives its hooks; with no service the events go to the inbox, which
 * the real {@code bin/eventlog import} stores.
 */
class AssistantHooksTest {
    @TempDir
    Path dir;

    @Test
    void aToolCallAndASessionEndBecomeToolUseAndSessionOutcomeEventsAndTheHooksExitZero() throws Exception {
        Path root = EventlogSendTest.root();
        Path tools = dir.resolve("tools");
        Path sessions = dir.resolve("sessions");
        Path transcript = Files.writeString(dir.resolve("transcript.jsonl"),
                "{\"type\":\"user\",\"timestamp\":\"2026-01-05T10:00:00.000Z\"}\n"
                + "{\"type\":\"assistant\",\"timestamp\":\"2026-01-05T10:01:00.000Z\"}\n"
                + "{\"type\":\"summary\"}\n"
                + "{\"type\":\"user\",\"timestamp\":\"2026-01-05T10:30:00.000Z\"}\n");

        int edit = hook(root.resolve("examples/hooks/post-tool-use"), tools,
                "{\"session_id\":\"s-1\",\"cwd\":\"/work/app\",\"hook_event_name\":\"PostToolUse\","
                + "\"tool_name\":\"Edit\",\"tool_input\":{\"file_path\":\"/work/app/a.py\",\"old_string\":\"x\"},"
                + "\"tool_response\":{\"success\":true}}");
        int bash = hook(root.resolve("examples/hooks/post-tool-use"), tools,
                "{\"session_id\":\"s-1\",\"cwd\":\"/work/app\",\"tool_name\":\"Bash\","
                + "\"tool_input\":{\"command\":\"make test\"},\"tool_response\":{\"is_error\":true}}");
        int broken = hook(root.resolve("examples/hooks/post-tool-use"), tools, "not json");
        int end = hook(root.resolve("examples/hooks/session-end"), sessions,
                "{\"session_id\":\"s-1\",\"hook_event_name\":\"SessionEnd\",\"reason\":\"logout\","
                + "\"transcript_path\":\"" + transcript + "\"}");

        Path db = dir.resolve("events.db");
        importInbox(root, db, "tool_use", tools);
        importInbox(root, db, "session_outcome", sessions);
        System.out.printf("hook exits: edit %d, bash %d, not JSON %d, session end %d%n", edit, bash, broken, end);
        assertThat(List.of(edit, bash, broken, end)).containsOnly(0);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT tool_name, tool_type, success, file_paths, "
                    + "project_path, session_id, attributes FROM tool_events ORDER BY tool_name")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString("tool_name")).isEqualTo("Bash");
                assertThat(rows.getBoolean("success")).isFalse();
                assertThat(rows.getString("attributes")).contains("make test");
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString("tool_name")).isEqualTo("Edit");
                assertThat(rows.getString("tool_type")).isEqualTo("builtin");
                assertThat(rows.getBoolean("success")).isTrue();
                assertThat(rows.getString("file_paths")).contains("/work/app/a.py");
                assertThat(rows.getString("project_path")).isEqualTo("/work/app");
                assertThat(rows.getString("session_id")).isEqualTo("s-1");
                assertThat(rows.getString("attributes")).doesNotContain("old_string");
                assertThat(rows.next()).as("the payload that is not JSON is no event").isFalse();
            }
            try (ResultSet rows = statement.executeQuery("SELECT outcome, session_id, messages_count, "
                    + "duration_minutes FROM session_outcome_events")) {
                assertThat(rows.next()).isTrue();
                System.out.printf("session_outcome: %s, %d messages, %.1f minutes%n", rows.getString(1),
                        rows.getLong(3), rows.getDouble(4));
                assertThat(rows.getString("outcome")).isEqualTo("logout");
                assertThat(rows.getString("session_id")).isEqualTo("s-1");
                assertThat(rows.getLong("messages_count")).isEqualTo(3);
                assertThat(rows.getDouble("duration_minutes")).isEqualTo(30.0);
                assertThat(rows.next()).isFalse();
            }
        }
    }

    private int hook(Path hook, Path inbox, String payload) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(hook.toString()).directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(Map.of("EVENTLOG_SEND", EventlogSendTest.root().resolve("bin/eventlog-send")
                .toString(), "EVENTLOG_URL", "http://127.0.0.1:" + port, "EVENTLOG_INBOX", inbox.toString()));
        Process process = builder.start();
        process.getOutputStream().write(payload.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        return process.exitValue();
    }

    private void importInbox(Path root, Path db, String kind, Path inbox) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(root.resolve("bin/eventlog").toString(), "import", "--to",
                "sqlite:" + db, "--kind", kind, "--no-progress", "--state-dir", dir.resolve("state-" + kind).toString(),
                inbox.toString()).redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
