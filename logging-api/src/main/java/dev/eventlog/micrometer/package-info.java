/**
 * Publishes an {@link dev.eventlog.EventLogger}'s self-metrics to Micrometer. Micrometer is an
 * optional dependency of eventlog: an application that uses this package brings
 * {@code io.micrometer:micrometer-core} itself.
 */
package dev.eventlog.micrometer;
