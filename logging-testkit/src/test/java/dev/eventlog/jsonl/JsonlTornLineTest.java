package dev.eventlog.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.SampleEvents;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlTornLineTest {
    @TempDir
    Path dir;

    @Test
    void aTornLastLineIsReportedAndNeverGluedToTheNextEvent() throws Exception {
        List<Event> first = SampleEvents.activities(3, SampleEvents.T0);
        Path file;
        try (JsonlEventStore store = JsonlEventStore.open(dir)) {
            store.append(first);
            file = store.file(EventKind.ACTIVITY);
        }
        // A crash in the middle of writing the last line.
        long size = Files.size(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size - 20);
        }

        List<Event> second = SampleEvents.activities(2, SampleEvents.T0.plusSeconds(100));
        List<Event> read;
        try (JsonlEventStore store = JsonlEventStore.open(dir)) {
            assertThat(store.tornFiles()).containsExactly(file);
            assertThat(store.append(second)).isEqualTo(2);
            try (Stream<Event> events = store.read(EventQuery.of(EventKind.ACTIVITY))) {
                read = events.collect(Collectors.toList());
            }
            assertThat(store.rejectedOnRead()).isEqualTo(1);
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(5);
        ObjectMapper json = new ObjectMapper();
        for (int i : new int[] {0, 1, 3, 4}) {
            assertThat(json.readTree(lines.get(i)).get("kind").asText()).isEqualTo("activity");
        }
        assertThat(lines.get(2)).doesNotEndWith("}");
        assertThat(read).containsExactly(first.get(0), first.get(1), second.get(0), second.get(1));
    }

    @Test
    void aCleanFileIsNotReportedAsTorn() {
        try (JsonlEventStore store = JsonlEventStore.open(dir)) {
            store.append(SampleEvents.everyKind());
        }

        try (JsonlEventStore store = JsonlEventStore.open(dir)) {
            assertThat(store.tornFiles()).isEmpty();
        }
    }

    @Test
    void createsTheDirectoryAndFilesReadableByTheOwnerOnly() throws Exception {
        Path events = dir.resolve("new/events");
        try (JsonlEventStore store = JsonlEventStore.open(events)) {
            store.append(SampleEvents.everyKind());
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(events))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(events)) {
            assertThat(files.toList()).hasSize(10).allSatisfy(f ->
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------"));
        }
    }

    @Test
    void writesEveryLineInTheDocumentedFormat() throws Exception {
        try (JsonlEventStore store = JsonlEventStore.open(dir, JsonlOptions.builder().fsync(true).build())) {
            store.append(SampleEvents.everyKind());
        }

        String line = Files.readAllLines(dir.resolve("self-heal-outcomes.jsonl")).get(0);
        assertThat(line).startsWith("{\"id\":\"").contains("\"ts\":1769580001.123,\"kind\":\"self_heal\"")
                .contains("\"error_pattern\":\"git-username-typo\"").contains("\"success\":true")
                .doesNotContain("attributes");
        String custom = Files.readAllLines(dir.resolve("custom-events.jsonl")).get(0);
        assertThat(custom).contains("\"kind\":\"deploy\"").contains("\"attributes\":{\"env\":\"prod\"");
    }
}
