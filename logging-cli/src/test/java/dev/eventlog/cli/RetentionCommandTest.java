package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.sqlite.SqliteEventStore;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.SampleEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eventlog retention} on a SQLite file (README, "Retention: archive, then drop"). */
class RetentionCommandTest {
    @TempDir
    Path dir;

    private List<Event> old;
    private List<Event> young;

    private String store() {
        Path file = dir.resolve("events.db");
        old = new ArrayList<>(SampleEvents.activities(30, Instant.now().minus(Duration.ofDays(400))));
        old.addAll(SampleEvents.everyKind().stream().filter(e -> e.kind() == EventKind.TOOL_USE).toList());
        young = SampleEvents.activities(5, Instant.now().minus(Duration.ofDays(3)));
        try (SqliteEventStore store = SqliteEventStore.open(file)) {
            store.append(old);
            store.append(young);
        }
        return "sqlite:" + file;
    }

    private static List<Event> all(String url) {
        try (SqliteEventStore store = SqliteEventStore.open(Path.of(url.substring("sqlite:".length())));
                Stream<Event> events = store.read(EventQuery.all())) {
            return events.toList();
        }
    }

    @Test
    void archivesThenRemovesAndTheArchiveImportsBackAsTheRemovedEvents() {
        String url = store();
        String archive = "jsonl:" + dir.resolve("archive");

        Cli.Result run = Cli.run("retention", "--older-than", "180d", "--archive", archive, "--no-progress", url);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("activity: 30 event(s) before").contains("tool_use: 1 event(s) before")
                .contains("retention: removed 31 event(s)");
        assertThat(all(url)).containsExactlyElementsOf(young);
        String back = "sqlite:" + dir.resolve("back.db");
        assertThat(Cli.run("import", "--to", back, "--state-dir", dir.resolve("state").toString(), "--no-progress",
                dir.resolve("archive").toString()).exitCode()).isZero();
        assertThat(SampleEvents.sorted(all(back))).containsExactlyElementsOf(SampleEvents.sorted(old));
    }

    @Test
    void aDryRunPrintsWhatWouldGoAndChangesNothing() {
        String url = store();

        Cli.Result run = Cli.run("retention", "--older-than", "180d", "--older-than", "tool_use=1000d", "--dry-run",
                "--archive", "jsonl:" + dir.resolve("archive"), url);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("activity: 30 event(s) before").contains("tool_use: 0 event(s) before")
                .contains("retention (dry run): nothing changed");
        assertThat(all(url)).hasSize(old.size() + young.size());
        assertThat(dir.resolve("archive")).doesNotExist();
    }

    @Test
    void withoutAnArchiveOrNoArchiveItRefusesInOneLine() {
        String url = store();

        Cli.Result run = Cli.run("retention", "--older-than", "180d", url);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("eventlog retention: --archive was not given; give --archive"
                + " jsonl:DIR or --archive-file FILE.jsonl.gz, or --no-archive to remove events without keeping them");
        assertThat(all(url)).hasSize(old.size() + young.size());
    }

    @Test
    void noArchiveRemovesOnlyTheKindsAsked() {
        String url = store();

        Cli.Result run = Cli.run("retention", "--older-than", "180d", "--kind", "activity", "--no-archive", url);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(all(url)).hasSize(1 + young.size());
    }

    @Test
    void anArchiveFileHoldsEveryKindInOneGzipFileThatImportsBackAsTheRemovedEvents() throws Exception {
        String url = store();
        old.addAll(SampleEvents.everyKind().stream().filter(e -> e.kind() != EventKind.TOOL_USE).toList());
        try (SqliteEventStore store = SqliteEventStore.open(dir.resolve("events.db"))) {
            store.append(old);
        }
        Path file = dir.resolve("archive").resolve("2025.jsonl.gz");

        Cli.Result run = Cli.run("retention", "--older-than", "180d", "--archive-file", file.toString(),
                "--no-progress", url);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("activity: 31 event(s) before").contains("custom: 1 event(s) before")
                .contains("archived to " + file)
                .contains("retention: removed " + old.size() + " event(s)");
        assertThat(all(url)).containsExactlyElementsOf(young);
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        assertThat(bytes[0] & 0xff).isEqualTo(0x1f);
        assertThat(bytes[1] & 0xff).isEqualTo(0x8b);
        try (Stream<Path> left = java.nio.file.Files.list(file.getParent())) {
            assertThat(left).containsExactly(file);
        }
        String back = "sqlite:" + dir.resolve("back.db");
        String state = dir.resolve("state").toString();
        Cli.Result imported = Cli.run("import", "--to", back, "--state-dir", state, "--no-progress", file.toString());
        Cli.Result again = Cli.run("import", "--to", back, "--state-dir", state, "--no-progress", file.toString());
        assertThat(imported.exitCode()).as(imported.out() + imported.err()).isZero();
        assertThat(SampleEvents.sorted(all(back))).containsExactlyElementsOf(SampleEvents.sorted(old));
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("unchanged since the last import: nothing to read");
        assertThat(all(back)).hasSize(old.size());
    }

    @Test
    void anArchiveFileThatExistsIsNeverOverwrittenAndNothingIsRemoved() throws Exception {
        String url = store();
        Path file = dir.resolve("old.jsonl.gz");
        java.nio.file.Files.writeString(file, "kept\n");

        Cli.Result run = Cli.run("retention", "--older-than", "180d", "--archive-file", file.toString(), url);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").isEqualTo("eventlog retention: --archive-file was '" + file
                + "' but it must not exist yet: an archive is never overwritten; give a new name");
        assertThat(java.nio.file.Files.readString(file)).isEqualTo("kept\n");
        assertThat(all(url)).hasSize(old.size() + young.size());
    }
}
