package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.sqlite.SqliteEventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
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

    private void execute(String... sql) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:" + db());
                Statement statement = connection.createStatement()) {
            for (String one : sql) {
                statement.execute(one);
            }
        }
    }

    private java.util.List<String> query(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:" + db());
                Statement statement = connection.createStatement();
                java.sql.ResultSet rows = statement.executeQuery(sql)) {
            java.util.List<String> values = new java.util.ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    @Test
    void lockShowsAStaleLockLeftByADeadProcessAndUnlockClearsIt() throws Exception {
        SqliteEventStore.open(dir.resolve("events.db")).close();
        Cli.Result free = Cli.run("schema", "lock", db());
        execute("UPDATE DATABASECHANGELOGLOCK SET LOCKED = 1, LOCKGRANTED = '2026-01-01 00:00:00', "
                + "LOCKEDBY = 'build-host (10.0.0.9)'");

        Cli.Result taken = Cli.run("schema", "lock", db());
        Cli.Result status = Cli.run("schema", "status", "--json", db());
        Cli.Result unlock = Cli.run("schema", "unlock", db());
        Cli.Result after = Cli.run("schema", "lock", db());
        Cli.Result again = Cli.run("schema", "unlock", db());

        System.out.printf("[schema lock] before=%s | taken=%s | unlock=%s | after=%s%n", free.out().strip(),
                taken.out().strip(), unlock.out().strip(), after.out().strip());
        assertThat(free.exitCode()).isZero();
        assertThat(free.out()).contains("schema lock: free");
        assertThat(taken.exitCode()).isEqualTo(1);
        assertThat(taken.out()).contains("build-host (10.0.0.9)", "(stale)", "eventlog schema unlock");
        assertThat(status.json().at("/lock").asText()).contains("build-host");
        assertThat(unlock.exitCode()).isZero();
        assertThat(unlock.out()).contains("cleared the stale schema lock taken by build-host (10.0.0.9)");
        assertThat(after.exitCode()).isZero();
        assertThat(after.out()).contains("schema lock: free");
        assertThat(again.out()).contains("nothing to clear");
    }

    @Test
    void aFileHoldingAnotherApplicationsTableIsRefusedInOneLineAndLeftAsItWas() throws Exception {
        execute("CREATE TABLE git_events (sha TEXT PRIMARY KEY, pushed_by TEXT)",
                "INSERT INTO git_events VALUES ('abc', 'ana'), ('def', 'bo')");
        java.util.List<String> before = query("SELECT name FROM sqlite_master ORDER BY name");

        Cli.Result log = Cli.run("log", "activity", "--activity-type", "setup", "--store", db());
        Cli.Result update = Cli.run("schema", "update", db());

        java.util.List<String> after = query("SELECT name FROM sqlite_master ORDER BY name");
        System.out.printf("[foreign table] log exit=%d update exit=%d reason=%s objects before=%s after=%s rows=%s%n",
                log.exitCode(), update.exitCode(), update.reason(), before, after, query("SELECT sha FROM git_events"));
        assertThat(log.exitCode()).isEqualTo(2);
        assertThat(log.reason()).contains("table 'git_events'");
        assertThat(update.exitCode()).isEqualTo(2);
        assertThat(update.reason()).contains("table 'git_events'", "nothing was changed");
        assertThat(after).isEqualTo(before);
        assertThat(query("SELECT sha || pushed_by FROM git_events ORDER BY sha")).containsExactly("abcana", "defbo");
    }

    @Test
    void rollbackRefusesANewerSchemaAndDropsRowsOnlyWithForce() throws Exception {
        assertThat(Cli.run("log", "deploy", "--env", "prod", "--store", db()).exitCode()).isZero();
        List<String> applied = new java.util.ArrayList<>();
        Cli.run("schema", "status", "--json", db()).json().at("/applied").forEach(id -> applied.add(id.asText()));
        // Back to before custom_events was created: this would drop the logged event's row.
        String count = String.valueOf(applied.size() - applied.indexOf("eventlog:create-custom_events"));
        Cli.Result withRows = Cli.run("schema", "rollback", "--count", count, db());
        Cli.Result forced = Cli.run("schema", "rollback", "--count", count, "--force", db());
        assertThat(Cli.run("schema", "update", db()).exitCode()).isZero();
        execute("INSERT INTO DATABASECHANGELOG (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, "
                + "EXECTYPE) VALUES ('add-future-column', 'eventlog', 'future.sql', '2030-01-01', 99, 'EXECUTED')");
        Cli.Result newer = Cli.run("schema", "rollback", db());
        Cli.Result status = Cli.run("schema", "status", "--json", db());

        System.out.printf("[rollback] with rows: exit=%d %s | forced: exit=%d %s | newer: exit=%d %s | applied after=%d%n",
                withRows.exitCode(), withRows.err().strip(), forced.exitCode(), forced.out().strip(),
                newer.exitCode(), newer.err().strip(), status.json().at("/applied").size());
        assertThat(withRows.exitCode()).isEqualTo(2);
        assertThat(withRows.reason()).contains("custom_events (1 rows)", "--force");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(forced.out()).startsWith("rolled back " + count + " change set(s): " + applied.get(applied.size() - 1))
                .contains("eventlog:create-custom_events");
        assertThat(newer.exitCode()).isEqualTo(2);
        assertThat(newer.reason()).contains("eventlog:add-future-column", "newer", "nothing was changed");
        assertThat(status.json().at("/applied")).hasSize(applied.size() + 1);
    }
}
