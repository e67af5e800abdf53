package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.sqlite.SqliteEventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edges of {@code eventlog log}: an id already stored, a backup that is not a JSONL directory,
 * an empty kind, and many processes logging to one SQLite file at once.
 */
class LogCommandEdgesTest {
    private static final String ID = "0190c3a4-7b5e-7000-8000-00000000abcd";

    @TempDir
    Path dir;

    private String store() {
        return "sqlite:" + dir.resolve("events.db");
    }

    private List<Event> stored(EventKind kind) {
        try (SqliteEventStore store = SqliteEventStore.open(dir.resolve("events.db"));
                Stream<Event> events = store.read(EventQuery.of(kind))) {
            return events.toList();
        }
    }

    @Test
    void anIdAlreadyStoredIsReportedAndNotPrintedAsIfItWereStored() {
        Cli.Result first = Cli.run("log", "activity", "--activity-type", "deploy", "--id", ID, "--print",
                "--store", store());
        Cli.Result again = Cli.run("log", "activity", "--activity-type", "rollback", "--id", ID, "--print",
                "--store", store());

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains(ID, "\"activity_type\":\"deploy\"");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).as("the event that was not stored is not printed").isEmpty();
        assertThat(again.reason()).isEqualTo("eventlog log: event " + ID + " already stored in " + store()
                + "; nothing written");
        List<Event> events = stored(EventKind.ACTIVITY);
        System.out.println("stored " + events.size() + " event(s) after logging id " + ID + " twice");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).id().toString()).isEqualTo(ID);
        assertThat(events.get(0).toString()).contains("deploy").doesNotContain("rollback");
    }

    @Test
    void aBackupThatIsNotAJsonlDirectoryExitsTwoAndWritesNothing() throws Exception {
        for (String backup : List.of("sqlite:" + dir.resolve("backup.db"), dir.resolve("plain-dir").toString(),
                "jsonl:", "jdbc:postgresql://127.0.0.1:1/test?password=Backup-Secret")) {
            Cli.Result result = Cli.run("log", "activity", "--activity-type", "a", "--store", store(), "--backup",
                    backup);

            assertThat(result.exitCode()).as(backup).isEqualTo(2);
            assertThat(result.reason()).as(backup).startsWith("eventlog log: --backup was '")
                    .endsWith("' but it must be jsonl:DIR, a directory of JSONL files").doesNotContain("Backup-Secret");
        }
        assertThat(dir.resolve("events.db")).doesNotExist();
        assertThat(dir.resolve("backup.db")).doesNotExist();
        assertThat(dir.resolve("plain-dir")).doesNotExist();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void anEmptyKindExitsTwoWithOneLineAndStoresNothing() {
        Map<String, String[]> runs = Map.of(
                "empty KIND", new String[] {"log", "", "--store", store()},
                "blank KIND", new String[] {"log", "  ", "--store", store()},
                "empty --kind", new String[] {"log", "--kind", "", "--store", store()},
                "custom with empty --kind", new String[] {"log", "custom", "--kind", "", "--store", store()},
                "custom with --kind=", new String[] {"log", "custom", "--kind=", "--store", store()});

        runs.forEach((name, args) -> {
            Cli.Result result = Cli.run(args);
            assertThat(result.exitCode()).as(name + ": " + result.err()).isEqualTo(2);
            assertThat(result.reason()).as(name).startsWith("eventlog log: ").contains("kind");
        });
        System.out.println(runs.size() + " empty kinds refused");
        assertThat(dir.resolve("events.db")).doesNotExist();
    }

    @Test
    void manyProcessesLoggingToOneSqliteFileAllStoreOrSayWhyInOneLine() throws Exception {
        // The store exists, as it does for a hook after its first event; the first open's migration is another matter.
        assertThat(Cli.run("log", "activity", "--activity-type", "first", "--store", store()).exitCode()).isZero();
        int processes = 8;
        List<CliProcess> running = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            running.add(CliProcess.start(dir, List.of(), "log", "activity", "--activity-type", "p" + i,
                    "--store", store()));
        }
        int ok = 0;
        for (CliProcess process : running) {
            Cli.Result result;
            try {
                result = process.await();
            } catch (AssertionError | Exception e) {
                running.forEach(CliProcess::kill);
                throw e;
            }
            assertThat(result.err()).as("stderr").doesNotContain("\tat ", "Exception in thread", "SQLITE_BUSY]");
            if (result.exitCode() == 0) {
                ok++;
                assertThat(result.err()).isEmpty();
            } else {
                assertThat(result.exitCode()).isEqualTo(2);
                assertThat(result.reason()).startsWith("eventlog log: ");
            }
        }
        int rows = stored(EventKind.ACTIVITY).size() - 1;
        System.out.println(processes + " concurrent processes: " + ok + " exited 0, " + rows + " events stored");
        assertThat(rows).isEqualTo(ok);
        assertThat(ok).as("every process stores after waiting for the lock").isEqualTo(processes);
    }
}
