package dev.eventlog.analytics;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one agent of the {@code coordinator} events did. Immutable and thread-safe.
 *
 * @param agentId the non-null {@code agent_id}
 * @param events its coordinator events
 * @param actions events per non-null {@code action}, sorted by action
 * @param meanDurationMs the mean of its non-null {@code duration_ms}, or {@code null} when none
 * @param sessions how many distinct non-null session ids its events carry
 */
public record AgentUsage(String agentId, long events, Map<String, Long> actions, Double meanDurationMs, long sessions) {

    /** Copies the map, sorted. */
    public AgentUsage {
        actions = Collections.unmodifiableSortedMap(new TreeMap<>(actions));
    }
}
