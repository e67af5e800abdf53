package dev.eventlog.migrate;

import dev.eventlog.testkit.Samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventlog.ConfigurationException;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.GitEvent;
import dev.eventlog.RecoveryEvent;
import dev.eventlog.RoutingMetricEvent;
import dev.eventlog.SelfHealEvent;
import dev.eventlog.SessionOutcomeEvent;
import dev.eventlog.StoreException;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.spi.EventQuery;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImporterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    JsonlEventStore target;

    @BeforeEach
    void openTarget() {
        target = JsonlEventStore.open(dir.resolve("target"));
    }

    @AfterEach
    void closeTarget() {
        target.close();
    }

    @Test
    void importsTheSharedSamplesWithExactlyTheExpectedCountsAndRejectedLines() throws IOException {
        Path samples = copyOfSharedSamples();

        MigrationReport report = Importer.builder().target(target).input(samples).build().run();

        Map<EventKind, Long> expected = Samples.expectedCounts();
        Map<EventKind, Long> expectedRejected = Samples.expectedRejected();
        for (EventKind kind : expected.keySet()) {
            KindTally tally = report.kinds().get(kind);
            assertThat(tally.imported()).as("%s imported", kind).isEqualTo(expected.get(kind));
            assertThat(tally.rejected()).as("%s rejected", kind).isEqualTo(expectedRejected.get(kind));
            assertThat(tally.read()).as("%s read", kind).isEqualTo(expected.get(kind) + expectedRejected.get(kind));
            assertThat(report.rowsAfter().get(kind.table())).isEqualTo(expected.get(kind));
        }
        assertThat(report.kinds().keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        long total = expected.values().stream().mapToLong(Long::longValue).sum();
        assertThat(report.contentCheck().checked()).isEqualTo(total);
        assertThat(report.contentCheck().identical()).isEqualTo(total);
        long rejected = expectedRejected.values().stream().mapToLong(Long::longValue).sum();
        List<JsonNode> quarantined = readJsonLines(report.quarantine());
        assertThat(quarantined).hasSize((int) rejected);
        assertThat(quarantined).allSatisfy(q -> {
            assertThat(q.get("file").asText()).endsWith(".jsonl");
            assertThat(q.get("line").asLong()).isPositive();
            assertThat(q.get("reason").asText()).isNotBlank();
            assertThat(q.has("text")).isTrue();
        });
        assertThat(report.ok()).isFalse();
    }

    @Test
    void importedSampleValuesGiveTheExpectedAnalytics() throws IOException {
        Importer.builder().target(target).input(copyOfSharedSamples()).build().run();
        JsonNode analytics = Samples.expectedAnalytics();

        List<RoutingMetricEvent> routing = events(EventKind.ROUTING_METRIC);
        double accuracy = 100.0 * routing.stream().filter(e -> Boolean.TRUE.equals(e.accuracy())).count()
                / routing.stream().filter(e -> e.accuracy() != null).count();
        assertThat(accuracy).isCloseTo(analytics.get("routing_accuracy_pct").asDouble(), within(1e-3));
        Map<String, Long> predicted = routing.stream().filter(e -> e.predictedModel() != null)
                .collect(Collectors.groupingBy(RoutingMetricEvent::predictedModel, TreeMap::new, Collectors.counting()));
        assertThat(predicted).isEqualTo(JSON.convertValue(analytics.get("routing_predicted_model_counts"),
                new com.fasterxml.jackson.core.type.TypeReference<TreeMap<String, Long>>() { }));

        List<SelfHealEvent> heals = events(EventKind.SELF_HEAL);
        double healed = 100.0 * heals.stream().filter(e -> Boolean.TRUE.equals(e.success())).count()
                / heals.stream().filter(e -> e.success() != null).count();
        assertThat(healed).isCloseTo(analytics.get("self_heal_success_pct").asDouble(), within(1e-3));

        List<RecoveryEvent> recoveries = events(EventKind.RECOVERY);
        double meanRecover = recoveries.stream().filter(e -> e.timeToRecoverMs() != null)
                .mapToLong(RecoveryEvent::timeToRecoverMs).average().orElseThrow();
        assertThat(meanRecover).isCloseTo(analytics.get("recovery_mean_time_to_recover_ms").asDouble(), within(0.01));

        List<SessionOutcomeEvent> sessions = events(EventKind.SESSION_OUTCOME);
        double cost = sessions.stream().filter(e -> e.costUsd() != null).mapToDouble(SessionOutcomeEvent::costUsd).sum();
        assertThat(cost).isCloseTo(analytics.get("session_total_cost_usd").asDouble(), within(1e-6));

        Map<String, Long> commits = events(EventKind.GIT).stream().map(GitEvent.class::cast)
                .filter(e -> "commit".equals(e.eventType()))
                .collect(Collectors.groupingBy(GitEvent::repo, TreeMap::new, Collectors.counting()));
        assertThat(commits).isEqualTo(JSON.convertValue(analytics.get("git_commits_by_repo"),
                new com.fasterxml.jackson.core.type.TypeReference<TreeMap<String, Long>>() { }));
    }

    @Test
    void aSecondImportAddsNothing() throws IOException {
        Path samples = copyOfSharedSamples();
        Importer importer = Importer.builder().target(target).input(samples).build();
        MigrationReport first = importer.run();

        MigrationReport second = Importer.builder().target(target).input(samples).build().run();

        assertThat(second.totals().imported()).isZero();
        assertThat(second.totals().read()).isZero();
        assertThat(second.rowsAfter()).isEqualTo(first.rowsAfter());
        assertThat(second.notes()).anyMatch(n -> n.contains("unchanged since the last import"));
    }

    @Test
    void anImportWithoutItsProgressFileFindsEveryEventAlreadyPresent() throws IOException {
        Path samples = copyOfSharedSamples();
        Importer importer = Importer.builder().target(target).input(samples).build();
        MigrationReport first = importer.run();
        Files.delete(importer.progressFile());

        MigrationReport second = Importer.builder().target(target).input(samples).build().run();

        assertThat(second.totals().imported()).isZero();
        assertThat(second.totals().alreadyPresent()).isEqualTo(first.totals().imported());
        assertThat(second.rowsAfter()).isEqualTo(first.rowsAfter());
        assertThat(second.contentCheck().identical()).isEqualTo(first.totals().imported());
    }

    @Test
    void aFileThatGrewIsImportedFromWhereTheLastRunStopped() throws IOException {
        Path file = dir.resolve("in/routing-metrics.jsonl");
        Files.createDirectories(file.getParent());
        String line = "{\"ts\": 1769580000, \"predicted\": \"opus\", \"actual\": \"opus\", \"correct\": true}\n";
        Files.writeString(file, line + line.replace("opus", "haiku"));
        Importer.builder().target(target).input(file).build().run();
        // The same line again is a second event: two identical lines stay two events.
        Files.writeString(file, line + "{\"ts\": 1769580001, \"dq\": \"0.5\"}\n", StandardOpenOption.APPEND);

        MigrationReport second = Importer.builder().target(target).input(file).build().run();

        KindTally tally = second.kinds().get(EventKind.ROUTING_METRIC);
        assertThat(tally).isEqualTo(new KindTally(2, 2, 0, 0));
        assertThat(second.rowsAfter().get("routing_metrics_events")).isEqualTo(4);
        assertThat(second.notes()).anyMatch(n -> n.contains("grew since the last import"));
    }

    @Test
    void gzipCopiesOfTheSamplesImportAsThePlainFilesWithTheSameIdsAndRejectedLines() throws IOException {
        Path samples = copyOfSharedSamples();
        Path gzipped = Files.createDirectories(dir.resolve("gzipped"));
        List<Path> inputs = new ArrayList<>();
        try (Stream<Path> files = Files.list(samples)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
                Path gz = gzipped.resolve(file.getFileName() + ".gz");
                try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
                    Files.copy(file, out);
                }
                inputs.add(gz);
            }
        }
        MigrationReport plain = Importer.builder().target(target).input(samples).stateDirectory(dir.resolve("s1"))
                .build().run();

        MigrationReport compressed;
        try (JsonlEventStore other = JsonlEventStore.open(dir.resolve("other"))) {
            compressed = Importer.builder().target(other).inputs(inputs).stateDirectory(dir.resolve("s2")).build().run();
            assertThat(dev.eventlog.migrate.DualReadValidator.compare(target, other).identical()).isTrue();
        }

        assertThat(compressed.kinds()).isEqualTo(plain.kinds());
        assertThat(readJsonLines(compressed.quarantine())).hasSameSizeAs(readJsonLines(plain.quarantine()));
    }

    @Test
    void aGzipFileThatGrewIsReadAgainFromTheStartAddingOnlyTheNewEvents() throws IOException {
        Path file = dir.resolve("in/routing-metrics.jsonl.gz");
        Files.createDirectories(file.getParent());
        String line = "{\"ts\": 1769580000, \"predicted\": \"opus\", \"actual\": \"opus\", \"correct\": true}\n";
        try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
            out.write((line + line.replace("opus", "haiku")).getBytes(StandardCharsets.UTF_8));
        }
        Importer.builder().target(target).input(file).build().run();
        MigrationReport unchanged = Importer.builder().target(target).input(file).build().run();
        // A second gzip member appended: what "zcat a b > c" and "gzip >>" make.
        try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file,
                StandardOpenOption.APPEND))) {
            out.write("{\"ts\": 1769580001, \"dq\": \"0.5\"}\n".getBytes(StandardCharsets.UTF_8));
        }

        MigrationReport grown = Importer.builder().target(target).input(file).build().run();

        assertThat(unchanged.totals().read()).isZero();
        assertThat(unchanged.notes()).anyMatch(n -> n.contains("unchanged since the last import"));
        assertThat(grown.kinds().get(EventKind.ROUTING_METRIC)).isEqualTo(new KindTally(3, 1, 2, 0));
        assertThat(grown.rowsAfter().get("routing_metrics_events")).isEqualTo(3);
        assertThat(grown.notes()).anyMatch(n -> n.contains("is compressed and is not the file last imported"));
    }

    @Test
    void aRewrittenFileIsReadAgainFromTheStartWithoutDuplicates() throws IOException {
        Path file = dir.resolve("in/activity.jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"ts\": 1, \"activity_type\": \"a\"}\n{\"ts\": 2, \"activity_type\": \"b\"}\n");
        Importer.builder().target(target).input(file).build().run();
        Files.writeString(file, "{\"ts\": 1, \"activity_type\": \"a\"}\n{\"ts\": 3, \"activity_type\": \"changed\"}\n"
                + "{\"ts\": 4, \"activity_type\": \"d\"}\n");

        MigrationReport second = Importer.builder().target(target).input(file).build().run();

        assertThat(second.kinds().get(EventKind.ACTIVITY)).isEqualTo(new KindTally(3, 2, 1, 0));
        assertThat(second.notes()).anyMatch(n -> n.contains("changed since the last import"));
    }

    @Test
    void aTornLastLineIsQuarantinedAndImportedOnceItsWriterCompletesIt() throws IOException {
        Path file = dir.resolve("in/tool-usage.jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"ts\": 1, \"tool\": \"Bash\"}\n{\"ts\": 2, \"tool\": \"Re");

        MigrationReport first = Importer.builder().target(target).input(file).build().run();

        assertThat(first.kinds().get(EventKind.TOOL_USE)).isEqualTo(new KindTally(2, 1, 0, 1));
        JsonNode torn = readJsonLines(first.quarantine()).get(0);
        assertThat(torn.get("line").asLong()).isEqualTo(2);
        assertThat(torn.get("reason").asText()).contains("not JSON").contains("unterminated last line");
        assertThat(torn.get("text").asText()).isEqualTo("{\"ts\": 2, \"tool\": \"Re");

        Files.writeString(file, "ad\"}\n", StandardOpenOption.APPEND);
        MigrationReport second = Importer.builder().target(target).input(file).build().run();

        assertThat(second.kinds().get(EventKind.TOOL_USE)).isEqualTo(new KindTally(1, 1, 0, 0));
        assertThat(target.count(EventQuery.of(EventKind.TOOL_USE)).get(EventKind.TOOL_USE)).isEqualTo(2);
    }

    @Test
    void aLineOfInvalidUtf8IsQuarantinedAndTheOthersImported() throws IOException {
        Path file = dir.resolve("in/activity.jsonl");
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("{\"ts\": 1, \"activity_type\": \"ok\"}\n".getBytes(StandardCharsets.UTF_8));
            out.write(new byte[] {'{', '"', 't', 's', '"', ':', '2', ',', '"', 'x', '"', ':', '"', (byte) 0xC3, (byte) 0x28,
                '"', '}', '\n'});
            out.write("{\"ts\": 3, \"activity_type\": \"ok too\"}\n".getBytes(StandardCharsets.UTF_8));
        }

        MigrationReport report = Importer.builder().target(target).input(file).build().run();

        assertThat(report.kinds().get(EventKind.ACTIVITY)).isEqualTo(new KindTally(3, 2, 0, 1));
        JsonNode bad = readJsonLines(report.quarantine()).get(0);
        assertThat(bad.get("line").asLong()).isEqualTo(2);
        assertThat(bad.get("reason").asText()).isEqualTo("not valid UTF-8");
        assertThat(bad.get("file").asText()).isEqualTo(file.toString());
    }

    @Test
    void aFourMebibyteLineIsImportedWholeAndALineOverTheLimitIsQuarantined() throws IOException {
        Path file = dir.resolve("in/activity.jsonl");
        Files.createDirectories(file.getParent());
        String big = "x".repeat(4 * 1024 * 1024);
        Files.writeString(file, "{\"ts\": 1, \"description\": \"" + big + "\"}\n");

        MigrationReport report = Importer.builder().target(target).input(file).build().run();

        assertThat(report.kinds().get(EventKind.ACTIVITY).imported()).isEqualTo(1);
        assertThat(events(EventKind.ACTIVITY)).singleElement()
                .satisfies(e -> assertThat(((dev.eventlog.ActivityEvent) e).description()).isEqualTo(big));

        try (JsonlEventStore other = JsonlEventStore.open(dir.resolve("other"))) {
            MigrationReport limited = Importer.builder().target(other).input(file).maxLineBytes(1024 * 1024)
                    .quarantine(dir.resolve("q.jsonl")).build().run();
            assertThat(limited.kinds().get(EventKind.ACTIVITY)).isEqualTo(new KindTally(1, 0, 0, 1));
            assertThat(readJsonLines(dir.resolve("q.jsonl")).get(0).get("reason").asText())
                    .isEqualTo("line is longer than 1048576 bytes");
        }
    }

    @Test
    void rejectsEveryUnusableInputAtOnceBeforeTouchingTheTarget() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "not an event file");
        Path unknown = Files.writeString(dir.resolve("events.jsonl"), "{\"ts\": 1}\n");

        assertThatThrownBy(() -> Importer.builder().target(target).input(dir.resolve("missing.jsonl")).input(empty)
                .input(unknown).build())
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems()).containsExactly(
                        "input was '" + dir.resolve("missing.jsonl") + "' but it must be an existing file or directory",
                        "input was '" + empty + "' but it must be a directory holding JSONL files named as the "
                                + "catalogue says: git-activity.jsonl, self-heal-outcomes.jsonl, "
                                + "recovery-outcomes.jsonl, routing-metrics.jsonl, session-outcomes.jsonl, "
                                + "tool-usage.jsonl, activity.jsonl, coordinator.jsonl, expertise-routing.jsonl, "
                                + "custom-events.jsonl",
                        "input was '" + unknown + "' but its name must be one of git-activity.jsonl, "
                                + "self-heal-outcomes.jsonl, recovery-outcomes.jsonl, routing-metrics.jsonl, "
                                + "session-outcomes.jsonl, tool-usage.jsonl, activity.jsonl, coordinator.jsonl, "
                                + "expertise-routing.jsonl, custom-events.jsonl, or a kind must be given for it"));
        assertThat(target.count(EventQuery.all()).values()).containsOnly(0L);
    }

    @Test
    void aForcedKindReadsFilesOfAnyName() throws IOException {
        Path file = Files.writeString(dir.resolve("old-hook-output.jsonl"),
                "{\"ts\": 1769580000, \"pattern\": \"stale-lock\", \"fixed\": \"yes\"}\n");

        MigrationReport report = Importer.builder().target(target).input(file).kind(EventKind.SELF_HEAL).build().run();

        assertThat(report.kinds().get(EventKind.SELF_HEAL).imported()).isEqualTo(1);
        SelfHealEvent heal = (SelfHealEvent) events(EventKind.SELF_HEAL).get(0);
        assertThat(heal.errorPattern()).isEqualTo("stale-lock");
        assertThat(heal.success()).isTrue();
    }

    @Test
    void userAliasesMapTheirKeysToFields() throws IOException {
        Path file = dir.resolve("in/git-activity.jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"ts\": 1769580000, \"kind_of_change\": \"push\", \"project\": \"OS-App\"}\n");

        Importer.builder().target(target).input(file)
                .aliases(KeyAliases.builtIn().with(EventKind.GIT, "kind_of_change", "event_type")
                        .with(EventKind.GIT, "project", "repo"))
                .build().run();

        GitEvent git = (GitEvent) events(EventKind.GIT).get(0);
        assertThat(git.eventType()).isEqualTo("push");
        assertThat(git.repo()).isEqualTo("OS-App");
        assertThat(git.attributes()).isEmpty();
    }

    @Test
    void aFailedBatchLeavesEarlierBatchesStoredAndARerunCompletesWithoutDuplicates() throws IOException {
        Path file = dir.resolve("in/activity.jsonl");
        Files.createDirectories(file.getParent());
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 2500; i++) {
            lines.append("{\"ts\": ").append(1769580000 + i).append(", \"activity_type\": \"a").append(i).append("\"}\n");
        }
        Files.writeString(file, lines);
        FailingStore failing = new FailingStore(target, 3);

        assertThatThrownBy(() -> Importer.builder().target(failing).input(file).batchSize(1000).build().run())
                .isInstanceOf(StoreException.class).hasMessageContaining("injected");
        assertThat(count(EventKind.ACTIVITY)).isEqualTo(2000);

        MigrationReport rerun = Importer.builder().target(target).input(file).batchSize(1000).build().run();

        assertThat(rerun.kinds().get(EventKind.ACTIVITY)).isEqualTo(new KindTally(500, 500, 0, 0));
        assertThat(count(EventKind.ACTIVITY)).isEqualTo(2500);
        try (Stream<Event> all = target.read(EventQuery.of(EventKind.ACTIVITY))) {
            assertThat(all.map(Event::id).distinct().count()).isEqualTo(2500);
        }
    }

    @Test
    void aFailedBatchStopsTheReadingThreadWhileItIsStillAheadOfTheAppends() throws IOException {
        Path file = dir.resolve("in/activity.jsonl");
        Files.createDirectories(file.getParent());
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            lines.append("{\"ts\": ").append(1769580000 + i).append(", \"activity_type\": \"a").append(i).append("\"}\n");
        }
        Files.writeString(file, lines);
        FailingStore failing = new FailingStore(target, 1);

        assertThatThrownBy(() -> Importer.builder().target(failing).input(file).batchSize(100).build().run())
                .isInstanceOf(StoreException.class).hasMessageContaining("injected");

        // 200 batches, of which the reading thread holds a few ahead: it must be gone, not parked on a full queue.
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("eventlog-import-reader"));
        assertThat(count(EventKind.ACTIVITY)).isZero();
        MigrationReport rerun = Importer.builder().target(target).input(file).batchSize(100).build().run();
        assertThat(rerun.kinds().get(EventKind.ACTIVITY)).isEqualTo(new KindTally(20_000, 20_000, 0, 0));
    }

    @Test
    void theContentCheckNamesAnEventAlreadyPresentWithOtherContent() throws IOException {
        UUID id = UUID.fromString("019c0330-e530-7000-8000-000000000001");
        target.append(List.of(GitEvent.builder().id(id).ts(Instant.ofEpochSecond(1769580000)).eventType("commit")
                .commitHash("abc").repo("before").build()));
        Path file = dir.resolve("in/git-activity.jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"id\": \"" + id + "\", \"ts\": 1769580000, \"type\": \"commit\", \"hash\": \"abc\", "
                + "\"repository\": \"after\"}\n{\"ts\": 1769580001, \"type\": \"push\"}\n");

        MigrationReport report = Importer.builder().target(target).input(file).build().run();

        assertThat(report.kinds().get(EventKind.GIT)).isEqualTo(new KindTally(2, 1, 1, 0));
        assertThat(report.contentCheck().differing()).isEqualTo(1);
        assertThat(report.contentCheck().firstDiffering()).containsExactly(id);
        assertThat(report.contentCheck().identical()).isEqualTo(1);
        assertThat(report.ok()).isFalse();
    }

    @Test
    void readsEveryKnownFileOfADirectoryAndIgnoresOthers() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("activity.jsonl"), "{\"ts\": 1, \"activity_type\": \"a\"}\n");
        Files.writeString(in.resolve("coordinator.jsonl"), "{\"ts\": 1, \"agent_id\": \"x\"}\n\n");
        Files.writeString(in.resolve("README.md"), "# not events\n");

        Importer importer = Importer.builder().target(target).input(in).build();
        MigrationReport report = importer.run();

        assertThat(importer.files()).containsOnlyKeys(in.resolve("activity.jsonl"), in.resolve("coordinator.jsonl"));
        assertThat(report.totals()).isEqualTo(new KindTally(2, 2, 0, 0));
        assertThat(report.ok()).isTrue();
        assertThat(in.resolve(Importer.DEFAULT_QUARANTINE)).doesNotExist();
        assertThat(importer.quarantineFile()).doesNotExist();
    }

    private Path copyOfSharedSamples() throws IOException {
        Path copy = Files.createDirectories(dir.resolve("samples"));
        try (Stream<Path> files = Files.list(Samples.directory())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private <E extends Event> List<E> events(EventKind kind) {
        try (Stream<Event> events = target.read(EventQuery.of(kind))) {
            return events.map(e -> (E) e).collect(Collectors.toCollection(ArrayList::new));
        }
    }

    private long count(EventKind kind) {
        return target.count(EventQuery.of(kind)).get(kind);
    }

    static List<JsonNode> readJsonLines(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }
}
