package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.CustomEvent;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.GitEvent;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.sqlite.SqliteEventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogCommandTest {
    @TempDir
    Path dir;

    private List<Event> stored(EventKind kind) {
        try (SqliteEventStore store = SqliteEventStore.open(dir.resolve("events.db"));
                Stream<Event> events = store.read(EventQuery.of(kind))) {
            return events.toList();
        }
    }

    @Test
    void logsATypedEventFromFieldOptions() {
        Cli.Result result = Cli.run("log", "git", "--event-type", "commit", "--repo", "app", "--commit_hash", "abc123",
                "--message=-fix: a leading dash", "--files-changed", "3", "--hook", "post-commit", "--ts",
                "2026-01-28T06:00:00Z", "--session-id", "s-1", "--store", "sqlite:" + dir.resolve("events.db"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEmpty();
        GitEvent git = (GitEvent) stored(EventKind.GIT).get(0);
        assertThat(git.eventType()).isEqualTo("commit");
        assertThat(git.repo()).isEqualTo("app");
        assertThat(git.commitHash()).isEqualTo("abc123");
        assertThat(git.message()).isEqualTo("-fix: a leading dash");
        assertThat(git.filesChanged()).isEqualTo(3);
        assertThat(git.ts()).isEqualTo(Instant.parse("2026-01-28T06:00:00Z"));
        assertThat(git.sessionId()).isEqualTo("s-1");
        assertThat(git.attributes()).isEqualTo(Map.of("hook", "post-commit"));
    }

    @Test
    void logsListFieldsAndCustomKinds() {
        String store = "sqlite:" + dir.resolve("events.db");

        Cli.Result tool = Cli.run("log", "tool_use", "--tool-name", "Read", "--success", "yes", "--file-paths", "a.py",
                "--file-paths", "b.py", "--store", store);
        Cli.Result deploy = Cli.run("log", "deploy", "--env", "prod", "--store", store, "--print");

        assertThat(tool.exitCode()).as(tool.err()).isZero();
        ToolUseEvent used = (ToolUseEvent) stored(EventKind.TOOL_USE).get(0);
        assertThat(used.success()).isTrue();
        assertThat(used.filePaths()).containsExactly("a.py", "b.py");
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();
        CustomEvent custom = (CustomEvent) stored(EventKind.CUSTOM).get(0);
        assertThat(custom.name()).isEqualTo("deploy");
        assertThat(custom.attributes()).isEqualTo(Map.of("env", "prod"));
        assertThat(deploy.out()).contains("\"kind\":\"deploy\"", custom.id().toString());
    }

    @Test
    void aValueThatIsNotOfItsFieldsTypeExitsTwoAndStoresNothing() {
        Cli.Result result = Cli.run("log", "git", "--files-changed", "many", "--store",
                "sqlite:" + dir.resolve("events.db"));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).isEqualTo("eventlog log: the event was not valid: files_changed was 'many' but it "
                + "must be an integer");
        assertThat(dir.resolve("events.db")).doesNotExist();
    }

    @Test
    void whenTheStoreCannotBeOpenedTheEventIsKeptInTheBackupForReconcile() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        String unusable = "sqlite:" + notADirectory.resolve("events.db");
        Path backup = dir.resolve("backup");

        Cli.Result result = Cli.run("log", "activity", "--activity-type", "deploy", "--store", unusable, "--backup",
                "jsonl:" + backup);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).contains("the event is kept in jsonl:" + backup)
                .contains("eventlog reconcile --backup jsonl:" + backup);
        try (JsonlEventStore jsonl = JsonlEventStore.open(backup)) {
            assertThat(jsonl.count(EventQuery.all()).get(EventKind.ACTIVITY)).isEqualTo(1);
        }
        Cli.Result reconciled = Cli.run("reconcile", "--backup", "jsonl:" + backup, "--to",
                "sqlite:" + dir.resolve("events.db"), "--json");
        assertThat(reconciled.json().at("/totals/imported").asLong()).isEqualTo(1);
        assertThat(stored(EventKind.ACTIVITY)).hasSize(1);
    }

    @Test
    void fieldsWithoutValuesOrNamesExitTwo() {
        String store = "sqlite:" + dir.resolve("events.db");

        Cli.Result dangling = Cli.run("log", "git", "--store", store, "--repo");
        Cli.Result bare = Cli.run("log", "git", "repo", "x", "--store", store);
        Cli.Result twice = Cli.run("log", "git", "--repo", "a", "--repo", "b", "--store", store);
        Cli.Result nameless = Cli.run("log", "custom", "--env", "prod", "--store", store);

        assertThat(List.of(dangling, bare, twice, nameless)).allSatisfy(r -> assertThat(r.exitCode()).isEqualTo(2));
        assertThat(dangling.reason()).contains("--repo was given no value");
        assertThat(bare.reason()).contains("argument was 'repo' but it must be --FIELD followed by its value");
        assertThat(twice.reason()).contains("--repo was given twice");
        assertThat(nameless.reason()).contains("a custom event needs its name");
        assertThat(dir.resolve("events.db")).doesNotExist();
    }
}
