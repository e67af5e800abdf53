/** A Spring Boot application using the eventlog starter: the logger is a bean, configured by {@code eventlog.*}. */
package dev.eventlog.examples.boot;
