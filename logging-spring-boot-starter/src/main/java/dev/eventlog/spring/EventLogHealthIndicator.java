package dev.eventlog.spring;

import dev.eventlog.EventLogger;
import dev.eventlog.LoggerHealth;
import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code eventlog} health of the actuator's health endpoint: UP while the store is reachable
 * and the spool draining ({@link LoggerHealth#healthy()}), else DOWN, with the details of
 * {@link EventLogger#health()} and the store's description (without its password).
 *
 * <p>The store's state is that of the logger's last store call, not a fresh probe, so a health
 * check costs nothing; see {@link LoggerHealth}.
 */
public final class EventLogHealthIndicator implements HealthIndicator {
    private final EventLogger logger;

    /** The health of {@code logger}. */
    public EventLogHealthIndicator(EventLogger logger) {
        this.logger = Objects.requireNonNull(logger, "logger");
    }

    @Override
    public Health health() {
        LoggerHealth health = logger.health();
        Health.Builder builder = health.healthy() ? Health.up() : Health.down();
        builder.withDetail("store", logger.store().describe())
                .withDetail("storeReachable", health.storeReachable())
                .withDetail("spoolDraining", health.spoolDraining())
                .withDetail("queueDepth", health.queueDepth())
                .withDetail("spoolBytes", health.spoolBytes());
        if (health.lastSuccess() != null) {
            builder.withDetail("lastSuccess", health.lastSuccess().toString());
        }
        if (health.lastError() != null) {
            builder.withDetail("lastError", health.lastError());
        }
        return builder.build();
    }
}
