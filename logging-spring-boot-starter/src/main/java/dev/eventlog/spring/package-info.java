/**
 * The Spring Boot starter: {@link dev.eventlog.spring.EventLogAutoConfiguration} makes an
 * {@link dev.eventlog.EventLogger} bean from the {@code eventlog.*} properties
 * ({@link dev.eventlog.spring.EventLogProperties}), with a health indicator and meters when
 * Actuator and Micrometer are there.
 */
package dev.eventlog.spring;
