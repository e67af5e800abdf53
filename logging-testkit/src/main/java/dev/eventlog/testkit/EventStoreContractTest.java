package dev.eventlog.testkit;

import dev.eventlog.spi.AppendOnlyLog;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventQuery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.eventlog.ActivityEvent;
import dev.eventlog.CustomEvent;
import dev.eventlog.Envelope;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.GitEvent;
import dev.eventlog.RoutingMetricEvent;
import dev.eventlog.SelfHealEvent;
import dev.eventlog.StoreException;
import dev.eventlog.analytics.Analytics;
import dev.eventlog.analytics.EventAnalytics;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.migrate.DualReadValidator;
import dev.eventlog.migrate.Importer;
import dev.eventlog.migrate.MigrationListener;
import dev.eventlog.migrate.MigrationReport;
import dev.eventlog.migrate.Retention;
import dev.eventlog.migrate.RetentionReport;
import dev.eventlog.migrate.VerifyReport;
import dev.eventlog.spi.Expiring;
import dev.eventlog.spi.TimePartitioned;
import java.time.Duration;
import java.util.UUID;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promises every {@link EventStore} keeps, tested once. A store's test class extends this
 * and says how to open the store; each test gets a fresh temporary directory and so a fresh
 * store.
 */
public abstract class EventStoreContractTest {

    /** A fresh directory per test; SQL store tests map it to their own file or schema. */
    @TempDir
    protected Path dir;

    /** The store under test, opened before each test. */
    protected EventStore store;

    /**
     * Opens the store kept in {@code dir}: empty the first time, the same data when called again
     * for the same directory after {@link EventStore#close()}.
     */
    protected abstract EventStore openStore(Path dir);

    /** Whether reads within a kind come in time-then-id order; a JSONL store streams file order. */
    protected boolean readsInTimeOrder() {
        return true;
    }

    /**
     * Whether the store under test declares {@link AppendOnlyLog}: an append then counts every
     * distinct id of its batch as new and the reads skip the repeated ids, so the tests of
     * idempotence check what is read, not what {@code append} returned.
     */
    protected boolean isAppendOnlyLog() {
        return store.capability(AppendOnlyLog.class).isPresent();
    }

