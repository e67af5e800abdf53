/**
 * The SQL stores' shared core: one final {@link dev.eventlog.jdbc.JdbcEventStore}, assembled from
 * the parts a database module plugs in — a {@link dev.eventlog.jdbc.SqlDialect}, a
 * {@link dev.eventlog.jdbc.ConnectionSource} and a {@link dev.eventlog.jdbc.RowInserter} — with
 * the one {@link dev.eventlog.jdbc.ColumnPlan} per kind through which every row is bound, encoded
 * and read; the Liquibase schema migration; and the analytics answered from the changelogs' views.
 * The SQLite and PostgreSQL modules hold only their parts, options, provider and changelog.
 */
package dev.eventlog.jdbc;
