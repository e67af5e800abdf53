package dev.eventlog.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.CustomEvent;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.spi.RowDigests;
import dev.eventlog.testkit.SampleEvents;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's hash of an event equals the SQLite store's hash of the row it keeps, for every kind
 * and every shape of value (the content check of an import or copy proves rows by these sums); a
 * row changed in the file by another program changes its hour's sum.
 */
class SqliteRowDigestsTest {
    @TempDir
    Path dir;

    private SqliteEventStore store;

    @BeforeEach
    void openStore() {
        store = SqliteEventStore.open(dir.resolve("events.db"));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void theClientsSumsEqualTheStoresForEveryKindAndValue() {
        List<Event> events = new ArrayList<>(SampleEvents.everyKind());
        for (EventKind kind : EventKind.values()) {
            events.add(SampleEvents.empty(kind, SampleEvents.T0.plusSeconds(100 + kind.ordinal())));
        }
        int i = 0;
        for (String text : SampleEvents.NASTY_TEXT) {
            Instant ts = SampleEvents.T0.plusSeconds(200 + i++);
            events.add(ToolUseEvent.builder().ts(ts).toolName(text).success(i % 2 == 0).filePaths(List.of(text, "b"))
                    .attribute(text, text).build());
        }
        events.add(ToolUseEvent.builder().ts(SampleEvents.T0.plusSeconds(250)).toolName("").success(false).sessionId("")
                .durationMs(0L).build());
        Map<String, Object> numbers = new LinkedHashMap<>(SampleEvents.jsonAttributes());
        numbers.put("big", 1.0E20);
        numbers.put("negativeZero", -0.0);
        numbers.put("max", Long.MAX_VALUE);
        numbers.put("control\u0001\u001f", "\u0001\u007f\u2028");
        events.add(CustomEvent.builder("numbers").ts(SampleEvents.T0.plusSeconds(300)).attributes(numbers).build());
        // Ids spelled without their text by the hasher: every digit position, leading zeros, high bits.
        long[][] ids = {{0, 0}, {-1, -1}, {0x0123456789abcdefL, 0xfedcba9876543210L}, {Long.MIN_VALUE, 1}};
        for (long[] bits : ids) {
            events.add(ToolUseEvent.builder().id(new java.util.UUID(bits[0], bits[1]))
                    .ts(SampleEvents.T0.plusSeconds(260 + events.size())).toolName("ascii then \u00e9").success(true).build());
        }
        // An hour later: a bucket of its own.
        events.add(CustomEvent.builder("later").ts(SampleEvents.T0.plusSeconds(7_200)).attribute("x", 1).build());
        store.append(events);

        for (EventKind kind : EventKind.values()) {
            assertThat(store.sums(kind, SampleEvents.T0, SampleEvents.T0.plusSeconds(10_000)))
                    .as(kind.key()).isEqualTo(clientSums(events, kind)).isNotEmpty();
        }
    }

    @Test
    void aRowChangedInTheFileChangesItsHoursSumAndOnlyThatHours() throws Exception {
        List<Event> events = new ArrayList<>(SampleEvents.activities(20, SampleEvents.T0));
        events.addAll(SampleEvents.activities(5, SampleEvents.T0.plusSeconds(3_600)));
        store.append(events);
        Instant from = SampleEvents.T0;
        Instant until = SampleEvents.T0.plusSeconds(7_200);
        Map<Long, RowDigests.Bucket> before = store.sums(EventKind.ACTIVITY, from, until);
        assertThat(before).hasSize(2).isEqualTo(clientSums(events, EventKind.ACTIVITY));

        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("events.db"));
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE activity_events SET description = 'step 3 ' WHERE description = 'step 3'"
                    + " AND ts < " + SampleEvents.T0.plusSeconds(3_000).toEpochMilli());
        }
        Map<Long, RowDigests.Bucket> after = store.sums(EventKind.ACTIVITY, from, until);
        long changedHour = Math.floorDiv(SampleEvents.T0.toEpochMilli(), RowDigests.BUCKET_MILLIS);
        assertThat(after.get(changedHour)).isNotEqualTo(before.get(changedHour));
        assertThat(after.get(changedHour).count()).isEqualTo(before.get(changedHour).count());
        assertThat(after.get(changedHour + 1)).isEqualTo(before.get(changedHour + 1));
    }

    private Map<Long, RowDigests.Bucket> clientSums(List<Event> events, EventKind kind) {
        RowDigests.Hasher hasher = store.hasher();
        Map<Long, long[]> sums = new HashMap<>();
        for (Event event : events) {
            if (event.kind() == kind) {
                long[] sum = sums.computeIfAbsent(Math.floorDiv(event.ts().toEpochMilli(), RowDigests.BUCKET_MILLIS),
                        b -> new long[2]);
                sum[0]++;
                sum[1] += hasher.hash(event);
            }
        }
        Map<Long, RowDigests.Bucket> buckets = new HashMap<>();
        sums.forEach((bucket, sum) -> buckets.put(bucket, new RowDigests.Bucket(sum[0], sum[1])));
        return buckets;
    }
}
