/**
 * The self-contained HTML report of {@code eventlog report} and its SVG charts. It lives in the
 * command's module, not the library: only the command (and {@code eventlog serve}'s report page)
 * renders it, so an application that embeds the library does not carry it; a library user who
 * wants the figures calls {@link dev.eventlog.analytics.EventAnalytics} and
 * {@link dev.eventlog.analytics.AnalyticsJson}.
 */
package dev.eventlog.cli.report;
