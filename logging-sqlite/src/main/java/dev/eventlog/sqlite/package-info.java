/**
 * The SQLite store: {@link dev.eventlog.sqlite.SqliteEventStore}, its options and its
 * {@code sqlite:} URL provider. The schema is the Liquibase changelog
 * {@code dev/eventlog/sqlite/changelog/changelog.sql} in this jar.
 */
package dev.eventlog.sqlite;
