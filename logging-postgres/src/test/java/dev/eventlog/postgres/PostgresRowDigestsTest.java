package dev.eventlog.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.CustomEvent;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.spi.RowDigests;
import dev.eventlog.testkit.SampleEvents;
import dev.eventlog.testkit.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client's hash of an event equals the database's hash of the row it stores, for every kind
 * and every shape of value (the content check of an import or copy proves rows by these sums);
 * a row changed in the database changes its hour's sum.
 */
class PostgresRowDigestsTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private PostgresEventStore store;

    @BeforeEach
    void openStore() {
        store = PostgresEventStore.open(db.url(db.newSchemaName()));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void theClientsSumsEqualTheDatabasesForEveryKindAndValue() {
        List<Event> events = new ArrayList<>(SampleEvents.everyKind());
        for (EventKind kind : EventKind.values()) {
            events.add(SampleEvents.empty(kind, SampleEvents.T0.plusSeconds(100 + kind.ordinal())));
        }
        int i = 0;
        for (String text : SampleEvents.NASTY_TEXT) {
            Instant ts = SampleEvents.T0.plusSeconds(200 + i++);
            events.add(ToolUseEvent.builder().ts(ts).toolName(text).success(true).filePaths(List.of(text, "b"))
                    .attribute(text, text).build());
        }
        Map<String, Object> numbers = new LinkedHashMap<>(SampleEvents.jsonAttributes());
        numbers.put("big", 1.0E20);
        numbers.put("small", 1.5E-7);
        numbers.put("negativeZero", -0.0);
        numbers.put("whole", 3.0);
        numbers.put("max", Long.MAX_VALUE);
        numbers.put("min", Long.MIN_VALUE);
        numbers.put("tiny", Double.MIN_VALUE);
        numbers.put("huge", Double.MAX_VALUE);
        numbers.put("control\u0001\u001f", "\u0001\u007f\u2028");
        numbers.put("bb", 1L);
        numbers.put("a", 2L);
        numbers.put("é", 3L);
        numbers.put("z", 4L);
        events.add(CustomEvent.builder("numbers").ts(SampleEvents.T0.plusSeconds(300)).attributes(numbers).build());
        // An hour later: a bucket of its own.
        events.add(CustomEvent.builder("later").ts(SampleEvents.T0.plusSeconds(7_200)).attribute("x", 1).build());
        // On an hour's first millisecond and the one before it: each in its own bucket.
        long hour = Math.floorDiv(SampleEvents.T0.toEpochMilli(), RowDigests.BUCKET_MILLIS) + 2;
        Instant boundary = Instant.ofEpochMilli(hour * RowDigests.BUCKET_MILLIS);
        events.add(CustomEvent.builder("boundary").ts(boundary).build());
        events.add(CustomEvent.builder("boundary").ts(boundary.minusMillis(1)).build());
        store.append(events);

        for (EventKind kind : EventKind.values()) {
            assertThat(store.sums(kind, SampleEvents.T0, SampleEvents.T0.plusSeconds(10_000)))
                    .as(kind.key()).isEqualTo(clientSums(events, kind));
        }
    }

    @Test
    void aRowChangedInTheDatabaseChangesItsHoursSum() throws Exception {
        List<Event> events = SampleEvents.activities(20, SampleEvents.T0);
        store.append(events);
        Instant from = SampleEvents.T0;
        Instant until = SampleEvents.T0.plusSeconds(20);
        assertThat(store.sums(EventKind.ACTIVITY, from, until)).isEqualTo(clientSums(events, EventKind.ACTIVITY));

        db.execute("UPDATE " + store.schema() + ".activity_events SET description = 'step 3 ' WHERE description = 'step 3'");
        assertThat(store.sums(EventKind.ACTIVITY, from, until)).isNotEqualTo(clientSums(events, EventKind.ACTIVITY));
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
