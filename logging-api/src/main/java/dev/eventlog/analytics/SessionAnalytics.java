package dev.eventlog.analytics;

import dev.eventlog.spi.EventStore;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Answers the session questions of the README's "Sessions" section: one session's summary, the
 * list of sessions, the workflow patterns, the agents and the quality of the success scores.
 *
 * <p>A <b>session</b> is the set of events, of any kind, that share one non-null
 * {@code session_id}, ordered by time, then id. A session belongs to a time range
 * {@code [from, until)} (a {@code null} bound is open) when its <em>last</em> event's time is in
 * it; its summary always covers all its events. Agent usage counts the {@code coordinator} events
 * whose own time is in the range. See {@link SessionSummary} for each figure and
 * {@link SessionScore} for the success score.
 *
 * <p>Every store gives the same values: counts, times, workflows, scores, medians and
 * percentiles exactly; means of scores may differ in the last bits, as stores add them in a
 * different order. Implementations are thread-safe when their store is. Every method throws
 * {@link dev.eventlog.StoreException} when the store cannot be read.
 */
public interface SessionAnalytics {

    /** The summary of session {@code sessionId}, or empty when no event carries that id. */
    Optional<SessionSummary> session(String sessionId);

    /**
     * The sessions whose last event is in {@code [from, until)}, ordered by last event time
     * descending, then session id ascending by code point (UTF-8 byte order, as SQLite and
     * PostgreSQL's {@code "C"} collation order text).
     *
     * @param limit the most to return; 0 or less for all
     */
    List<SessionSummary> sessions(Instant from, Instant until, int limit);

    /**
     * Per workflow of the sessions in range: how many sessions and their mean score, ordered by
     * sessions descending, then workflow ascending.
     */
    List<WorkflowPattern> workflows(Instant from, Instant until);

    /** Per non-null agent id of the coordinator events in range, ordered by agent id. */
    List<AgentUsage> agents(Instant from, Instant until);

    /** The success scores of the sessions in range. */
    SessionQuality quality(Instant from, Instant until);

    /**
     * The distinct non-null names of the tools whose calls failed ({@code success} false) in
     * session {@code sessionId}, sorted; empty for an unknown session.
     */
    List<String> failingTools(String sessionId);

    /**
     * Brings up to date any figures the engine keeps between questions, as each question over many
     * sessions does first anyway (the SQL stores' session summary: the sessions appended to or
     * removed from since the last refresh are recomputed from their events); the streaming engine
     * keeps none.
     *
     * @return how many sessions were recomputed (0 when nothing changed or nothing is kept)
     */
    default int refresh() {
        return 0;
    }

    /** Everything at once; {@code limit} caps the list of sessions only (0 or less for all). */
    default SessionReport report(Instant from, Instant until, int limit) {
        return new SessionReport(sessions(from, until, limit), workflows(from, until), agents(from, until),
                quality(from, until));
    }

    /**
     * The session analytics of {@code store}: its own (SQL) answers when it has the
     * {@link NativeSessionAnalytics} {@linkplain EventStore#capability(Class) capability} (a
     * {@code DualWriter} forwards its read side's), streaming passes over {@link EventStore#read} otherwise.
     */
    static SessionAnalytics of(EventStore store) {
        Objects.requireNonNull(store, "store");
        return store.capability(NativeSessionAnalytics.class).map(NativeSessionAnalytics::sessionAnalytics)
                .orElseGet(() -> streaming(store));
    }

    /**
     * Session analytics computed by reading the store's events, whatever the store. Each question
     * reads every event once; memory holds one summary per session plus its named tool calls.
     */
    static SessionAnalytics streaming(EventStore store) {
        return new StreamingSessionAnalytics(Objects.requireNonNull(store, "store"));
    }
}
