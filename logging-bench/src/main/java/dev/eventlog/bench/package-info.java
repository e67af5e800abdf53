/**
 * Benchmarks: JMH append latency ({@link dev.eventlog.bench.AppendLatencyBenchmark}) and the
 * side-by-side comparison ({@link dev.eventlog.bench.SideBySide}) of eventlog with Logback's
 * DBAppender, Log4j2's JDBC appender, a raw JDBC insert and SQLite's own {@code INSERT … SELECT}.
 * Run with {@code mvn -pl logging-bench -am package -DskipTests exec:exec}.
 */
package dev.eventlog.bench;
