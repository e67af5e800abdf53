/**
 * The SQL stores' shared core: one {@link dev.eventlog.jdbc.JdbcEventStore}, assembled from the
 * parts a database module plugs in, the Liquibase schema migration and the analytics answered
 * from the changelogs' views. The SQLite and PostgreSQL modules hold only their dialect, inserter,
 * options, provider and changelog.
 */
package dev.eventlog.jdbc;
