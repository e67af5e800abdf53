package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.GitEvent;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.testkit.SampleEvents;
import dev.eventlog.sqlite.SqliteEventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyAndReconcileCommandTest {
    @TempDir
    Path dir;

    @Test
    void verifyExitsOneAndNamesTheIdsThatDiffer() {
        List<Event> events = SampleEvents.everyKind();
        GitEvent git = (GitEvent) events.get(0);
        GitEvent edited = GitEvent.builder().id(git.id()).ts(git.ts()).eventType("commit").repo("other")
                .commitHash(git.commitHash()).build();
        try (SqliteEventStore a = SqliteEventStore.open(dir.resolve("a.db"));
                JsonlEventStore b = JsonlEventStore.open(dir.resolve("b"))) {
            a.append(events);
            List<Event> changed = new ArrayList<>(events.subList(1, 9));
            changed.add(edited);
            b.append(changed);
        }

        Cli.Result result = Cli.run("verify", "sqlite:" + dir.resolve("a.db"), "jsonl:" + dir.resolve("b"));
        Cli.Result json = Cli.run("verify", "--json", "sqlite:" + dir.resolve("a.db"), "jsonl:" + dir.resolve("b"));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).containsPattern("git\\s+1\\s+1\\s+\\w+\\s+DIFFERENT")
                .containsPattern("custom\\s+1\\s+0\\s+\\w+\\s+DIFFERENT")
                .contains("differing: 1:", git.id().toString())
                .contains("only in source: 1:", events.get(9).id().toString())
                .contains("result: the stores differ (exit code 1)");
        assertThat(json.json().at("/identical").asBoolean()).isFalse();
        assertThat(json.json().at("/kinds/git/first_differing/0").asText()).isEqualTo(git.id().toString());
        assertThat(json.json().at("/kinds/tool_use/identical").asBoolean()).isTrue();
    }

    @Test
    void reconcileReplaysWhatTheStoreMissesExactlyOnce() {
        List<Event> events = SampleEvents.everyKind();
        Path backup = dir.resolve("backup");
        try (SqliteEventStore store = SqliteEventStore.open(dir.resolve("events.db"));
                JsonlEventStore jsonl = JsonlEventStore.open(backup)) {
            store.append(events.subList(0, 3));
            jsonl.append(events);
        }
        String db = "sqlite:" + dir.resolve("events.db");

        Cli.Result first = Cli.run("reconcile", "--backup", "jsonl:" + backup, "--to", db, "--json");
        Cli.Result second = Cli.run("reconcile", "--backup", "jsonl:" + backup, "--to", db, "--json");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.json().at("/totals/imported").asLong()).isEqualTo(7);
        assertThat(first.json().at("/totals/already_present").asLong()).isEqualTo(3);
        assertThat(second.json().at("/totals/imported").asLong()).isZero();
        assertThat(Cli.run("verify", "jsonl:" + backup, db).exitCode()).isZero();
    }

    @Test
    void reconcileRefusesAMissingBackupBeforeOpeningTheStore() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        Cli.Result missing = Cli.run("reconcile", "--backup", "jsonl:" + dir.resolve("nope"), "--to",
                "sqlite:" + dir.resolve("e.db"));
        Cli.Result noFiles = Cli.run("reconcile", "--backup", "jsonl:" + empty, "--to", "sqlite:" + dir.resolve("e.db"));

        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.reason()).contains("backup was '" + dir.resolve("nope") + "' but it must be an existing");
        assertThat(noFiles.exitCode()).isEqualTo(2);
        assertThat(noFiles.reason()).contains("but it must hold at least one of git-activity.jsonl");
        assertThat(dir.resolve("e.db")).doesNotExist();
    }
}
