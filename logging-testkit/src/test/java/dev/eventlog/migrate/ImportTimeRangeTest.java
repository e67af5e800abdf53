package dev.eventlog.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.spi.EventQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A legacy line whose time lies outside the range every store keeps goes to the quarantine with
 * the reason, instead of reaching a store that would keep it differently or fail its batch.
 */
class ImportTimeRangeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void linesOutsideTheValidTimeRangeAreQuarantinedWithTheReasonAndTheOthersImported() throws Exception {
        Path input = Files.createDirectories(dir.resolve("legacy"));
        Files.writeString(input.resolve(EventKind.ACTIVITY.fileName()), String.join("\n",
                "{\"ts\": 1769580154, \"activity_type\": \"kept\"}",
                "{\"ts\": -1, \"activity_type\": \"before 1970\"}",
                "{\"ts\": \"+10000-01-01T00:00:00Z\", \"activity_type\": \"after 9999\"}",
                "{\"ts\": 253402300799.999, \"activity_type\": \"the last valid millisecond\"}",
                "{\"ts\": 253402300800000, \"activity_type\": \"milliseconds after 9999\"}",
                "{\"timestamp\": \"1969-12-31 23:59:59\", \"activity_type\": \"before 1970 as text\"}") + "\n");
        Path quarantine = dir.resolve("quarantine.jsonl");

        List<Event> imported;
        MigrationReport report;
        try (JsonlEventStore target = JsonlEventStore.open(dir.resolve("target"))) {
            report = Importer.builder().target(target).input(input).quarantine(quarantine).build().run();
            try (Stream<Event> events = target.read(EventQuery.all())) {
                imported = events.collect(Collectors.toList());
            }
        }

        List<JsonNode> rejected = new ArrayList<>();
        for (String line : Files.readAllLines(quarantine)) {
            rejected.add(JSON.readTree(line));
        }
        KindTally tally = report.kinds().get(EventKind.ACTIVITY);
        System.out.printf("read=%d imported=%d rejected=%d quarantined=%d%n", tally.read(), tally.imported(),
                tally.rejected(), rejected.size());
        assertThat(tally.imported()).isEqualTo(2);
        assertThat(tally.rejected()).isEqualTo(4);
        assertThat(imported).extracting(Event::ts).containsExactlyInAnyOrder(
                Instant.parse("2026-01-28T06:02:34Z"), Instant.parse("9999-12-31T23:59:59.999Z"));
        assertThat(rejected).extracting(q -> q.get("line").asLong()).containsExactly(2L, 3L, 5L, 6L);
        assertThat(rejected).extracting(q -> q.get("reason").asText()).allSatisfy(reason -> assertThat(reason)
                .containsPattern("^(ts|timestamp) was '.*' \\(.*\\) but it must lie in "
                        + "1970-01-01T00:00:00Z \\.\\. 9999-12-31T23:59:59.999Z$"));
    }
}
