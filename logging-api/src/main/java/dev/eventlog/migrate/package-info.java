/**
 * Moving events between stores and proving nothing was lost: {@link dev.eventlog.migrate.Importer}
 * (legacy or current JSONL files into any store, with a quarantine for rejected lines and
 * incremental re-runs), {@link dev.eventlog.migrate.Copier} (store to store),
 * {@link dev.eventlog.migrate.Reconciler} (replays a JSONL backup into a store after an outage) and
 * {@link dev.eventlog.migrate.DualReadValidator} (per kind counts and an order-independent digest
 * of every field of every event). Each returns a report; the {@code eventlog} command is a thin
 * layer over these classes.
 */
package dev.eventlog.migrate;
