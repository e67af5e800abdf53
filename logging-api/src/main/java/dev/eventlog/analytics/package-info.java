/**
 * The questions people ask of their events (README, "Analytics"), answered the same way by every
 * store: {@link dev.eventlog.analytics.EventAnalytics} computes an
 * {@link dev.eventlog.analytics.Analytics} for a time range, from SQL views in the database stores
 * ({@link dev.eventlog.analytics.NativeAnalytics}) and in one streaming pass over any other store.
 */
package dev.eventlog.analytics;
