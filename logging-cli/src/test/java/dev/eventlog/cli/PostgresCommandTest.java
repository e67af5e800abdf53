package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventlog.EventKind;
import dev.eventlog.testkit.Samples;
import dev.eventlog.testkit.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The command against a real PostgreSQL server: the move-up path of the migration. */
class PostgresCommandTest {
    @RegisterExtension
    static final TestDatabase POSTGRES = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void statsOfTheImportedSamplesInPostgresqlEqualExpectedJson() throws Exception {
        String postgres = POSTGRES.newSchemaUrl();
        Cli.Result imported = Cli.run("import", "--to", postgres, copyOfSharedSamples().toString());
        assertThat(imported.exitCode()).as(imported.err()).isEqualTo(1);

        Cli.Result result = Cli.run("stats", postgres, "--format", "json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        StatsCommandTest.assertMatchesExpectedJson(result.json());
    }

    @Test
    void theImportedSamplesCopyFromSqliteToPostgresqlAndVerifyIdenticalBothWays() throws IOException {
        Path samples = copyOfSharedSamples();
        String sqlite = "sqlite:" + dir.resolve("events.db");
        String postgres = POSTGRES.newSchemaUrl();
        Cli.run("import", "--to", sqlite, samples.toString());

        Cli.Result copy = Cli.run("copy", "--from", sqlite, "--to", postgres, "--json");
        Cli.Result again = Cli.run("copy", "--from", sqlite, "--to", postgres, "--json");

        assertThat(copy.exitCode()).as(copy.err()).isZero();
        long total = Samples.expectedCounts().values().stream().mapToLong(Long::longValue).sum();
        assertThat(copy.json().at("/totals/imported").asLong()).isEqualTo(total);
        assertThat(copy.json().at("/content_check/identical").asLong()).isEqualTo(total);
        assertThat(again.json().at("/totals/imported").asLong()).isZero();
        assertThat(again.json().at("/totals/already_present").asLong()).isEqualTo(total);
        Cli.Result forth = Cli.run("verify", sqlite, postgres);
        Cli.Result back = Cli.run("verify", postgres, sqlite);
        assertThat(forth.exitCode()).as(forth.out()).isZero();
        assertThat(back.exitCode()).as(back.out()).isZero();
        assertThat(Cli.run("verify", "jsonl:" + samples, postgres).exitCode()).isZero();
    }

    @Test
    void theSamplesImportStraightIntoPostgresqlWithTheExpectedCountsAndASecondImportAddsNothing()
            throws IOException {
        Path samples = copyOfSharedSamples();
        String postgres = POSTGRES.newSchemaUrl();

        Cli.Result first = Cli.run("import", "--to", postgres, "--json", samples.toString());
        Cli.Result second = Cli.run("import", "--to", postgres, "--json", samples.toString());

        assertThat(first.exitCode()).as(first.err()).isEqualTo(1);
        JsonNode report = first.json();
        Map<EventKind, Long> expected = Samples.expectedCounts();
        Map<EventKind, Long> rejected = Samples.expectedRejected();
        for (EventKind kind : expected.keySet()) {
            assertThat(report.at("/kinds/" + kind.key() + "/imported").asLong()).isEqualTo(expected.get(kind));
            assertThat(report.at("/kinds/" + kind.key() + "/rejected").asLong()).isEqualTo(rejected.get(kind));
            assertThat(report.at("/rows_after/" + kind.table()).asLong()).isEqualTo(expected.get(kind));
        }
        assertThat(report.at("/content_check/ok").asBoolean()).isTrue();
        assertThat(second.exitCode()).isZero();
        assertThat(second.json().at("/totals/imported").asLong()).isZero();
    }

    @Test
    void schemaCommandsShowRollBackAndUpdateAPostgresqlSchema() {
        String postgres = POSTGRES.newSchemaUrl();
        assertThat(Cli.run("log", "activity", "--activity-type", "setup", "--store", postgres).exitCode()).isZero();

        Cli.Result upToDate = Cli.run("schema", "status", postgres);
        Cli.Result rollback = Cli.run("schema", "rollback", postgres);
        Cli.Result outOfDate = Cli.run("schema", "status", "--json", postgres);
        Cli.Result update = Cli.run("schema", "update", postgres);

        assertThat(upToDate.exitCode()).as(upToDate.err()).isZero();
        assertThat(rollback.exitCode()).as(rollback.err()).isZero();
        assertThat(outOfDate.exitCode()).isEqualTo(1);
        assertThat(outOfDate.json().at("/pending")).hasSize(1);
        assertThat(update.exitCode()).as(update.err()).isZero();
        assertThat(Cli.run("schema", "status", postgres).exitCode()).isZero();
    }

    private Path copyOfSharedSamples() throws IOException {
        return Samples.copyTo(dir.resolve("samples"));
    }
}
