package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * First use under concurrency: eight {@code eventlog log} processes, as eight hooks firing at
 * once, started together on a store that does not exist yet: a new SQLite file, a new PostgreSQL
 * schema. Every one must exit 0 and every event must be stored. Prints the counts it checks.
 */
class FirstUseRaceTest {
    @RegisterExtension
    static final TestDatabase POSTGRES = new TestDatabase();

    private static final int PROCESSES = 8;

    @TempDir
    Path dir;

    private void eightHooksAtOnceOnANewStoreEachStoreTheirEvent(String name, String url) throws Exception {
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            processes.add(new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    EventlogCommand.class.getName(), "log", "activity", "--activity-type", "hook",
                    "--description", "hook " + i, "--store", url))
                    .redirectOutput(dir.resolve(name + "-" + i + ".out").toFile())
                    .redirectError(dir.resolve(name + "-" + i + ".err").toFile()).start());
        }
        List<Integer> exits = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            Process process = processes.get(i);
            if (!process.waitFor(240, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            exits.add(process.isAlive() ? -1 : process.exitValue());
            String err = Files.readString(dir.resolve(name + "-" + i + ".err")).strip();
            if (!err.isEmpty()) {
                errors.add(err);
            }
        }
        Set<String> descriptions;
        try (EventStore store = EventStores.open(url); Stream<Event> events = store.read(EventQuery.all())) {
            descriptions = events.map(event -> ((dev.eventlog.ActivityEvent) event).description())
                    .collect(Collectors.toSet());
        }
        System.out.printf("[%s first use] processes=%d exit codes=%s rows=%d stderr=%s%n", name, PROCESSES, exits,
                descriptions.size(), errors);
        assertThat(exits).as(String.join("\n", errors)).containsOnly(0);
        assertThat(descriptions).hasSize(PROCESSES);
    }

    @Test
    void eightHooksAtOnceOnANewSqliteFileEachStoreTheirEvent() throws Exception {
        eightHooksAtOnceOnANewStoreEachStoreTheirEvent("sqlite", "sqlite:" + dir.resolve("new/events.db"));
    }

    @Test
    void eightHooksAtOnceOnANewPostgresqlSchemaEachStoreTheirEvent() throws Exception {
        eightHooksAtOnceOnANewStoreEachStoreTheirEvent("postgresql", POSTGRES.url(POSTGRES.newSchemaName()));
    }
}
