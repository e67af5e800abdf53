/**
 * The {@code eventlog} command: {@code import}, {@code copy}, {@code verify}, {@code reconcile},
 * {@code schema status|update|rollback} and {@code log}, a thin picocli layer over
 * {@link dev.eventlog.migrate} and the stores. Exit codes: 0 success, 1 the data disagrees or
 * lines were rejected, 2 bad usage or an unusable input, always with a one-line reason on stderr.
 */
package dev.eventlog.cli;
