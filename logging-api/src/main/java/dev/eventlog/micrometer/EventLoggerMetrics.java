package dev.eventlog.micrometer;

import dev.eventlog.EventLogger;
import dev.eventlog.LoggerHealth;
import dev.eventlog.LoggerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Binds an {@link EventLogger}'s {@link LoggerMetrics} and {@link LoggerHealth} to a Micrometer
 * registry:
 * <ul>
 * <li>{@code eventlog.events} (counter, tag {@code outcome}: logged, committed, stored, spooled,
 *     replayed, dropped, failed)</li>
 * <li>{@code eventlog.store.calls} (counter, tag {@code outcome}: committed, failed, retried)</li>
 * <li>{@code eventlog.queue.depth} (gauge, events), {@code eventlog.spool.size} (gauge, bytes)</li>
 * <li>{@code eventlog.commit.latency} (time gauge, tag {@code quantile}: 0.5, 0.99, 0.999, 1.0)</li>
 * <li>{@code eventlog.store.reachable} and {@code eventlog.spool.draining} (gauges, 1 or 0)</li>
 * <li>{@code eventlog.store.last.success.age} (time gauge; NaN before the first success)</li>
 * </ul>
 * Each scrape takes one snapshot of the logger's metrics, reused for 100 ms by the other meters.
 * The meters hold the logger weakly, as Micrometer's function meters do: once the application
 * drops the logger, they report their last values.
 *
 * <p>Thread-safe.
 */
public final class EventLoggerMetrics implements MeterBinder {
    private static final long REUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final EventLogger logger;
    private final Iterable<Tag> tags;
    private volatile LoggerMetrics snapshot;
    private volatile long snapshotAt;

    /** Metrics of {@code logger}, with {@code tags} on every meter (e.g. the store's name). */
    public EventLoggerMetrics(EventLogger logger, Iterable<Tag> tags) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    /** Metrics of {@code logger} with no extra tags. */
    public EventLoggerMetrics(EventLogger logger) {
        this(logger, Tags.empty());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        events(registry, "logged", LoggerMetrics::logged);
        events(registry, "committed", LoggerMetrics::committed);
        events(registry, "stored", LoggerMetrics::stored);
        events(registry, "spooled", LoggerMetrics::spooled);
        events(registry, "replayed", LoggerMetrics::replayed);
        events(registry, "dropped", LoggerMetrics::dropped);
        events(registry, "failed", LoggerMetrics::failedEvents);
        calls(registry, "committed", LoggerMetrics::batches);
        calls(registry, "failed", LoggerMetrics::failedBatches);
        calls(registry, "retried", LoggerMetrics::retried);
        Gauge.builder("eventlog.queue.depth", logger, l -> metrics().queueDepth())
                .description("Events waiting in the asynchronous queue").baseUnit(BaseUnits.EVENTS).tags(tags)
                .register(registry);
        Gauge.builder("eventlog.spool.size", logger, l -> metrics().spoolBytes())
                .description("Bytes held in the spool").baseUnit(BaseUnits.BYTES).tags(tags).register(registry);
        latency(registry, "0.5", LoggerMetrics.Latency::p50);
        latency(registry, "0.99", LoggerMetrics.Latency::p99);
        latency(registry, "0.999", LoggerMetrics.Latency::p999);
        latency(registry, "1.0", LoggerMetrics.Latency::max);
        Gauge.builder("eventlog.store.reachable", logger, l -> l.health().storeReachable() ? 1 : 0)
                .description("1 when the last store call succeeded").tags(tags).register(registry);
        Gauge.builder("eventlog.spool.draining", logger, l -> l.health().spoolDraining() ? 1 : 0)
                .description("1 when the spool is empty or its last replay succeeded").tags(tags).register(registry);
        TimeGauge.builder("eventlog.store.last.success.age", logger, TimeUnit.MILLISECONDS, l -> {
            Instant last = metrics().lastSuccess();
            return last == null ? Double.NaN : Math.max(0, System.currentTimeMillis() - last.toEpochMilli());
        }).description("Time since the store last took a batch").tags(tags).register(registry);
    }

    private void events(MeterRegistry registry, String outcome, ToDoubleFunction<LoggerMetrics> count) {
        FunctionCounter.builder("eventlog.events", logger, l -> count.applyAsDouble(metrics()))
                .description("Events by what became of them").baseUnit(BaseUnits.EVENTS)
                .tags(tags).tag("outcome", outcome).register(registry);
    }

    private void calls(MeterRegistry registry, String outcome, ToDoubleFunction<LoggerMetrics> count) {
        FunctionCounter.builder("eventlog.store.calls", logger, l -> count.applyAsDouble(metrics()))
                .description("Store append calls (batches) by outcome").tags(tags).tag("outcome", outcome)
                .register(registry);
    }

    private void latency(MeterRegistry registry, String quantile,
            java.util.function.Function<LoggerMetrics.Latency, Duration> value) {
        TimeGauge.builder("eventlog.commit.latency", logger, TimeUnit.NANOSECONDS,
                l -> value.apply(metrics().commitLatency()).toNanos())
                .description("Duration of successful store calls").tags(tags).tag("quantile", quantile)
                .register(registry);
    }

    private LoggerMetrics metrics() {
        long now = System.nanoTime();
        LoggerMetrics current = snapshot;
        if (current == null || now - snapshotAt > REUSE_NANOS) {
            current = logger.metrics();
            snapshot = current;
            snapshotAt = now;
        }
        return current;
    }
}
