package dev.eventlog.postgres;

import dev.eventlog.testkit.TestDatabase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.ActivityEvent;
import dev.eventlog.CustomEvent;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.GitEvent;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.SampleEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Appends of every size: small batches take multi-row VALUES, large ones COPY through a staging
 * table; both must keep every value exactly and count only new rows.
 */
class PostgresAppendTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final int SMALL = 3;
    private static final int LARGE = RowWriter.COPY_FROM_ROWS + 5;

    private PostgresEventStore store;
    private String schema;

    @BeforeEach
    void openStore() {
        schema = db.newSchemaName();
        store = PostgresEventStore.open(db.url(schema));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @ParameterizedTest(name = "batches of {0}")
    @ValueSource(ints = {SMALL, LARGE})
    void keepsTextThatNeedsEscapingExactly(int batchSize) {
        List<Event> events = new ArrayList<>();
        Instant t = SampleEvents.T0;
        List<String> texts = new ArrayList<>(SampleEvents.NASTY_TEXT);
        texts.addAll(List.of("\\N", "back\\slash\\", "\\t not a tab", "tab\tnewline\ncr\r", "\\.", "a\\u0000b",
                "\u0001\u001f control", "\uFFFF\uFFFE", "\uD83D\uDE80 surrogate pair"));
        while (events.size() < batchSize) {
            for (String text : texts) {
                t = t.plusMillis(1);
                events.add(GitEvent.builder().ts(t).eventType(text).repo(text).message(text).author(text)
                        .sessionId(text).source(text).attribute(text.isEmpty() ? "empty" : text, text)
                        .attribute("nested", Map.of("list", List.of(text, text))).build());
            }
        }

        assertThat(store.append(events)).isEqualTo(events.size());

        assertThat(readAll(EventQuery.of(EventKind.GIT))).containsExactlyElementsOf(SampleEvents.sorted(events));
    }

    @ParameterizedTest(name = "batches of {0}")
    @ValueSource(ints = {SMALL, LARGE})
    void readsAttributeNumbersBackAsTheSameJavaValues(int batchSize) {
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("whole double", 123_456_789.0);
        numbers.put("large whole double", 1.0e15);
        numbers.put("huge double", 1.0e300);
        numbers.put("tiny double", 4.9e-324);
        numbers.put("small double", 1.0e-7);
        numbers.put("negative", -2.5e10);
        numbers.put("long", Long.MAX_VALUE);
        numbers.put("negative long", Long.MIN_VALUE);
        numbers.put("list", List.of(1.0e20, 7L, 0.1));
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < batchSize; i++) {
            events.add(CustomEvent.builder("numbers").ts(SampleEvents.T0.plusSeconds(i)).attributes(numbers).build());
        }

        store.append(events);

        List<Event> read = readAll(EventQuery.of(EventKind.CUSTOM));
        assertThat(read).hasSize(batchSize);
        assertThat(read).allSatisfy(event -> assertThat(event.attributes()).isEqualTo(events.get(0).attributes()));
    }

    @ParameterizedTest(name = "batches of {0}")
    @ValueSource(ints = {SMALL, LARGE})
    void storesNulCharactersInNestedAttributesAsReplacementCharacters(int batchSize) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < batchSize; i++) {
            events.add(ToolUseEvent.builder().ts(SampleEvents.T0.plusSeconds(i)).toolName("to\0ol").success(true)
                    .filePaths(List.of("a\0b")).attribute("outer", Map.of("in\0ner", List.of("x\0y"))).build());
        }

        store.append(events);

        ToolUseEvent read = (ToolUseEvent) readAll(EventQuery.of(EventKind.TOOL_USE)).get(0);
        assertThat(read.toolName()).isEqualTo("to\uFFFDol");
        assertThat(read.filePaths()).containsExactly("a\uFFFDb");
        assertThat(read.attributes()).isEqualTo(Map.of("outer", Map.of("in\uFFFDner", List.of("x\uFFFDy"))));
    }

    @ParameterizedTest(name = "batches of {0}")
    @ValueSource(ints = {SMALL, LARGE})
    void countsOnlyNewRowsWhenABatchRepeatsIdsAndMixesKnownOnes(int batchSize) {
        List<Event> known = SampleEvents.activities(batchSize, SampleEvents.T0);
        List<Event> fresh = SampleEvents.activities(batchSize, SampleEvents.T0.plusSeconds(batchSize));
        store.append(known);
        List<Event> batch = new ArrayList<>(fresh);
        batch.addAll(known);
        batch.addAll(fresh);

        int added = store.append(batch);

        assertThat(added).isEqualTo(fresh.size());
        assertThat(store.count(EventQuery.of(EventKind.ACTIVITY)))
                .containsEntry(EventKind.ACTIVITY, (long) known.size() + fresh.size());
    }

    @ParameterizedTest(name = "batches of {0}")
    @ValueSource(ints = {SMALL, LARGE})
    void keepsEveryTimeOfTheValidRangeExactlyAndNoOtherTimeReachesIt(int batchSize) {
        List<Instant> times = List.of(Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("1970-01-01T00:00:00.001Z"),
                Instant.parse("2001-09-09T01:46:40Z"), Instant.parse("2038-01-19T03:14:08Z"),
                Instant.parse("9999-12-31T23:59:59.998Z"), Instant.parse("9999-12-31T23:59:59.999Z"));
        List<Event> events = new ArrayList<>();
        for (int i = 0; events.size() < Math.max(batchSize, times.size()); i++) {
            events.add(ActivityEvent.builder().ts(times.get(i % times.size())).activityType("t" + i).build());
        }
        // Times PostgreSQL could keep but SQLite or JSONL could not give back alike are refused when made.
        for (String outside : List.of("-0099-03-01T12:00:00.001Z", "0001-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z",
                "+10000-01-01T00:00:00Z", "+200000-07-04T01:02:03.004Z")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ActivityEvent.builder()
                    .ts(Instant.parse(outside)).activityType("t").build())
                    .isExactlyInstanceOf(dev.eventlog.InvalidEventException.class)
                    .hasMessageStartingWith("ts was");
        }

        store.append(events);

        assertThat(readAll(EventQuery.of(EventKind.ACTIVITY))).containsExactlyElementsOf(SampleEvents.sorted(events));
    }

    @Test
    void aLargeBatchOfEveryKindGoesInOneTransaction() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < LARGE; i++) {
            events.addAll(SampleEvents.everyKind());
        }
        // The last event breaks a constraint, so nothing of the batch may stay.
        db.execute("ALTER TABLE " + schema + ".activity_events ADD CONSTRAINT refuses_far CHECK (activity_type <> 'far')");
        List<Event> broken = new ArrayList<>(events);
        broken.add(ActivityEvent.builder().ts(SampleEvents.T0).activityType("far").build());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.append(broken))
                .isInstanceOf(dev.eventlog.StoreException.class);
        assertThat(store.count(EventQuery.all()).values()).containsOnly(0L);

        assertThat(store.append(events)).isEqualTo(events.size());
        assertThat(readAll(EventQuery.all())).containsExactlyElementsOf(SampleEvents.sorted(events));
    }

    private List<Event> readAll(EventQuery query) {
        try (Stream<Event> events = store.read(query)) {
            return events.toList();
        }
    }
}
