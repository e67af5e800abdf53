/** Small programs to copy from: the quick start and a cutover with {@link dev.eventlog.DualWriter}. */
package dev.eventlog.examples;