    @BeforeEach
    void openFreshStore() {
        store = openStore(dir);
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** Every event of the query, in the store's read order. */
    protected List<Event> readAll(EventQuery query) {
        try (Stream<Event> events = store.read(query)) {
            return events.collect(Collectors.toList());
        }
    }

    private List<Event> readAllSorted() {
        return SampleEvents.sorted(readAll(EventQuery.all()));
    }

    @Test
    void keepsEveryFieldOfEveryKind() {
        List<Event> events = SampleEvents.everyKind();

        assertThat(store.append(events)).isEqualTo(events.size());

        assertThat(readAllSorted()).containsExactlyElementsOf(SampleEvents.sorted(events));
    }

    @Test
    void keepsEveryFieldAfterReopening() {
        List<Event> events = SampleEvents.everyKind();
        store.append(events);
        store.close();

        store = openStore(dir);

        assertThat(readAllSorted()).containsExactlyElementsOf(SampleEvents.sorted(events));
    }

    @Test
    void keepsQuotesSqlMarkupAndUnicodeExactly() {
        List<Event> events = new ArrayList<>();
        Instant t = SampleEvents.T0;
        for (String text : SampleEvents.NASTY_TEXT) {
            t = t.plusMillis(1);
            events.add(GitEvent.builder().ts(t).eventType("commit").repo(text).message(text).author(text)
                    .sessionId(text).source(text).attribute(text.isEmpty() ? "empty" : text, text).build());
        }

        store.append(events);

        assertThat(readAllSorted()).containsExactlyElementsOf(SampleEvents.sorted(events));
    }

    @Test
    void keepsAFourMebibyteText() {
        String big = "x".repeat(4 * 1024 * 1024 - 3) + "end";
        Event event = SelfHealEvent.builder().ts(SampleEvents.T0).errorPattern("huge").success(true)
                .errorMessage(big).build();

        store.append(List.of(event));

        List<Event> read = readAll(EventQuery.of(EventKind.SELF_HEAL));
        assertThat(read).hasSize(1);
        assertThat(((SelfHealEvent) read.get(0)).errorMessage()).hasSize(big.length()).isEqualTo(big);
    }

    @Test
    void keepsTheFirstAndLastValidTimesExactly() {
        List<Instant> times = List.of(Envelope.MIN_TS, Envelope.MIN_TS.plusMillis(1),
                Instant.parse("2001-09-09T01:46:39.999Z"), Instant.parse("2001-09-09T01:46:40Z"),
                Instant.parse("2038-01-19T03:14:08Z"), Envelope.MAX_TS.minusMillis(1), Envelope.MAX_TS);
        List<Event> events = new ArrayList<>();
        for (Instant t : times) {
            events.add(ActivityEvent.builder().ts(t).activityType("boundary").description(t.toString()).build());
        }

        int added = store.append(events);
        List<Event> read = readAllSorted();
        store.close();
        store = openStore(dir);
        List<Event> reread = readAllSorted();

        System.out.printf("boundary times: appended=%d read=%d after reopening=%d%n", added, read.size(),
                reread.size());
        assertThat(added).isEqualTo(times.size());
        assertThat(read).containsExactlyElementsOf(SampleEvents.sorted(events));
        assertThat(reread).extracting(Event::ts).containsExactlyElementsOf(times);
        assertThat(store.count(EventQuery.of(EventKind.ACTIVITY).between(Envelope.MIN_TS, Envelope.MAX_TS)))
                .containsEntry(EventKind.ACTIVITY, (long) times.size() - 1);
    }

    @Test
    void keepsNullOptionalFieldsAsNull() {
        List<Event> events = new ArrayList<>();
        for (EventKind kind : EventKind.values()) {
            events.add(SampleEvents.empty(kind, SampleEvents.T0.plusSeconds(kind.ordinal())));
        }

        store.append(events);

        List<Event> read = readAllSorted();
        assertThat(read).containsExactlyElementsOf(SampleEvents.sorted(events));
        for (Event event : read) {
            assertThat(event.fieldValues()).containsOnlyNulls();
            assertThat(event.attributes()).isEmpty();
            assertThat(event.sessionId()).isNull();
            assertThat(event.source()).isNull();
        }
    }

    @Test
    void keepsAttributesOfEveryJsonShape() {
        Event event = CustomEvent.builder("shapes").ts(SampleEvents.T0).attributes(SampleEvents.jsonAttributes())
                .build();

        store.append(List.of(event));

        List<Event> read = readAll(EventQuery.of(EventKind.CUSTOM));
        assertThat(read).containsExactly(event);
        assertThat(read.get(0).attributes()).isEqualTo(event.attributes());
    }

    @Test
    void appendingTheSameEventsAgainAddsNothing() {
        List<Event> events = SampleEvents.everyKind();
        store.append(events);

        int added = store.append(events);

        // A log writes the events again and counts them; its reads skip the repeated ids.
        assertThat(added).isEqualTo(isAppendOnlyLog() ? events.size() : 0);
        assertThat(readAll(EventQuery.all())).hasSize(events.size());
        assertThat(store.count(EventQuery.all()).values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(events.size());
    }

    @Test
    void aBatchHoldingTheSameIdTwiceStoresItOnce() {
        Event event = SampleEvents.activities(1, SampleEvents.T0).get(0);

        int added = store.append(List.of(event, event));

        assertThat(added).isEqualTo(1);
        assertThat(readAll(EventQuery.of(EventKind.ACTIVITY))).containsExactly(event);
    }

    @Test
    void aBatchMixingNewAndKnownEventsAddsOnlyTheNewOnes() {
        List<Event> events = SampleEvents.activities(10, SampleEvents.T0);
        store.append(events.subList(0, 4));

        int added = store.append(events);

        assertThat(added).isEqualTo(isAppendOnlyLog() ? events.size() : 6);
        assertThat(SampleEvents.sorted(readAll(EventQuery.of(EventKind.ACTIVITY))))
                .containsExactlyElementsOf(events);
    }

    @Test
    void readsOnlyTheHalfOpenTimeRange() {
        List<Event> events = SampleEvents.activities(10, SampleEvents.T0);
        store.append(events);
        EventQuery query = EventQuery.of(EventKind.ACTIVITY)
                .between(SampleEvents.T0.plusSeconds(3), SampleEvents.T0.plusSeconds(7));

        List<Event> read = SampleEvents.sorted(readAll(query));

        assertThat(read).containsExactlyElementsOf(events.subList(3, 7));
        assertThat(store.count(query)).containsEntry(EventKind.ACTIVITY, 4L);
    }

    @Test
    void readsOnlyTheKindsAsked() {
        store.append(SampleEvents.everyKind());

        List<Event> read = readAll(new EventQuery(Set.of(EventKind.GIT, EventKind.TOOL_USE), null, null));

        assertThat(read).extracting(Event::kind).containsExactly(EventKind.GIT, EventKind.TOOL_USE);
    }

    @Test
    void readsWithinAKindInTimeOrder() {
        List<Event> events = new ArrayList<>(SampleEvents.activities(20, SampleEvents.T0));
        java.util.Collections.shuffle(events, new java.util.Random(7));
        store.append(events);

        List<Event> read = readAll(EventQuery.of(EventKind.ACTIVITY));

        if (readsInTimeOrder()) {
            assertThat(read).containsExactlyElementsOf(SampleEvents.sorted(events));
        } else {
            assertThat(read).containsExactlyElementsOf(events);
        }
    }

    @Test
    void countsEveryKindAsked() {
        store.append(SampleEvents.everyKind());
        store.append(SampleEvents.activities(5, SampleEvents.T0.plusSeconds(100)));

        Map<EventKind, Long> counts = store.count(EventQuery.all());

        Map<EventKind, Long> expected = new EnumMap<>(EventKind.class);
        for (EventKind kind : EventKind.values()) {
            expected.put(kind, kind == EventKind.ACTIVITY ? 6L : 1L);
        }
        assertThat(counts).isEqualTo(expected);
    }

    @Test
    void countsZeroForAnEmptyStore() {
        Map<EventKind, Long> counts = store.count(EventQuery.all());

        assertThat(counts).hasSize(EventKind.values().length).allSatisfy((kind, n) -> assertThat(n).isZero());
    }

    @Test
    void storesNulCharactersAsReplacementCharacters() {
        Event event = RoutingMetricEvent.builder().ts(SampleEvents.T0).predictedModel("op\0us")
                .queryText("a\0b").attribute("k\0", "v\0").build();

        store.append(List.of(event));

        RoutingMetricEvent read = (RoutingMetricEvent) readAll(EventQuery.of(EventKind.ROUTING_METRIC)).get(0);
        assertThat(read.predictedModel()).isEqualTo("op\uFFFDus");
        assertThat(read.queryText()).isEqualTo("a\uFFFDb");
        assertThat(read.attributes()).containsEntry("k\uFFFD", "v\uFFFD");
    }

    @Test
    void takesAppendsFromManyThreadsAtOnce() throws Exception {
        int threads = 4;
        int batches = 25;
        int perBatch = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Instant start = SampleEvents.T0.plusSeconds(t * 10_000L);
                results.add(pool.submit(() -> {
                    int added = 0;
                    for (int b = 0; b < batches; b++) {
                        added += store.append(SampleEvents.activities(perBatch, start.plusSeconds(b * perBatch)));
                    }
                    return added;
                }));
            }
            int total = 0;
            for (Future<Integer> result : results) {
                total += result.get();
            }
            assertThat(total).isEqualTo(threads * batches * perBatch);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.count(EventQuery.of(EventKind.ACTIVITY))).containsEntry(EventKind.ACTIVITY,
                (long) threads * batches * perBatch);
    }

