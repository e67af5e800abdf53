package dev.eventlog.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.ActivityEvent;
import dev.eventlog.EventLogger;
import dev.eventlog.jsonl.JsonlEventStore;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLoggerMetricsTest {
    @TempDir
    Path dir;

    @Test
    void publishesWhatTheLoggerDidToAMeterRegistry() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (EventLogger logger = EventLogger.builder().store(JsonlEventStore.open(dir)).build()) {
            new EventLoggerMetrics(logger, Tags.of("store", "jsonl")).bindTo(registry);
            for (int i = 0; i < 7; i++) {
                logger.logActivity(ActivityEvent.builder().activityType("metered").description("event " + i).build());
            }
            // The binder reuses one snapshot for 100 ms; wait past it so the meters see all seven.
            Thread.sleep(150);
            assertThat(registry.get("eventlog.events").tags("outcome", "logged", "store", "jsonl")
                    .functionCounter().count()).isEqualTo(7);
            assertThat(registry.get("eventlog.events").tag("outcome", "committed").functionCounter().count())
                    .isEqualTo(7);
            assertThat(registry.get("eventlog.events").tag("outcome", "dropped").functionCounter().count()).isZero();
            assertThat(registry.get("eventlog.store.calls").tag("outcome", "committed").functionCounter().count())
                    .isEqualTo(7);
            assertThat(registry.get("eventlog.commit.latency").tag("quantile", "0.99").timeGauge()
                    .value(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.get("eventlog.store.reachable").gauge().value()).isEqualTo(1);
            assertThat(registry.get("eventlog.spool.draining").gauge().value()).isEqualTo(1);
            assertThat(registry.get("eventlog.queue.depth").gauge().value()).isZero();
            assertThat(registry.get("eventlog.store.last.success.age").timeGauge().value(TimeUnit.SECONDS))
                    .isBetween(0.0, 60.0);
        }
    }
}
