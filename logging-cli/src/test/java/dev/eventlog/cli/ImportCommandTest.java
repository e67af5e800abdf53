package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.GitEvent;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.spi.StoreOptions;
import dev.eventlog.testkit.Samples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCommandTest {
    @TempDir
    Path dir;

    @Test
    void importingTheSharedSamplesGivesExactlyTheExpectedCountsAndRejectedLines() throws IOException {
        Path samples = copyOfSharedSamples();
        String db = "sqlite:" + dir.resolve("events.db");

        Cli.Result result = Cli.run("import", "--to", db, "--json", samples.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        JsonNode report = result.json();
        Map<EventKind, Long> expected = Samples.expectedCounts();
        Map<EventKind, Long> rejected = Samples.expectedRejected();
        for (EventKind kind : expected.keySet()) {
            assertThat(report.at("/kinds/" + kind.key() + "/imported").asLong()).as(kind.key())
                    .isEqualTo(expected.get(kind));
            assertThat(report.at("/kinds/" + kind.key() + "/rejected").asLong()).as(kind.key())
                    .isEqualTo(rejected.get(kind));
            assertThat(report.at("/rows_after/" + kind.table()).asLong()).isEqualTo(expected.get(kind));
        }
        long total = expected.values().stream().mapToLong(Long::longValue).sum();
        assertThat(report.at("/content_check/identical").asLong()).isEqualTo(total);
        assertThat(report.at("/content_check/ok").asBoolean()).isTrue();
        Path quarantine = Path.of(report.at("/quarantine").asText());
        List<String> quarantined = Files.readAllLines(quarantine);
        assertThat(quarantined).hasSize((int) rejected.values().stream().mapToLong(Long::longValue).sum());
        assertThat(quarantine.getFileName().toString()).isEqualTo("eventlog-quarantine.jsonl");
        assertThat(quarantine.startsWith(samples)).as("quarantine inside the input folder").isFalse();
        assertThat(result.reason()).isEqualTo("eventlog import: " + quarantined.size()
                + " rejected line(s), written to " + quarantine + " (exit code 1)");
    }

    @Test
    void aSecondImportAddsNothingAndExitsZero() throws IOException {
        Path samples = copyOfSharedSamples();
        String db = "sqlite:" + dir.resolve("events.db");
        Cli.run("import", "--to", db, samples.toString());

        Cli.Result second = Cli.run("import", "--to", db, "--json", samples.toString());

        assertThat(second.exitCode()).isZero();
        assertThat(second.json().at("/totals/imported").asLong()).isZero();
        assertThat(second.json().at("/rows_after/git_events").asLong())
                .isEqualTo(Samples.expectedCounts().get(EventKind.GIT));
    }

    @Test
    void theImportedSamplesCopyToAnotherStoreAndVerifyIdenticalBothWays() throws IOException {
        Path samples = copyOfSharedSamples();
        String db = "sqlite:" + dir.resolve("events.db");
        String copy = "jsonl:" + dir.resolve("copy");
        Cli.run("import", "--to", db, samples.toString());

        Cli.Result copied = Cli.run("copy", "--from", db, "--to", copy, "--json");

        assertThat(copied.exitCode()).as(copied.err()).isZero();
        assertThat(copied.json().at("/totals/imported").asLong())
                .isEqualTo(Samples.expectedCounts().values().stream().mapToLong(Long::longValue).sum());
        assertThat(Cli.run("verify", db, copy).exitCode()).isZero();
        assertThat(Cli.run("verify", copy, db).exitCode()).isZero();
        assertThat(Cli.run("copy", "--from", db, "--to", copy, "--json").json().at("/totals/imported").asLong())
                .isZero();
    }

    @Test
    void theLegacyDirectoryItselfVerifiesIdenticalToTheStoreItWasImportedInto() throws IOException {
        Path samples = copyOfSharedSamples();
        String db = "sqlite:" + dir.resolve("events.db");
        Cli.run("import", "--to", db, samples.toString());

        Cli.Result result = Cli.run("verify", "--json", "jsonl:" + samples, db);

        assertThat(result.exitCode()).as(result.out()).isZero();
        assertThat(result.json().at("/kinds/git/source_count").asLong())
                .isEqualTo(Samples.expectedCounts().get(EventKind.GIT));
    }

    @Test
    void printsAReadableTableWithTheQuarantineFile() throws IOException {
        Path samples = copyOfSharedSamples();

        Cli.Result result = Cli.run("import", "--to", "sqlite:" + dir.resolve("events.db"), samples.toString());

        assertThat(result.out()).contains("kind", "read", "imported", "already present", "rejected")
                .containsPattern("git\\s+30\\s+27\\s+0\\s+3")
                .contains("content check: 155 event(s) checked, all identical")
                .containsPattern("rejected lines: /.*/eventlog/import/samples-[0-9a-f]{16}/eventlog-quarantine.jsonl")
                .contains("result: NOT ok (exit code 1)");
        assertThat(result.reason()).startsWith("eventlog import: "
                + Samples.expectedRejected().values().stream().mapToLong(Long::longValue).sum()
                + " rejected line(s), written to ").endsWith("eventlog-quarantine.jsonl (exit code 1)");
    }

    @Test
    void userAliasesFromAMapFileAreApplied() throws IOException {
        Path file = Files.writeString(dir.resolve("git-activity.jsonl"),
                "{\"ts\": 1769580000, \"kind_of_change\": \"push\", \"project\": \"OS-App\"}\n");
        Path map = Files.writeString(dir.resolve("aliases.json"),
                "{\"git\": {\"kind_of_change\": \"event_type\", \"project\": \"repo\"}}");
        String store = "jsonl:" + dir.resolve("out");

        Cli.Result result = Cli.run("import", "--to", store, "--map", map.toString(), file.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Files.readString(dir.resolve("out/git-activity.jsonl")))
                .contains("\"event_type\":\"push\"", "\"repo\":\"OS-App\"").doesNotContain("attributes");
    }

    @Test
    void aMapFileNamingAnUnknownKindOrFieldIsRefusedWithEveryProblem() throws IOException {
        Path file = Files.writeString(dir.resolve("git-activity.jsonl"), "{\"ts\": 1}\n");
        Path map = Files.writeString(dir.resolve("aliases.json"),
                "{\"gti\": {\"a\": \"repo\"}, \"git\": {\"b\": \"no_such_field\"}}");

        Cli.Result result = Cli.run("import", "--to", "sqlite:" + dir.resolve("e.db"), "--map", map.toString(),
                file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).contains("line 1: kind was 'gti'").contains("'no_such_field'");
        assertThat(dir.resolve("e.db")).doesNotExist();
    }

    @Test
    void aMapFileAliasesTheTimeIdSessionAndSourceAndASecondImportAddsNothing() throws IOException {
        String uuid = "0190a5b2-0000-7000-8000-0000000000aa";
        Path file = Files.writeString(dir.resolve("git-activity.jsonl"),
                "{\"created_at\": \"2026-01-28 06:05:00\", \"sid\": \"s-1\", \"uuid\": \"" + uuid + "\", "
                        + "\"origin\": \"old-hook\", \"type\": \"push\"}\n"
                        + "{\"created_at\": 1769580000, \"ts\": 1769580100, \"sid\": \"s-2\", \"type\": \"commit\"}\n");
        Path map = Files.writeString(dir.resolve("aliases.json"),
                "{\"*\": {\"created_at\": \"ts\", \"sid\": \"session_id\", \"uuid\": \"id\"},\n"
                        + " \"git\": {\"origin\": \"source\"}}\n");
        String store = "sqlite:" + dir.resolve("events.db");

        Cli.Result first = Cli.run("import", "--to", store, "--json", "--map", map.toString(), file.toString());

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.json().at("/kinds/git/imported").asLong()).isEqualTo(2);
        try (EventStore events = EventStores.open(store, StoreOptions.READ);
                Stream<Event> read = events.read(EventQuery.of(EventKind.GIT))) {
            List<GitEvent> git = read.map(GitEvent.class::cast).sorted(Comparator.comparing(Event::ts)).toList();
            assertThat(git).extracting(e -> e.ts().toString())
                    .containsExactly("2026-01-28T06:01:40Z", "2026-01-28T06:05:00Z");
            GitEvent commit = git.get(0);
            assertThat(commit.sessionId()).isEqualTo("s-2");
            assertThat(commit.attributes()).as("ts wins over its alias, which is kept")
                    .containsOnlyKeys("created_at");
            GitEvent push = git.get(1);
            assertThat(push.id()).isEqualTo(UUID.fromString(uuid));
            assertThat(push.sessionId()).isEqualTo("s-1");
            assertThat(push.source()).isEqualTo("old-hook");
            assertThat(push.eventType()).isEqualTo("push");
            assertThat(push.attributes()).isEmpty();
        }

        Cli.Result second = Cli.run("import", "--to", store, "--json", "--map", map.toString(), file.toString());
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.json().at("/totals/imported").asLong()).isZero();
    }

    @Test
    void aMapFileAliasToAnUnknownFieldIsRefusedOnOneLineNamingTheFileLineAndKey() throws IOException {
        Path file = Files.writeString(dir.resolve("git-activity.jsonl"), "{\"ts\": 1}\n");
        Path map = Files.writeString(dir.resolve("aliases.json"),
                "{\"git\": {\"project\": \"repo\"},\n \"*\": {\"created_at\": \"ts\",\n   \"sid\": \"session\"}}\n");

        Cli.Result result = Cli.run("import", "--to", "sqlite:" + dir.resolve("e.db"), "--map", map.toString(),
                file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).startsWith("eventlog import: ")
                .contains("--map " + map + " line 3, * key 'sid': ", "'session'", "[ts, id, session_id, source]");
        assertThat(result.err().strip().lines()).hasSize(1);
        assertThat(result.err()).doesNotContain("Exception", "\tat ");
        assertThat(dir.resolve("e.db")).doesNotExist();
    }

    Path copyOfSharedSamples() throws IOException {
        return Samples.copyTo(dir.resolve("samples"));
    }
}
