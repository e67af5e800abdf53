package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.testkit.Samples;
import dev.eventlog.testkit.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code eventlog schema partition} and {@code eventlog maintain} on real PostgreSQL. */
class PartitionCommandsTest {
    @RegisterExtension
    static final TestDatabase POSTGRES = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void theImportedSamplesArePartitionedKeepingTheirStatsAndMaintainKeepsThemUpToDate() throws Exception {
        String postgres = POSTGRES.newSchemaUrl();
        Cli.Result imported = Cli.run("import", "--to", postgres, Samples.copyTo(dir.resolve("samples")).toString());
        assertThat(imported.exitCode()).as(imported.err()).isEqualTo(1);

        Cli.Result partitioned = Cli.run("schema", "partition", "--interval", "month", postgres);
        Cli.Result again = Cli.run("schema", "partition", postgres);
        Cli.Result maintained = Cli.run("maintain", postgres);

        assertThat(partitioned.exitCode()).as(partitioned.err()).isZero();
        assertThat(partitioned.out()).contains("partitioned tool_events by month: ")
                .contains("partitions: 10 table(s) partitioned by month");
        assertThat(again.out()).contains("partitions: every table was already partitioned");
        assertThat(maintained.exitCode()).as(maintained.err()).isZero();
        assertThat(maintained.out()).contains("partitions: up to date", "sessions: summary brought up to date (");
        Cli.Result stats = Cli.run("stats", postgres, "--format", "json");
        assertThat(stats.exitCode()).as(stats.err()).isZero();
        StatsCommandTest.assertMatchesExpectedJson(stats.json());
        Cli.Result verify = Cli.run("verify", "jsonl:" + dir.resolve("samples"), postgres);
        assertThat(verify.exitCode()).as(verify.out()).isZero();
    }

    @Test
    void maintainKeepsTheSessionAndDaySummariesOfAnyStoreAndRefusesJsonlInOneLine() {
        String sqlite = "sqlite:" + dir.resolve("events.db");
        Cli.run("log", "tool_use", "--tool-name", "Bash", "--session-id", "s-1", "--store", sqlite);
        String plain = POSTGRES.newSchemaUrl();
        Cli.run("schema", "update", plain);
        String jsonl = "jsonl:" + dir.resolve("backup");
        Cli.run("log", "deploy", "--env", "prod", "--store", jsonl);

        Cli.Result sqliteMaintained = Cli.run("maintain", sqlite);
        Cli.Result sqliteAgain = Cli.run("maintain", sqlite);
        Cli.Result notPartitioned = Cli.run("maintain", plain);
        Cli.Result notSql = Cli.run("maintain", jsonl);

        System.out.printf("maintain: sqlite %s / again %s / plain PostgreSQL %s / jsonl %s%n", sqliteMaintained.out(),
                sqliteAgain.out(), notPartitioned.out(), notSql.err());
        assertThat(sqliteMaintained.exitCode()).as(sqliteMaintained.err()).isZero();
        assertThat(sqliteMaintained.out()).contains("sessions: summary brought up to date (1 session(s) recomputed)",
                "analytics: day summaries brought up to date (1 day(s) recomputed)").doesNotContain("partitions");
        assertThat(sqliteAgain.out()).contains("sessions: summary up to date", "analytics: day summaries up to date");
        assertThat(notPartitioned.exitCode()).as(notPartitioned.err()).isZero();
        assertThat(notPartitioned.out()).contains("partitions: none (the store is not partitioned",
                "eventlog schema partition STORE", "sessions: summary up to date");
        assertThat(notSql.exitCode()).isEqualTo(2);
        assertThat(notSql.err().strip()).doesNotContain("\n").contains("it must be a SQLite or PostgreSQL store");
    }

    @Test
    void badIntervalsAreRefusedInOneLine() {
        String plain = POSTGRES.newSchemaUrl();
        Cli.run("schema", "update", plain);

        Cli.Result badInterval = Cli.run("schema", "partition", "--interval", "year", plain);

        assertThat(badInterval.exitCode()).isEqualTo(2);
        assertThat(badInterval.err().strip()).doesNotContain("\n")
                .contains("interval was 'year' but it must be day, week or month");
    }

    @Test
    void handingAStoreToPgPartmanWhereItIsNotInstalledIsRefusedInOneLineSayingHowToInstallIt() {
        String postgres = POSTGRES.newSchemaUrl();
        Cli.run("schema", "update", postgres);
        Cli.Result partitioned = Cli.run("schema", "partition", "--interval", "month", postgres);
        assertThat(partitioned.exitCode()).as(partitioned.err()).isZero();

        Cli.Result partman = Cli.run("schema", "partman", postgres);
        Cli.Result maintained = Cli.run("maintain", postgres);

        assertThat(partman.exitCode()).isEqualTo(2);
        assertThat(partman.err().strip()).doesNotContain("\n").contains("pg_partman is not installed in the database")
                .contains("CREATE EXTENSION pg_partman SCHEMA partman");
        assertThat(maintained.exitCode()).as(maintained.err()).isZero();
        assertThat(maintained.out()).doesNotContain("pg_partman");
    }
}
