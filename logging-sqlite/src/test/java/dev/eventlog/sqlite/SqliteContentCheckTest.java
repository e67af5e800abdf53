package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.EventKind;
import dev.eventlog.GitEvent;
import dev.eventlog.migrate.ContentCheck;
import dev.eventlog.migrate.Importer;
import dev.eventlog.migrate.MigrationReport;
import dev.eventlog.spi.EventQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The content check of an import into SQLite proves the rows by the store's sums of row hashes
 * per hour and reads back only the hours that disagree: it must still name every event that
 * differs or is missing, and not be fooled by rows of the same hour that the run did not send.
 */
class SqliteContentCheckTest {
    /** 2026-01-28T06:00:00Z: the lines below spread over three hours from here. */
    private static final long T0 = 1_769_580_000L;
    private static final int LINES = 3_000;

    @TempDir
    Path dir;

    private Path file;
    private SqliteEventStore store;

    @BeforeEach
    void openStore() {
        file = dir.resolve("events.db");
        store = SqliteEventStore.open(file);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void everyEventImportedIsProvenIdentical() throws IOException {
        MigrationReport report = importLines(lines(0));

        assertThat(report.contentCheck()).isEqualTo(new ContentCheck(true, LINES, LINES, 0, 0, List.of(), List.of()));
        assertThat(importLines(lines(0)).contentCheck().identical()).isEqualTo(LINES);
    }

    @Test
    void anEventAlreadyPresentWithOtherContentIsNamedAndTheRestOfItsHourProven() throws IOException {
        UUID id = UUID.fromString("019c0330-e530-7000-8000-000000000001");
        store.append(List.of(GitEvent.builder().id(id).ts(Instant.ofEpochSecond(T0 + 5)).eventType("commit")
                .commitHash("abc").repo("before").build()));
        String line = "{\"id\": \"" + id + "\", \"ts\": " + (T0 + 5) + ", \"type\": \"commit\", \"hash\": \"abc\","
                + " \"repository\": \"after\"}\n";

        ContentCheck check = importLines(line + lines(0)).contentCheck();

        assertThat(check.checked()).isEqualTo(LINES + 1);
        assertThat(check.differing()).isEqualTo(1);
        assertThat(check.firstDiffering()).containsExactly(id);
        assertThat(check.identical()).isEqualTo(LINES);
        assertThat(check.missing()).isZero();
    }

    @Test
    void anEventTheFileDidNotKeepIsMissing() throws Exception {
        // A trigger drops one row as the insert writes it: the append believes it stored every event.
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TRIGGER drop_vanish BEFORE INSERT ON git_events WHEN NEW.repo = 'vanish'"
                    + " BEGIN SELECT RAISE(IGNORE); END");
        }
        UUID id = UUID.fromString("019c0330-e530-7000-8000-0000000000aa");
        String line = "{\"id\": \"" + id + "\", \"ts\": " + (T0 + 7) + ", \"type\": \"commit\", \"repository\": \"vanish\"}\n";

        ContentCheck check = importLines(lines(0) + line).contentCheck();

        assertThat(check.missing()).isEqualTo(1);
        assertThat(check.firstMissing()).containsExactly(id);
        assertThat(check.identical()).isEqualTo(LINES);
        assertThat(check.differing()).isZero();
    }

    @Test
    void aRowChangedBehindTheImportsBackIsNamedDiffering() throws Exception {
        importLines(lines(0));
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE git_events SET additions = additions + 1 WHERE repo = 'r-17'");
        }

        ContentCheck check = importLines(lines(0)).contentCheck();

        assertThat(check.differing()).isEqualTo(1);
        assertThat(check.identical()).isEqualTo(LINES - 1);
        assertThat(check.missing()).isZero();
    }

    @Test
    void rowsOfTheSameHoursThatTheRunDidNotSendDoNotCount() throws IOException {
        importLines(lines(1_000_000));

        ContentCheck check = importLines(lines(0)).contentCheck();

        assertThat(check).isEqualTo(new ContentCheck(true, LINES, LINES, 0, 0, List.of(), List.of()));
        assertThat(store.count(EventQuery.of(EventKind.GIT)).get(EventKind.GIT)).isEqualTo(2L * LINES);
    }

    /** {@code LINES} git lines over three hours, their content numbered from {@code first}. */
    private static String lines(int first) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            text.append("{\"ts\": ").append(T0 + i * 3L).append(", \"type\": \"commit\", \"repository\": \"r-")
                    .append(first + i).append("\", \"additions\": ").append(i).append(", \"message\": \"fix \\\"")
                    .append(i).append("\\\" é\"}\n");
        }
        return text.toString();
    }

    private MigrationReport importLines(String text) throws IOException {
        Path input = Files.createTempDirectory(dir, "in").resolve("git-activity.jsonl");
        Files.writeString(input, text);
        return Importer.builder().target(store).input(input).stateDirectory(Files.createTempDirectory(dir, "state"))
                .build().run();
    }
}
