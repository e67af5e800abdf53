/**
 * The API applications log through: {@link dev.eventlog.EventLogger}, the event records of the
 * catalogue ({@link dev.eventlog.EventKind}), {@link dev.eventlog.DualWriter} for cutovers, and
 * the exceptions, all rooted at {@link dev.eventlog.EventLogException}.
 */
package dev.eventlog;
