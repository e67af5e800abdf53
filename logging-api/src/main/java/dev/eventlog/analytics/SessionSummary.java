package dev.eventlog.analytics;

import java.time.Instant;
import java.util.Objects;

/**
 * What one session did: the events that share one non-null {@code session_id}, ordered by time,
 * then id. The definitions are in the README, "Sessions"; every store gives the same values.
 * Immutable and thread-safe.
 *
 * @param sessionId the session id
 * @param firstTs the time of its earliest event
 * @param lastTs the time of its latest event
 * @param events its events, of any kind
 * @param toolCalls its {@code tool_use} events
 * @param toolFailures its {@code tool_use} events whose {@code success} is false
 * @param toolSuccessRate successes / (successes + failures) over its {@code tool_use} events whose
 *     {@code success} is not null (0–1), or {@code null} when there are none
 * @param distinctTools how many distinct non-null {@code tool_name}s it used
 * @param outcome the {@code outcome} of its last {@code session_outcome} event, or {@code null}
 * @param quality that event's {@code quality}, or {@code null}
 * @param costUsd that event's {@code cost_usd}, or {@code null}
 * @param model that event's {@code model}, or {@code null}
 * @param messagesCount that event's {@code messages_count}, or {@code null}
 * @param workflow its non-null tool names in order, consecutive repeats collapsed, the first five
 *     joined by {@code >}, or {@code null} when it used no named tool
 * @param successScore 0–100 rounded to one decimal (see {@link SessionScore}), or {@code null}
 */
public record SessionSummary(String sessionId, Instant firstTs, Instant lastTs, long events, long toolCalls,
        long toolFailures, Double toolSuccessRate, long distinctTools, String outcome, Double quality, Double costUsd,
        String model, Long messagesCount, String workflow, Double successScore) {

    /** Checks the id and the times. */
    public SessionSummary {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(firstTs, "firstTs");
        Objects.requireNonNull(lastTs, "lastTs");
    }

    /** The score tier: {@code high} (≥ 80), {@code medium} (≥ 50), {@code low}, or {@code null} without a score. */
    public String tier() {
        return SessionScore.tier(successScore);
    }

    /** The JSON form, as one element of {@code eventlog sessions --format json}'s {@code sessions}. */
    public String toJson() {
        return SessionJson.write(this);
    }
}