    @Test
    void streamsManyEventsAndCanBeClosedEarly() {
        List<Event> events = SampleEvents.activities(5_000, SampleEvents.T0);
        store.append(events);

        try (Stream<Event> stream = store.read(EventQuery.of(EventKind.ACTIVITY))) {
            assertThat(stream.limit(10).count()).isEqualTo(10);
        }
        try (Stream<Event> stream = store.read(EventQuery.of(EventKind.ACTIVITY))) {
            assertThat(stream.count()).isEqualTo(5_000);
        }
    }

    @Test
    void refusesAppendsAfterClose() {
        store.close();
        List<Event> one = List.of(ActivityEvent.builder().activityType("late").build());

        assertThatThrownBy(() -> store.append(one)).isInstanceOf(StoreException.class);
        store = openStore(dir);
        assertThat(readAll(EventQuery.all())).isEmpty();
    }

    /** The analytics of the store under test, computed the way {@link EventAnalytics#of} picks for it. */
    protected Analytics analytics(Instant from, Instant until) {
        return EventAnalytics.of(store).compute(from, until);
    }

    @Test
    void answersTheAnalyticsOfTheLegacySamplesAsExpectedJsonSays() {
        store.append(Samples.events());

        Analytics analytics = analytics(null, null);

        AnalyticsFixtures.assertMatchesExpectedJson(analytics, Samples.expected());
    }

