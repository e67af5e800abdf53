package dev.eventlog.spring;

import dev.eventlog.AsyncOptions;
import dev.eventlog.EventLogger;
import dev.eventlog.SpoolOptions;
import dev.eventlog.micrometer.EventLoggerMetrics;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of an {@link EventLogger} bean from the {@code eventlog.*} properties
 * ({@link EventLogProperties}), closed with the application context (its queue drained, its store
 * closed); with Spring Boot Actuator, its health indicator ({@code eventlog}); with Micrometer, its
 * meters ({@link EventLoggerMetrics}). Nothing is created when {@code eventlog.enabled=false} or
 * when the application defines its own {@code EventLogger} bean.
 *
 * <p>Runs after the DataSource auto-configuration, so that {@code eventlog.store=datasource} finds
 * the application's DataSource.
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@ConditionalOnProperty(prefix = "eventlog", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(EventLogProperties.class)
public class EventLogAutoConfiguration {

    /** Creates the auto-configuration; Spring calls it. */
    public EventLogAutoConfiguration() {
    }

    /**
     * The logger. With a spool set, a store that cannot be opened at start-up does not stop the
     * application: events wait in the spool until the store answers.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public EventLogger eventLogger(EventLogProperties properties, ObjectProvider<DataSource> dataSources) {
        EventLogStores stores = new EventLogStores(properties, dataSources);
        EventLogger.Builder builder = EventLogger.builder()
                .openStore(stores::open)
                .source(blankToNull(properties.getSource()))
                .sessionId(blankToNull(properties.getSessionId()))
                .failFast(properties.isFailFast());
        EventLogProperties.Async async = properties.getAsync();
        if (async.isEnabled()) {
            builder.async(AsyncOptions.builder()
                    .queueCapacity(async.getQueueCapacity())
                    .batchSize(async.getBatchSize())
                    .flushInterval(async.getFlushInterval())
                    .maxBlock(async.getMaxBlock())
                    .backpressure(async.getBackpressure())
                    .drainTimeout(async.getDrainTimeout())
                    .writeAhead(async.isWriteAhead())
                    .build());
        }
        EventLogProperties.Spool spool = properties.getSpool();
        if (spool.getDirectory() != null) {
            builder.spool(SpoolOptions.builder(spool.getDirectory())
                    .maxBytes(spool.getMaxSize().toBytes())
                    .segmentBytes(spool.getSegmentSize().toBytes())
                    .retryInterval(spool.getRetryInterval())
                    .fsync(spool.isFsync())
                    .build());
        }
        return builder.build();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** The health indicator, when Spring Boot Actuator is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    static class HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "eventlogHealthIndicator")
        EventLogHealthIndicator eventlogHealthIndicator(EventLogger logger) {
            return new EventLogHealthIndicator(logger);
        }
    }

    /** The meters, when Micrometer is on the class path; Spring Boot binds them to its registries. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
    static class MetricsConfiguration {
        @Bean
        @ConditionalOnMissingBean
        EventLoggerMetrics eventLoggerMetrics(EventLogger logger) {
            return new EventLoggerMetrics(logger);
        }
    }
}
