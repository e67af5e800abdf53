package dev.eventlog.analytics;

/**
 * One workflow (a session's first five distinct consecutive tool names, e.g. {@code Read>Edit>Bash})
 * and the sessions that followed it. Immutable and thread-safe.
 *
 * @param workflow the workflow
 * @param sessions how many sessions followed it
 * @param meanSuccessScore the mean of their non-null success scores, or {@code null} when none has one
 */
public record WorkflowPattern(String workflow, long sessions, Double meanSuccessScore) {
}