    @Test
    void analyticsAgreeWithAStreamingPassOverTheSameEvents() {
        store.append(Samples.events());
        store.append(AnalyticsFixtures.all(SampleEvents.T0.plus(2, ChronoUnit.DAYS)));
        Instant from = Instant.parse("2026-01-28T06:05:00Z");
        Instant until = Instant.parse("2026-01-28T06:10:00Z");

        AnalyticsFixtures.assertSameFigures(analytics(null, null), EventAnalytics.streaming(store).compute());
        AnalyticsFixtures.assertSameFigures(analytics(from, until), EventAnalytics.streaming(store).compute(from, until));
    }

    /**
     * A store answering from summaries (the SQL stores' per-day summaries: whole days from them,
     * partial days at the edges from the events) gives exactly the streaming pass's figures for
     * ranges with partial days at both ends, open ranges, whole days and ranges within one day; and
     * still after appends into days it already summarised and after removals (by a cut at a month
     * boundary, where a partitioned store drops a whole partition, and by a cut within a day).
     */
    @Test
    void analyticsOfRangesAgreeWithAStreamingPassAfterAppendsIntoSummarisedDaysAndAfterRemovals() {
        Random random = new Random(20_261_203L);
        Instant start = Instant.parse("2026-03-27T00:00:00Z");
        store.append(AnalyticsFixtures.randomEvents(random, start, 9, 700));
        assertRangesAgree(random, start, 9);

        store.append(AnalyticsFixtures.randomEvents(random, start.plus(2, ChronoUnit.DAYS), 4, 300));
        assertRangesAgree(random, start, 9);

        // A partitioned store moves the rows its default partition took into monthly partitions of their own.
        Optional<TimePartitioned> partitioned = store.capability(TimePartitioned.class)
                .filter(p -> p.partitionInterval().isPresent());
        partitioned.ifPresent(TimePartitioned::maintainPartitions);
        assertRangesAgree(random, start, 9);

        Optional<Expiring> expiring = store.capability(Expiring.class);
        if (expiring.isEmpty()) {
            return;
        }
        List<String> changes = new ArrayList<>();
        for (EventKind kind : EventKind.values()) {
            changes.addAll(expiring.get().removeBefore(kind, Instant.parse("2026-04-01T00:00:00Z"), null).changes());
        }
        if (partitioned.isPresent()) {
            assertThat(changes).as("March is dropped as whole partitions").anyMatch(c -> c.startsWith("dropped partition"));
        }
        assertThat(analytics(null, null).counts().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(readAll(EventQuery.all()).size()).isPositive();
        assertRangesAgree(random, start, 9);
        for (EventKind kind : EventKind.values()) {
            expiring.get().removeBefore(kind, Instant.parse("2026-04-02T13:17:00.123Z"), null);
        }
        assertRangesAgree(random, start, 9);
    }

    /** Fixed and random ranges over the {@code days} days from {@code start} agree with the streaming pass. */
    private void assertRangesAgree(Random random, Instant start, int days) {
        List<Instant[]> ranges = new ArrayList<>();
        ranges.add(new Instant[] {null, null});
        ranges.add(new Instant[] {start.plusSeconds(5 * 3600 + 7), start.plus(6, ChronoUnit.DAYS).plusMillis(3_600_001)});
        ranges.add(new Instant[] {null, start.plus(4, ChronoUnit.DAYS).plusMillis(1)});
        ranges.add(new Instant[] {start.plus(2, ChronoUnit.DAYS).minusMillis(1), null});
        ranges.add(new Instant[] {start.plus(1, ChronoUnit.DAYS), start.plus(3, ChronoUnit.DAYS)});
        ranges.add(new Instant[] {start.plusSeconds(3600), start.plusSeconds(7200)});
        long span = days * 86_400_000L;
        for (int i = 0; i < 4; i++) {
            long a = Math.floorMod(random.nextLong(), span);
            long b = Math.floorMod(random.nextLong(), span);
            ranges.add(new Instant[] {start.plusMillis(Math.min(a, b)), start.plusMillis(Math.max(a, b) + 1)});
        }
        for (Instant[] range : ranges) {
            AnalyticsFixtures.assertSameFigures(analytics(range[0], range[1]),
                    EventAnalytics.streaming(store).compute(range[0], range[1]));
        }
    }

    @Test
    void aRateCountsANullFlagAsNotTrueAndANullGroupInTheOverallFigureOnly() {
        Instant t = SampleEvents.T0;
        store.append(AnalyticsFixtures.selfHeals(t));
        store.append(AnalyticsFixtures.recoveries(t));
        store.append(AnalyticsFixtures.routings(t));

        Analytics analytics = analytics(null, null);

        assertThat(analytics.selfHeal().events()).isEqualTo(5);
        assertThat(analytics.selfHeal().successPct()).isCloseTo(60.0, within(1e-9));
        assertThat(analytics.selfHeal().successPctByPattern()).containsOnlyKeys("a", "b");
        assertThat(analytics.selfHeal().successPctByPattern().get("a")).isCloseTo(100.0 / 3, within(1e-9));
        assertThat(analytics.selfHeal().successPctByPattern().get("b")).isEqualTo(100.0);
        assertThat(analytics.selfHeal().countByPattern()).isEqualTo(Map.of("a", 3L, "b", 1L));
        assertThat(analytics.recovery().successPct()).isCloseTo(50.0, within(1e-9));
        assertThat(analytics.recovery().successPctByStrategy()).containsOnlyKeys("retry");
        assertThat(analytics.recovery().successPctByStrategy().get("retry")).isCloseTo(100.0 / 3, within(1e-9));
        assertThat(analytics.routing().accuracyPct()).isCloseTo(60.0, within(1e-9));
        assertThat(analytics.routing().predictedModelCounts()).isEqualTo(Map.of("opus", 3L, "haiku", 1L));
        assertThat(analytics.routing().accuracyPctByPredictedModel().get("opus")).isCloseTo(100.0 / 3, within(1e-9));
        assertThat(analytics.routing().predictedActualCounts())
                .isEqualTo(Map.of("opus", Map.of("opus", 1L, "sonnet", 1L), "haiku", Map.of("haiku", 1L)));
    }

    @Test
    void meansAndSumsSkipNullValues() {
        Instant t = SampleEvents.T0;
        store.append(AnalyticsFixtures.sessions(t));
        store.append(AnalyticsFixtures.recoveries(t));

        Analytics analytics = analytics(null, null);

        assertThat(analytics.sessions().events()).isEqualTo(4);
        assertThat(analytics.sessions().outcomeCounts()).isEqualTo(Map.of("success", 2L, "error", 1L));
        assertThat(analytics.sessions().meanQuality()).isCloseTo(1.75 / 3, within(1e-9));
        assertThat(analytics.sessions().totalCostUsd()).isCloseTo(4.0, within(1e-9));
        assertThat(analytics.recovery().meanTimeToRecoverMs()).isEqualTo(200.0);
    }

    @Test
    void toolDurationPercentilesAreNearestRankOfTheRecordedDurations() {
        store.append(AnalyticsFixtures.tools(SampleEvents.T0));

        Analytics.Tools tools = analytics(null, null).tools();

        assertThat(tools.events()).isEqualTo(25);
        assertThat(tools.countByTool()).isEqualTo(Map.of("Bash", 21L, "Read", 2L, "Grep", 1L));
        assertThat(tools.successPctByTool().get("Bash")).isCloseTo(100.0 * 19 / 21, within(1e-9));
        assertThat(tools.successPctByTool().get("Grep")).isEqualTo(0.0);
        assertThat(tools.durationP50MsByTool()).isEqualTo(Map.of("Bash", 10L, "Read", 100L));
        assertThat(tools.durationP95MsByTool()).isEqualTo(Map.of("Bash", 19L, "Read", 300L));
    }

    @Test
    void countsGitCommitsPerRepositoryAndNothingElse() {
        store.append(AnalyticsFixtures.gits(SampleEvents.T0));

        Analytics.Git git = analytics(null, null).git();

        assertThat(git.commits()).isEqualTo(3);
        assertThat(git.commitsByRepo()).isEqualTo(Map.of("a", 2L));
    }

    @Test
    void analyticsCoverOnlyTheHalfOpenTimeRangeAndCountPerUtcDay() {
        Instant midnight = Instant.parse("2026-01-29T00:00:00Z");
        Instant until = midnight.plus(1, ChronoUnit.DAYS);
        store.append(List.of(
                AnalyticsFixtures.eventWith(EventKind.SELF_HEAL, midnight.minusMillis(1), "error_pattern", "early", "success", true),
                AnalyticsFixtures.eventWith(EventKind.SELF_HEAL, midnight, "error_pattern", "x", "success", true),
                AnalyticsFixtures.eventWith(EventKind.SELF_HEAL, midnight.plusSeconds(3600), "error_pattern", "x", "success", false),
                AnalyticsFixtures.eventWith(EventKind.SELF_HEAL, until.minusMillis(1), "error_pattern", "x", "success", false),
                AnalyticsFixtures.eventWith(EventKind.SELF_HEAL, until, "error_pattern", "late", "success", true)));
        store.append(SampleEvents.activities(2, midnight.minusSeconds(1)));

        Analytics inRange = analytics(midnight, until);
        Analytics everything = analytics(null, null);

        assertThat(inRange.from()).isEqualTo(midnight);
        assertThat(inRange.until()).isEqualTo(until);
        assertThat(inRange.selfHeal().events()).isEqualTo(3);
        assertThat(inRange.selfHeal().countByPattern()).isEqualTo(Map.of("x", 3L));
        assertThat(inRange.selfHeal().successPct()).isCloseTo(100.0 / 3, within(1e-9));
        assertThat(inRange.counts()).containsEntry(EventKind.SELF_HEAL, 3L).containsEntry(EventKind.ACTIVITY, 1L);
        assertThat(inRange.countsByDay()).isEqualTo(Map.of(LocalDate.parse("2026-01-29"),
                Map.of(EventKind.SELF_HEAL, 3L, EventKind.ACTIVITY, 1L)));
        assertThat(everything.countsByDay()).isEqualTo(Map.of(
                LocalDate.parse("2026-01-28"), Map.of(EventKind.SELF_HEAL, 1L, EventKind.ACTIVITY, 1L),
                LocalDate.parse("2026-01-29"), Map.of(EventKind.SELF_HEAL, 3L, EventKind.ACTIVITY, 1L),
                LocalDate.parse("2026-01-30"), Map.of(EventKind.SELF_HEAL, 1L)));
        assertThat(everything.total()).isEqualTo(7);
    }

    @Test
    void analyticsOfAnEmptyStoreHaveNoRatesNoMeansAndEmptyMaps() {
        Analytics analytics = analytics(null, null);

        assertThat(analytics.total()).isZero();
        assertThat(analytics.counts()).hasSize(EventKind.values().length);
        assertThat(analytics.countsByDay()).isEmpty();
        assertThat(analytics.routing().accuracyPct()).isNull();
        assertThat(analytics.selfHeal().successPct()).isNull();
        assertThat(analytics.recovery().successPct()).isNull();
        assertThat(analytics.recovery().meanTimeToRecoverMs()).isNull();
        assertThat(analytics.sessions().meanQuality()).isNull();
        assertThat(analytics.sessions().totalCostUsd()).isZero();
        assertThat(analytics.tools().successPctByTool()).isEmpty();
        assertThat(analytics.tools().durationP50MsByTool()).isEmpty();
        assertThat(analytics.git().commitsByRepo()).isEmpty();
    }

    @Test
    void describesItselfWithoutAPassword() {
        assertThat(store.describe()).isNotBlank().doesNotContainIgnoringCase("password=");
    }

    /** The store's time a retention test measures ages from: 200 days after the sample events. */
    private static final Instant RETENTION_NOW = SampleEvents.T0.plus(Duration.ofDays(200));

    /** One event of every kind 30 days after the samples: younger than 180 days at {@link #RETENTION_NOW}. */
    private static List<Event> youngEvents() {
        List<Event> young = new ArrayList<>();
        for (EventKind kind : EventKind.values()) {
            young.add(SampleEvents.empty(kind, SampleEvents.T0.plus(Duration.ofDays(30)).plusMillis(kind.ordinal())));
        }
        return young;
    }

    private static Map<EventKind, Duration> every(Duration age) {
        Map<EventKind, Duration> ages = new EnumMap<>(EventKind.class);
        for (EventKind kind : EventKind.values()) {
            ages.put(kind, age);
        }
        return ages;
    }

    /**
     * True, once the refusal is checked, when the store under test cannot remove events. Only a
     * store that declares {@link AppendOnlyLog} may lack {@link Expiring} (a log keeps its records
     * until its own retention drops them); retention then refuses with a
     * {@link dev.eventlog.ConfigurationException} that names the store, writes no archive and
     * leaves every stored event in place.
     */
    private boolean refusesRetentionAsAnAppendOnlyLog(Path archive) {
        if (store.capability(Expiring.class).isPresent()) {
            return false;
        }
        assertThat(isAppendOnlyLog()).as("only an append-only log may lack Expiring").isTrue();
        int before = readAll(EventQuery.all()).size();
        assertThatThrownBy(() -> Retention.run(store,
                new Retention.Plan(every(Duration.ofDays(180)), archive, false, false, RETENTION_NOW),
                MigrationListener.NONE))
                .isInstanceOf(dev.eventlog.ConfigurationException.class)
                .hasMessageContaining("cannot remove events");
        assertThat(archive).doesNotExist();
        assertThat(readAll(EventQuery.all())).hasSize(before);
        return true;
    }

    @Test
    void retentionArchivesTheOldEventsExactlyThenRemovesThemAndNothingElse() {
        List<Event> old = SampleEvents.everyKind();
        List<Event> young = youngEvents();
        store.append(old);
        store.append(young);
        Path archive = dir.resolve("archive");
        if (refusesRetentionAsAnAppendOnlyLog(archive)) {
            return;
        }

        RetentionReport report = Retention.run(store,
                new Retention.Plan(every(Duration.ofDays(180)), archive, false, false, RETENTION_NOW),
                MigrationListener.NONE);

        assertThat(report.removed()).isEqualTo(old.size());
        assertThat(report.kinds()).allSatisfy(k -> {
            assertThat(k.older()).isEqualTo(1);
            assertThat(k.archived()).isEqualTo(1);
            assertThat(k.removed()).isEqualTo(1);
            assertThat(k.archive()).exists().hasFileName(k.kind().fileName());
        });
        assertThat(readAllSorted()).containsExactlyElementsOf(SampleEvents.sorted(young));
        // The archive, imported back as any JSONL file is, holds the removed events exactly.
        try (JsonlEventStore imported = JsonlEventStore.open(dir.resolve("imported"));
                JsonlEventStore expected = JsonlEventStore.open(dir.resolve("expected"))) {
            MigrationReport back = Importer.builder().target(imported).input(archive)
                    .stateDirectory(dir.resolve("import-state")).build().run();
            assertThat(back.ok()).isTrue();
            expected.append(old);
            VerifyReport same = DualReadValidator.compare(expected, imported);
            assertThat(same.kinds()).allSatisfy(k -> assertThat(k.sourceDigest()).isEqualTo(k.targetDigest()));
            assertThat(same.identical()).isTrue();
            for (RetentionReport.KindRetention kind : report.kinds()) {
                VerifyReport.KindComparison compared = same.kinds().stream().filter(c -> c.kind() == kind.kind())
                        .findFirst().orElseThrow();
                assertThat(kind.digest()).as(kind.kind().key()).isEqualTo(compared.targetDigest());
            }
        }
    }

    @Test
    void retentionRunTwiceRemovesNothingMoreAndWritesNoEventTwice() throws Exception {
        store.append(SampleEvents.everyKind());
        Path archive = dir.resolve("archive");
        if (refusesRetentionAsAnAppendOnlyLog(archive)) {
            return;
        }
        Retention.Plan plan = new Retention.Plan(every(Duration.ofDays(180)), archive, false, false, RETENTION_NOW);
        Retention.run(store, plan, MigrationListener.NONE);
        Map<EventKind, String> first = new EnumMap<>(EventKind.class);
        for (EventKind kind : EventKind.values()) {
            first.put(kind, java.nio.file.Files.readString(archive.resolve(kind.fileName())));
        }

        RetentionReport again = Retention.run(store, plan, MigrationListener.NONE);

        assertThat(again.removed()).isZero();
        for (EventKind kind : EventKind.values()) {
            assertThat(java.nio.file.Files.readString(archive.resolve(kind.fileName()))).isEqualTo(first.get(kind));
        }
    }

    @Test
    void aRetentionDryRunCountsAndChangesNothing() {
        List<Event> old = SampleEvents.everyKind();
        store.append(old);
        store.append(youngEvents());
        Path archive = dir.resolve("archive");
        if (refusesRetentionAsAnAppendOnlyLog(archive)) {
            assertThatThrownBy(() -> Retention.run(store,
                    new Retention.Plan(every(Duration.ofDays(180)), archive, false, true, RETENTION_NOW),
                    MigrationListener.NONE)).isInstanceOf(dev.eventlog.ConfigurationException.class);
            return;
        }

        RetentionReport report = Retention.run(store,
                new Retention.Plan(every(Duration.ofDays(180)), archive, false, true, RETENTION_NOW),
                MigrationListener.NONE);

        assertThat(report.dryRun()).isTrue();
        assertThat(report.kinds()).allSatisfy(k -> assertThat(k.older()).isEqualTo(1));
        assertThat(report.removed()).isZero();
        assertThat(archive).doesNotExist();
        assertThat(readAll(EventQuery.all())).hasSize(old.size() + EventKind.values().length);
    }

    @Test
    void retentionOfOneKindLeavesTheOthers() {
        List<Event> old = SampleEvents.everyKind();
        store.append(old);
        if (refusesRetentionAsAnAppendOnlyLog(dir.resolve("archive"))) {
            return;
        }

        RetentionReport report = Retention.run(store, new Retention.Plan(Map.of(EventKind.TOOL_USE,
                Duration.ofDays(180)), dir.resolve("archive"), false, false, RETENTION_NOW), MigrationListener.NONE);

        assertThat(report.removed()).isEqualTo(1);
        assertThat(readAll(EventQuery.all())).hasSize(old.size() - 1)
                .noneMatch(e -> e.kind() == EventKind.TOOL_USE);
        assertThat(dir.resolve("archive").resolve(EventKind.SELF_HEAL.fileName())).doesNotExist();
    }

    @Test
    void aRemovalTakesOnlyTheArchivedEventsBeforeTheCut() {
        Instant start = SampleEvents.T0;
        List<Event> events = SampleEvents.activities(10, start);
        store.append(events);
        if (refusesRetentionAsAnAppendOnlyLog(dir.resolve("archive"))) {
            return;
        }
        Set<UUID> archivedIds = Set.of(events.get(0).id(), events.get(1).id(), events.get(7).id());
        Expiring.Archived archived = new Expiring.Archived() {
            @Override
            public boolean contains(UUID id) {
                return archivedIds.contains(id);
            }

            @Override
            public long count(Instant from, Instant until) {
                return events.stream().filter(e -> archivedIds.contains(e.id()) && !e.ts().isBefore(from)
                        && e.ts().isBefore(until)).count();
            }
        };
        Expiring expiring = store.capability(Expiring.class).orElseThrow();

        Expiring.Removal removal = expiring.removeBefore(EventKind.ACTIVITY, start.plusSeconds(5), archived);

        assertThat(removal.rows()).as("event 7 is archived but not before the cut").isEqualTo(2);
        assertThat(readAll(EventQuery.of(EventKind.ACTIVITY)).stream().map(Event::id).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(events.subList(2, 10).stream().map(Event::id).toList());
        assertThat(expiring.removeBefore(EventKind.ACTIVITY, start.plusSeconds(5), null).rows()).isEqualTo(3);
        assertThat(readAll(EventQuery.of(EventKind.ACTIVITY))).hasSize(5);
    }
}
