package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.EventKind;
import dev.eventlog.migrate.Importer;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.sqlite.SqliteEventStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input of the import and copy commands: the exit code, a one-line reason, a store left sound. */
class BadInputTest {
    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("events.db");
    }

    private String store() {
        return "sqlite:" + db();
    }

    private Map<EventKind, Long> rows() {
        try (SqliteEventStore store = SqliteEventStore.open(db())) {
            return store.count(EventQuery.all());
        }
    }

    @Test
    void aMissingFileExitsTwoAndCreatesNoStore() {
        Path missing = dir.resolve("routing-metrics.jsonl");

        Cli.Result result = Cli.run("import", "--to", store(), missing.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).isEqualTo("eventlog import: input was '" + missing
                + "' but it must be an existing file or directory");
        assertThat(db()).doesNotExist();
    }

    @Test
    void aDirectoryWithNoKnownJsonlNamesExitsTwo() throws IOException {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("events.jsonl"), "{\"ts\": 1}\n");

        Cli.Result result = Cli.run("import", "--to", store(), logs.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).startsWith("eventlog import: input was '" + logs
                + "' but it must be a directory holding JSONL files named as the catalogue says: git-activity.jsonl");
        assertThat(db()).doesNotExist();
    }

    @Test
    void invalidUtf8IsQuarantinedTheRestImportedAndTheExitCodeIsOne() throws IOException {
        Path file = dir.resolve("activity.jsonl");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("{\"ts\": 1, \"activity_type\": \"before\"}\n".getBytes(StandardCharsets.UTF_8));
            out.write(new byte[] {'{', '"', 't', 's', '"', ':', '2', ',', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}',
                '\n'});
            out.write("{\"ts\": 3, \"activity_type\": \"after\"}\n".getBytes(StandardCharsets.UTF_8));
        }

        Cli.Result result = Cli.run("import", "--to", store(), "--json", file.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.json().at("/kinds/activity/imported").asLong()).isEqualTo(2);
        assertThat(result.json().at("/kinds/activity/rejected").asLong()).isEqualTo(1);
        assertThat(Files.readString(Path.of(result.json().at("/quarantine").asText())))
                .contains("\"line\":2", "\"reason\":\"not valid UTF-8\"");
        assertThat(result.reason()).contains("1 rejected line(s), written to ");
        assertThat(rows().get(EventKind.ACTIVITY)).isEqualTo(2);
    }

    @Test
    void aFourMebibyteLineIsImportedAndOneOverMaxLineBytesIsQuarantined() throws IOException {
        Path file = dir.resolve("tool-usage.jsonl");
        String big = "p".repeat(4 * 1024 * 1024);
        Files.writeString(file, "{\"ts\": 1, \"tool\": \"Read\", \"file_paths\": [\"" + big + "\"]}\n");

        Cli.Result whole = Cli.run("import", "--to", store(), file.toString());
        Cli.Result limited = Cli.run("import", "--to", "sqlite:" + dir.resolve("other.db"), "--max-line-bytes",
                "1048576", "--quarantine", dir.resolve("q.jsonl").toString(), "--json", file.toString());

        assertThat(whole.exitCode()).as(whole.err()).isZero();
        assertThat(rows().get(EventKind.TOOL_USE)).isEqualTo(1);
        assertThat(limited.exitCode()).isEqualTo(1);
        assertThat(limited.json().at("/kinds/tool_use/rejected").asLong()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("q.jsonl"))).contains("line is longer than 1048576 bytes");
    }

    @Test
    void aTornLastLineIsRejectedAndARerunAfterItsCompletionAddsItWithoutDuplicates() throws IOException {
        Path file = dir.resolve("coordinator.jsonl");
        Files.writeString(file, "{\"ts\": 1, \"agent_id\": \"a1\"}\n{\"ts\": 2, \"agent_id\": \"a2\"}\n{\"ts\": 3, \"age");

        Cli.Result torn = Cli.run("import", "--to", store(), "--json", file.toString());
        Files.writeString(file, "nt_id\": \"a3\"}\n", StandardOpenOption.APPEND);
        Cli.Result completed = Cli.run("import", "--to", store(), "--json", file.toString());

        assertThat(torn.exitCode()).isEqualTo(1);
        assertThat(torn.json().at("/kinds/coordinator/imported").asLong()).isEqualTo(2);
        assertThat(Files.readString(Path.of(torn.json().at("/quarantine").asText()))).contains("unterminated last line");
        assertThat(completed.exitCode()).isZero();
        assertThat(completed.json().at("/kinds/coordinator/read").asLong()).isEqualTo(1);
        assertThat(completed.json().at("/kinds/coordinator/imported").asLong()).isEqualTo(1);
        assertThat(rows().get(EventKind.COORDINATOR)).isEqualTo(3);
    }

    @Test
    void anUnknownKindExitsTwo() throws IOException {
        Path file = Files.writeString(dir.resolve("x.jsonl"), "{\"ts\": 1}\n");

        Cli.Result result = Cli.run("import", "--to", store(), "--kind", "deployments", file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).contains("'deployments' is no kind; it must be one of git, self_heal");
        assertThat(db()).doesNotExist();
    }

    @Test
    void aMalformedStoreUrlExitsTwo() throws IOException {
        Path file = Files.writeString(dir.resolve("activity.jsonl"), "{\"ts\": 1}\n");

        Cli.Result unknownScheme = Cli.run("import", "--to", "sqlight:" + db(), file.toString());
        Cli.Result noPath = Cli.run("import", "--to", "sqlite:", file.toString());
        Cli.Result badFrom = Cli.run("copy", "--from", "postgres://db/x", "--to", store());

        assertThat(unknownScheme.exitCode()).isEqualTo(2);
        assertThat(unknownScheme.reason()).contains("store URL was 'sqlight:" + db() + "' but it must be one of ")
                .contains("sqlite:PATH", "jdbc:sqlite:PATH", "jsonl:DIR", "jdbc:postgresql://HOST:PORT/DB");
        assertThat(noPath.exitCode()).isEqualTo(2);
        assertThat(noPath.reason()).contains("but it must name a database file");
        assertThat(badFrom.exitCode()).isEqualTo(2);
        assertThat(badFrom.reason()).contains("store URL was 'postgres://db/x'");
        assertThat(db()).doesNotExist();
    }

    @Test
    void aDatabaseThatIsDownExitsTwoWithAOneLineReasonThatHidesThePassword() throws IOException {
        Path file = Files.writeString(dir.resolve("activity.jsonl"), "{\"ts\": 1, \"activity_type\": \"a\"}\n");
        // Port 1 on the loopback interface: nothing listens there.
        String down = "jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=s3cret";

        Cli.Result result = Cli.run("import", "--to", down, file.toString());
        Cli.Result copy = Cli.run("copy", "--from", down, "--to", store());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).startsWith("eventlog import: ").contains("127.0.0.1:1").doesNotContain("s3cret");
        assertThat(copy.exitCode()).isEqualTo(2);
        assertThat(copy.reason()).contains("127.0.0.1:1").doesNotContain("s3cret");
        assertThat(dir.resolve(Importer.DEFAULT_PROGRESS)).doesNotExist();
        assertThat(db()).doesNotExist();
    }

    @Test
    void aSourceStoreThatDoesNotExistIsNotCreated() {
        Cli.Result result = Cli.run("copy", "--from", "sqlite:" + dir.resolve("typo.db"), "--to", store());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).isEqualTo("eventlog copy: --from was 'sqlite:" + dir.resolve("typo.db")
                + "' but it must be an existing database file");
        assertThat(dir.resolve("typo.db")).doesNotExist();
    }

    @Test
    void aTargetWhoseSchemaIsNewerThanThisBuildIsRefusedAndLeftUntouched() throws IOException, SQLException {
        SqliteEventStore.open(db()).close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db());
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO DATABASECHANGELOG (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, "
                    + "EXECTYPE) VALUES ('add-future-column', 'eventlog', 'future.sql', '2030-01-01', 99, 'EXECUTED')");
        }
        Path file = Files.writeString(dir.resolve("activity.jsonl"), "{\"ts\": 1, \"activity_type\": \"a\"}\n");

        Cli.Result result = Cli.run("import", "--to", store(), file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).contains("eventlog:add-future-column").contains("newer than this version");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db());
                Statement statement = connection.createStatement()) {
            assertThat(statement.executeQuery("SELECT COUNT(*) FROM activity_events").getLong(1)).isZero();
        }
    }

    @Test
    void badOptionValuesAndMissingOptionsExitTwoWithOneLine() {
        Cli.Result noTarget = Cli.run("import", dir.toString());
        Cli.Result badTime = Cli.run("copy", "--from", store(), "--to", store(), "--since", "last tuesday");
        Cli.Result unknownCommand = Cli.run("export");

        assertThat(noTarget.exitCode()).isEqualTo(2);
        assertThat(noTarget.reason()).contains("Missing required option: '--to=STORE'");
        assertThat(badTime.exitCode()).isEqualTo(2);
        assertThat(badTime.reason()).contains("'last tuesday' is no time");
        assertThat(unknownCommand.exitCode()).isEqualTo(2);
        assertThat(unknownCommand.reason()).contains("export");
    }
}
