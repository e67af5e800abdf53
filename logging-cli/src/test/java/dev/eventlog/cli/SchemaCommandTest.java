package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.sqlite.SqliteEventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaCommandTest {
    @TempDir
    Path dir;

    private String db() {
        return "sqlite:" + dir.resolve("events.db");
    }

    @Test
    void rollbackShowsUpAsPendingInStatusAndUpdateBringsItBack() {
        SqliteEventStore.open(dir.resolve("events.db")).close();

        Cli.Result upToDate = Cli.run("schema", "status", db());
        Cli.Result rollback = Cli.run("schema", "rollback", "--count", "2", db());
        Cli.Result outOfDate = Cli.run("schema", "status", "--json", db());
        Cli.Result update = Cli.run("schema", "update", db());
        Cli.Result again = Cli.run("schema", "status", "--json", db());

        assertThat(upToDate.exitCode()).isZero();
        assertThat(upToDate.out()).contains("pending change sets: 0", "result: up to date");
        assertThat(rollback.exitCode()).as(rollback.err()).isZero();
        assertThat(rollback.out()).startsWith("rolled back 2 change set(s): ");
        assertThat(outOfDate.exitCode()).isEqualTo(1);
        assertThat(outOfDate.json().at("/pending")).hasSize(2);
        assertThat(update.exitCode()).isZero();
        assertThat(update.out()).startsWith("applied 2 change set(s)");
        assertThat(again.json().at("/up_to_date").asBoolean()).isTrue();
    }

    @Test
    void statusNamesChangeSetsOfANewerBuildAndUpdateRefusesThem() throws Exception {
        SqliteEventStore.open(dir.resolve("events.db")).close();
        try (Connection connection = DriverManager.getConnection("jdbc:" + db());
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO DATABASECHANGELOG (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, "
                    + "EXECTYPE) VALUES ('add-future-column', 'eventlog', 'future.sql', '2030-01-01', 99, 'EXECUTED')");
        }

        Cli.Result status = Cli.run("schema", "status", db());
        Cli.Result update = Cli.run("schema", "update", db());

        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.out()).contains("eventlog:add-future-column", "result: newer than this build");
        assertThat(update.exitCode()).isEqualTo(2);
        assertThat(update.reason()).contains("newer than this version of eventlog");
    }

    @Test
    void refusesJsonlStoresMissingFilesAndCountsOutOfRange() throws Exception {
        Files.createDirectories(dir.resolve("backup"));
        SqliteEventStore.open(dir.resolve("events.db")).close();

        Cli.Result jsonl = Cli.run("schema", "status", "jsonl:" + dir.resolve("backup"));
        Cli.Result missing = Cli.run("schema", "update", "sqlite:" + dir.resolve("missing.db"));
        Cli.Result tooMany = Cli.run("schema", "rollback", "--count", "99", db());

        assertThat(jsonl.exitCode()).isEqualTo(2);
        assertThat(jsonl.reason()).contains("only they have a schema");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.reason()).contains("but it must be an existing database file");
        assertThat(dir.resolve("missing.db")).doesNotExist();
        assertThat(tooMany.exitCode()).isEqualTo(2);
        assertThat(tooMany.reason()).contains("count was '99'");
    }
}
