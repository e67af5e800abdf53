package dev.eventlog.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.testkit.Samples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Reads the test kit's legacy sample files and checks them against their expected.json. */
class LegacySamplesTest {
    static final Path SAMPLES = Samples.directory();

    record Read(List<Event> events, List<JsonlReader.Line> rejected) {
    }

    static Read read(Path file) throws IOException {
        EventKind kind = EventKind.fromFileName(file.getFileName().toString()).orElseThrow();
        List<Event> events = new ArrayList<>();
        List<JsonlReader.Line> rejected = new ArrayList<>();
        try (JsonlReader reader = JsonlReader.open(file, new LineDecoder(kind, KeyAliases.builtIn()))) {
            for (JsonlReader.Line line = reader.next(); line != null; line = reader.next()) {
                if (line.event() != null) {
                    events.add(line.event());
                } else {
                    rejected.add(line);
                }
            }
        }
        return new Read(events, rejected);
    }

    @Test
    void readsEverySampleFileWithTheExpectedCountsAndRejections() throws IOException {
        JsonNode expected = Samples.expected();
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Integer> rejected = new TreeMap<>();

        try (var files = Files.list(SAMPLES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                String kind = EventKind.fromFileName(file.getFileName().toString()).orElseThrow().key();
                Read read = read(file);
                counts.put(kind, read.events().size());
                rejected.put(kind, read.rejected().size());
            }
        }

        Map<String, Integer> expectedCounts = new TreeMap<>();
        expected.get("counts").fields().forEachRemaining(e -> expectedCounts.put(e.getKey(), e.getValue().asInt()));
        Map<String, Integer> expectedRejected = new TreeMap<>();
        expected.get("rejected").fields().forEachRemaining(e -> expectedRejected.put(e.getKey(), e.getValue().asInt()));
        assertThat(counts).isEqualTo(expectedCounts);
        assertThat(rejected).isEqualTo(expectedRejected);
    }

    @Test
    void readingTheSameFileTwiceGivesTheSameIdsAndIdenticalLinesStayTwoEvents() throws IOException {
        Path git = SAMPLES.resolve("git-activity.jsonl");

        List<Event> first = read(git).events();
        List<Event> second = read(git).events();

        assertThat(second).isEqualTo(first);
        assertThat(first.stream().map(Event::id).distinct().count()).isEqualTo(first.size());
        List<Event> pushes = first.stream().filter(e -> e.ts().toEpochMilli() == 1_769_580_207_563L).toList();
        assertThat(pushes).hasSize(2);
        assertThat(pushes.get(0).fieldValues()).isEqualTo(pushes.get(1).fieldValues());
    }

    @Test
    void rejectionsSayWhyWithTheLineNumber() throws IOException {
        List<JsonlReader.Line> git = read(SAMPLES.resolve("git-activity.jsonl")).rejected();
        List<JsonlReader.Line> recovery = read(SAMPLES.resolve("recovery-outcomes.jsonl")).rejected();

        assertThat(git).extracting(JsonlReader.Line::rejection).satisfiesExactly(
                r -> assertThat(r).startsWith("not JSON"),
                r -> assertThat(r).isEqualTo("not a JSON object but an array"),
                r -> assertThat(r).startsWith("no time"));
        assertThat(git.get(0).number()).isEqualTo(28);
        assertThat(git.get(0).text()).isEqualTo("{\"ts\": 1769581000, \"repo\": \"OS-App\", \"bran");
        assertThat(recovery).extracting(JsonlReader.Line::rejection).satisfiesExactly(
                r -> assertThat(r).contains("ts was 'yesterday-ish'"),
                r -> assertThat(r).contains("attempts was 'not-a-number' but it must be an integer"));
    }
}
