/**
 * Not API: the write path behind {@link dev.eventlog.EventLogger} — the async writer and its
 * queue, failover to the spool, the spool and its replay, the write-ahead log and the latency
 * histogram of the logger's metrics. It may change in any release.
 */
package dev.eventlog.internal.write;
