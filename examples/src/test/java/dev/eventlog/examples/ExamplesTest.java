package dev.eventlog.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesTest {
    private static final List<String> QUICK_START_TABLES = List.of("git_events", "self_heal_events",
            "recovery_events", "routing_metrics_events", "session_outcome_events", "tool_events");

    @TempDir
    Path dir;

    private String run(Runnable main) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private Set<String> databaseIds(Path db) throws SQLException {
        Set<String> ids = new TreeSet<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement statement = connection.createStatement()) {
            for (String table : QUICK_START_TABLES) {
                try (ResultSet rows = statement.executeQuery("SELECT id FROM " + table)) {
                    int n = 0;
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                        n++;
                    }
                    assertThat(n).as(table).isEqualTo(1);
                }
            }
        }
        return ids;
    }

    private Set<String> jsonlIds(Path jsonlDir) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Set<String> ids = new TreeSet<>();
        try (var files = Files.list(jsonlDir)) {
            for (Path file : files.toList()) {
                for (String line : Files.readAllLines(file)) {
                    JsonNode node = mapper.readTree(line);
                    ids.add(node.get("id").asText());
                }
            }
        }
        return ids;
    }

    @Test
    void quickStartWritesTheDatabaseAndJsonlFilesWithTheSameIds() throws Exception {
        String out = run(() -> QuickStart.main(new String[] {dir.toString()}));

        Set<String> inDatabase = databaseIds(dir.resolve("events.db"));
        assertThat(inDatabase).hasSize(6);
        assertThat(jsonlIds(dir.resolve("events-jsonl"))).isEqualTo(inDatabase);
        assertThat(out).contains("6 events in").contains("store failures so far: 0");
        for (String id : inDatabase) {
            assertThat(out).contains(id);
        }
    }

    @Test
    void quickStartRunTwiceAppendsASecondSetOfEvents() throws Exception {
        run(() -> QuickStart.main(new String[] {dir.toString()}));
        run(() -> QuickStart.main(new String[] {dir.toString()}));

        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("events.db"));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM git_events")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(2);
        }
        assertThat(jsonlIds(dir.resolve("events-jsonl"))).hasSize(12);
    }

    @Test
    void cutoverSwitchesReadsToTheDatabaseWithBothSidesInAgreement() {
        String out = run(() -> CutoverExample.main(new String[] {dir.toString()}));

        assertThat(out).contains("reads from BACKUP: {TOOL_USE=5}")
                .contains("both sides hold the same 5 events")
                .contains("reads from PRIMARY: {TOOL_USE=6}; backup failures: 0");
    }
}
