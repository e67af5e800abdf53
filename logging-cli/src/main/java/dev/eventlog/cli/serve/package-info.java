/**
 * {@code eventlog serve}: the long-running local ingest service. {@link dev.eventlog.cli.serve.EventServer}
 * answers HTTP on the JDK's built-in server ({@code POST /v1/events}, {@code /health}, {@code /stats},
 * {@code /metrics}, the live report); {@link dev.eventlog.cli.serve.Ingest} turns a request body or an
 * inbox file into events by the import rules, with content-derived ids so a retry stores nothing twice;
 * {@link dev.eventlog.cli.serve.Inbox} imports the files hooks leave while the service is down;
 * {@link dev.eventlog.cli.serve.Follower} tails the legacy files old hooks still append to. Not API:
 * a program.
 */
package dev.eventlog.cli.serve;
