/**
 * The PostgreSQL store: {@link dev.eventlog.postgres.PostgresEventStore} over a HikariCP pool or
 * the application's {@code DataSource}, its {@link dev.eventlog.postgres.PostgresOptions} and its
 * {@code jdbc:postgresql:} URL provider. The schema is the Liquibase changelog
 * {@code dev/eventlog/postgres/changelog/changelog.sql} in this jar.
 */
package dev.eventlog.postgres;
