/**
 * The questions people ask of their events (README, "Analytics"), answered the same way by every
 * store: {@link dev.eventlog.analytics.EventAnalytics} computes an
 * {@link dev.eventlog.analytics.Analytics} for a time range, from SQL views in the database stores
 * ({@link dev.eventlog.analytics.NativeAnalytics}) and in one streaming pass over any other store.
 * {@link dev.eventlog.analytics.SessionAnalytics} answers the session questions (README, "Sessions")
 * the same way: from the SQL stores' session views ({@link dev.eventlog.analytics.NativeSessionAnalytics})
 * or by reading the events.
 */
package dev.eventlog.analytics;
