package dev.eventlog.analytics;

import java.util.List;

/**
 * Every session figure of a store at once: the sessions (latest first), the workflow patterns, the
 * agents and the quality. {@link #toJson()} gives the stable JSON form that
 * {@code eventlog sessions --format json} prints. Immutable and thread-safe.
 *
 * @param sessions the sessions, ordered by last event time descending, then id ascending
 * @param workflows the workflow patterns, most sessions first, then by workflow
 * @param agents the agents, by agent id
 * @param quality the success scores of all sessions of the range (not only the listed ones)
 */
public record SessionReport(List<SessionSummary> sessions, List<WorkflowPattern> workflows, List<AgentUsage> agents,
        SessionQuality quality) {

    /** Copies the lists. */
    public SessionReport {
        sessions = List.copyOf(sessions);
        workflows = List.copyOf(workflows);
        agents = List.copyOf(agents);
    }

    /**
     * The JSON form: {@code {"sessions": [...], "workflows": [...], "agents": [...], "quality": {...}}}
     * with snake_case keys, times in ISO-8601 UTC with milliseconds.
     */
    public String toJson() {
        return SessionJson.write(this);
    }
}
