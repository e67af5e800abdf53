package dev.eventlog.testkit;

import static dev.eventlog.testkit.SessionFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.analytics.AgentUsage;
import dev.eventlog.analytics.SessionAnalytics;
import dev.eventlog.analytics.SessionQuality;
import dev.eventlog.analytics.SessionReport;
import dev.eventlog.analytics.SessionSummary;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.Expiring;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session questions (README, "Sessions") as every store must answer them: the same figures
 * from SQLite, PostgreSQL and JSONL, by the definitions, on {@link SessionFixtures}' edge cases and
 * on the legacy {@link Samples}. A store's test class extends this and says how to open the store;
 * the answers come from {@link SessionAnalytics#of}, so a SQL store is tested through its views.
 */
public abstract class SessionAnalyticsContractTest {
    /** Every fixture session, latest first, as worked out by hand. */
    static final List<SessionSummary> EXPECTED = List.of(
            new SessionSummary("s-none", at(10_000), at(10_000), 1, 0, 0, null, 0, null, null, null, null, null, null,
                    null),
            new SessionSummary("s-one", at(10_000), at(10_000), 1, 0, 0, null, 0, "success", null, null, null, null,
                    null, 100.0),
            new SessionSummary("s-mid2", at(8000), at(8002), 3, 3, 0, 1.0, 3, null, null, null, null, null,
                    "Read>Edit>Bash", 100.0),
            new SessionSummary("s-mid", at(7000), at(7004), 5, 3, 1, 2.0 / 3, 3, "partial", 0.6, null, null, null,
                    "Read>Edit>Bash", 59.2),
            new SessionSummary("s-low", at(6000), at(6002), 3, 2, 2, 0.0, 1, "error", -0.5, null, null, null, "Bash",
                    0.0),
            new SessionSummary("s-long", at(5000), at(5006), 7, 7, 0, 1.0, 6, null, null, null, null, null,
                    "A>B>A>C>D", 100.0),
            new SessionSummary("s-nulls", at(4000), at(4100), 2, 1, 0, null, 0, null, null, null, null, null, null,
                    null),
            new SessionSummary("s-ties", at(-5000), at(3600), 10, 5, 1, 0.75, 3, "partial", 1.4, 0.5, "m1", 12L,
                    "Read>Bash>Edit", 72.5));

    /** A fresh directory per test; SQL store tests map it to their own file or schema. */
    @TempDir
    protected Path dir;

    /** The store under test, opened before each test. */
    protected EventStore store;

    /** Opens an empty store kept in {@code dir}. */
    protected abstract EventStore openStore(Path dir);

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

    /** The analytics under test: the store's own. */
    protected SessionAnalytics sessions() {
        return SessionAnalytics.of(store);
    }

    @Test
    void summarisesEverySessionAsTheDefinitionsSay() {
        store.append(SessionFixtures.events());

        List<SessionSummary> all = sessions().sessions(null, null, 0);

        System.out.printf("%s: %d sessions listed, expected %d%n", store.describe(), all.size(), EXPECTED.size());
        assertThat(all).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void ordersSessionIdsOfOneTimeByCodePointAsTheDatabasesDo() {
        // U+FF21 sorts before U+1F600 by code point (and UTF-8 bytes), after it by UTF-16 units.
        List<String> ids = List.of("s-\uD83D\uDE00", "s-\uFF21", "s-B", "s-a");
        for (String id : ids) {
            store.append(List.of(new dev.eventlog.ActivityEvent(new dev.eventlog.Envelope(
                    dev.eventlog.Ids.next(at(0).toEpochMilli()), at(0), id, null, java.util.Map.of()), "edit", null,
                    null)));
        }

        List<String> listed = sessions().sessions(null, null, 0).stream().map(SessionSummary::sessionId).toList();

        System.out.println("listed " + listed);
        assertThat(listed).containsExactly("s-B", "s-a", "s-\uFF21", "s-\uD83D\uDE00");
    }

    @Test
    void summarisesOneSessionByItsIdAndAnUnknownIdAsEmpty() {
        store.append(SessionFixtures.events());

        SessionSummary ties = sessions().session("s-ties").orElseThrow();

        System.out.printf("s-ties: %d events, %d tool calls, workflow %s, score %s%n", ties.events(), ties.toolCalls(),
                ties.workflow(), ties.successScore());
        assertThat(ties).isEqualTo(EXPECTED.get(EXPECTED.size() - 1));
        assertThat(sessions().session("s-nulls")).contains(EXPECTED.get(6));
        assertThat(sessions().session("no-such-session")).isEmpty();
    }

    @Test
    void namesTheToolsThatFailedInASession() {
        store.append(SessionFixtures.events());

        assertThat(sessions().failingTools("s-ties")).containsExactly("Edit");
        assertThat(sessions().failingTools("s-low")).containsExactly("Bash");
        assertThat(sessions().failingTools("s-mid2")).isEmpty();
        assertThat(sessions().failingTools("no-such-session")).isEmpty();
    }

    @Test
    void listsLatestFirstThenByIdAndStopsAtTheLimit() {
        store.append(SessionFixtures.events());

        List<SessionSummary> top = sessions().sessions(null, null, 3);

        assertThat(top).extracting(SessionSummary::sessionId).containsExactly("s-none", "s-one", "s-mid2");
    }

    @Test
    void listsOnlySessionsWhoseLastEventIsInTheHalfOpenRange() {
        store.append(SessionFixtures.events());

        List<SessionSummary> inRange = sessions().sessions(at(5000), at(8002), 0);
        SessionQuality quality = sessions().quality(at(5000), at(8002));

        System.out.printf("in range: %d sessions, %d scored%n", inRange.size(), quality.scored());
        // s-long's first event is at the lower bound, s-mid2's last at the upper (excluded) one.
        assertThat(inRange).extracting(SessionSummary::sessionId).containsExactly("s-mid", "s-low", "s-long");
        SessionFixtures.assertSameQuality(quality, new SessionQuality(3, 3, 159.2 / 3, 59.2, 100.0, 1, 1, 1));
        assertThat(sessions().workflows(at(5000), at(8002))).extracting(w -> w.workflow() + "=" + w.sessions())
                .containsExactly("A>B>A>C>D=1", "Bash=1", "Read>Edit>Bash=1");
    }

    @Test
    void countsWorkflowPatternsMostSessionsFirstWithTheirMeanScore() {
        store.append(SessionFixtures.events());

        SessionFixtures.assertSameWorkflows(sessions().workflows(null, null), SessionFixtures.WORKFLOWS);
    }

    @Test
    void countsAgentUsagePerAgentIdOfTheCoordinatorEventsInRange() {
        store.append(SessionFixtures.events());

        List<AgentUsage> all = sessions().agents(null, null);
        List<AgentUsage> late = sessions().agents(at(7004), null);

        System.out.printf("agents: %d over all time, %d from T+7004ms%n", all.size(), late.size());
        assertThat(all).isEqualTo(SessionFixtures.AGENTS);
        assertThat(late).containsExactly(new AgentUsage("coder", 1, java.util.Map.of(), null, 0),
                new AgentUsage("planner", 2, java.util.Map.of("fail", 1L, "spawn", 1L), 250.0, 1));
    }

    @Test
    void scoresQualityWithMeanMedianNearestRankP90AndTiers() {
        store.append(SessionFixtures.events());

        SessionQuality quality = sessions().quality(null, null);

        System.out.printf("quality: %d sessions, %d scored, median %s, p90 %s%n", quality.sessions(), quality.scored(),
                quality.median(), quality.p90());
        SessionFixtures.assertSameQuality(quality, SessionFixtures.QUALITY);
    }

    @Test
    void answersAsAStreamingPassOverTheFixturesAndTheLegacySamples() {
        store.append(SessionFixtures.events());
        store.append(Samples.events());
        long sampleSessions = Samples.events().stream().map(Event::sessionId).filter(Objects::nonNull).distinct().count();

        SessionReport own = sessions().report(null, null, 0);
        SessionReport streamed = SessionAnalytics.streaming(store).report(null, null, 0);
        SessionReport range = sessions().report(at(5000), SampleEvents.T0.plusSeconds(86_400 * 40L), 10);

        System.out.printf("%s: %d sessions (%d from the samples), %d workflows, %d agents, %d scored%n",
                store.describe(), own.sessions().size(), sampleSessions, own.workflows().size(), own.agents().size(),
                own.quality().scored());
        assertThat(own.sessions()).hasSize(EXPECTED.size() + (int) sampleSessions);
        SessionFixtures.assertSameReport(own, streamed);
        SessionFixtures.assertSameReport(range,
                SessionAnalytics.streaming(store).report(at(5000), SampleEvents.T0.plusSeconds(86_400 * 40L), 10));
    }

    /**
     * Whatever the order of the events, the batches they come in and the events sent again (a
     * store that keeps per-session figures as rows arrive must get every one of these right), the
     * answers must be those of a streaming pass over what is stored.
     */
    @Test
    void givesTheSameFiguresWhateverTheOrderBatchesAndRepeatsOfTheAppends() {
        List<Event> events = new ArrayList<>(SessionFixtures.events());
        events.addAll(Samples.events());
        events.addAll(SessionFixtures.tangled(60, 7));
        Random random = new Random(11);
        Collections.shuffle(events, random);
        appendInBatches(events, random);
        List<Event> again = new ArrayList<>(events.subList(0, events.size() / 2));
        Collections.shuffle(again, random);
        appendInBatches(again, random);
        store.append(events);

        SessionReport own = sessions().report(null, null, 0);
        SessionReport streamed = SessionAnalytics.streaming(store).report(null, null, 0);

        long ids = events.stream().map(Event::sessionId).filter(Objects::nonNull).distinct().count();
        System.out.printf("%s: %d events in shuffled batches, half sent twice, all sent a third time: %d sessions,"
                + " %d workflows%n", store.describe(), events.size(), own.sessions().size(), own.workflows().size());
        assertThat(own.sessions()).hasSize((int) ids);
        SessionFixtures.assertSameReport(own, streamed);
        assertThat(own.sessions()).filteredOn(s -> s.sessionId().equals("s-ties")).containsExactly(EXPECTED.get(7));
    }

    /**
     * A store that keeps its session figures between questions must not answer from figures older
     * than its events: events appended after a first answer, to old and new sessions, are in the next.
     */
    @Test
    void answersWithTheEventsAppendedAfterAnEarlierAnswer() {
        store.append(SessionFixtures.events());
        SessionReport first = sessions().report(null, null, 0);

        store.append(SessionFixtures.later());
        SessionReport second = sessions().report(null, null, 0);
        List<SessionSummary> top = sessions().sessions(null, null, 2);

        System.out.printf("%s: %d sessions before the late events, %d after; s-none now %s%n", store.describe(),
                first.sessions().size(), second.sessions().size(), top.get(1));
        assertThat(first.sessions()).containsExactlyElementsOf(EXPECTED);
        assertThat(top).extracting(SessionSummary::sessionId).containsExactly("s-new", "s-none");
        assertThat(top.get(1)).isEqualTo(new SessionSummary("s-none", at(10_000), at(11_002), 4, 2, 1, 0.5, 2,
                "success", null, null, null, null, "Grep>Read", 73.3));
        assertThat(second.quality().sessions()).isEqualTo(EXPECTED.size() + 1);
        SessionFixtures.assertSameReport(second, SessionAnalytics.streaming(store).report(null, null, 0));
    }

    /**
     * Removing old events ({@link Expiring}) changes the sessions they belonged to: a session all of
     * whose events are gone leaves the answers, one that lost its first events is summarised from
     * the rest.
     */
    @Test
    void answersWithoutTheEventsThatRetentionRemoved() {
        store.append(SessionFixtures.events());
        assertThat(sessions().report(null, null, 0).sessions()).containsExactlyElementsOf(EXPECTED);
        Expiring expiring = store.capability(Expiring.class).orElseThrow(() -> new AssertionError(
                store.describe() + " must remove old events (Expiring) for this contract"));

        for (EventKind kind : EventKind.values()) {
            expiring.removeBefore(kind, at(5003), null);
        }
        SessionReport after = sessions().report(null, null, 0);

        System.out.printf("%s: after removing the events before T+5003ms: %s%n", store.describe(),
                after.sessions().stream().map(s -> s.sessionId() + "=" + s.workflow()).toList());
        assertThat(after.sessions()).extracting(SessionSummary::sessionId)
                .containsExactly("s-none", "s-one", "s-mid2", "s-mid", "s-low", "s-long");
        assertThat(after.sessions().get(5)).isEqualTo(new SessionSummary("s-long", at(5003), at(5006), 4, 4, 0, 1.0, 4,
                null, null, null, null, null, "C>D>E>F", 100.0));
        SessionFixtures.assertSameReport(after, SessionAnalytics.streaming(store).report(null, null, 0));
    }

    /**
     * Several writers append to old and new sessions while the questions are asked; once the writers are done the answer is the streaming pass's over what is stored.
     */
    @Test
    void answersLikeAStreamingPassAfterConcurrentWritersWhileQuestionsWereAsked() throws Exception {
        store.append(SessionFixtures.events());
        List<Event> events = new ArrayList<>(SessionFixtures.tangled(80, 23));
        events.addAll(SessionFixtures.later());
        Collections.shuffle(events, new Random(5));
        int writers = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                List<Event> share = new ArrayList<>();
                for (int i = w; i < events.size(); i += writers) {
                    share.add(events.get(i));
                }
                done.add(pool.submit(() -> {
                    Random random = new Random(share.size());
                    for (int from = 0; from < share.size(); ) {
                        int to = Math.min(share.size(), from + 1 + random.nextInt(12));
                        store.append(share.subList(from, to));
                        from = to;
                    }
                    return null;
                }));
            }
            int asked = 0;
            while (done.stream().anyMatch(f -> !f.isDone()) || asked < 3) {
                SessionReport meanwhile = sessions().report(null, null, 0);
                assertThat(meanwhile.sessions().size()).isBetween(EXPECTED.size(), EXPECTED.size() + 80 + 1);
                asked++;
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
            SessionReport own = sessions().report(null, null, 0);
            SessionReport streamed = SessionAnalytics.streaming(store).report(null, null, 0);

            System.out.printf("%s: %d writers, %d questions asked meanwhile; %d sessions at the end%n",
                    store.describe(), writers, asked, own.sessions().size());
            assertThat(own.sessions()).hasSize(EXPECTED.size() + 80 + 1);
            SessionFixtures.assertSameReport(own, streamed);
        } finally {
            pool.shutdownNow();
        }
    }

    private void appendInBatches(List<Event> events, Random random) {
        for (int from = 0; from < events.size(); ) {
            int to = Math.min(events.size(), from + 1 + random.nextInt(40));
            store.append(events.subList(from, to));
            from = to;
        }
    }

    @Test
    void anEmptyStoreHasNoSessionsAndNoScores() {
        SessionReport report = sessions().report(null, null, 0);

        assertThat(report.sessions()).isEmpty();
        assertThat(report.workflows()).isEmpty();
        assertThat(report.agents()).isEmpty();
        assertThat(report.quality()).isEqualTo(new SessionQuality(0, 0, null, null, null, 0, 0, 0));
    }
}
