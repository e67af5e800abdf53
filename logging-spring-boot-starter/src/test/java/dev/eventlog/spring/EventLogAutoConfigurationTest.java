package dev.eventlog.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.eventlog.ActivityEvent;
import dev.eventlog.EventKind;
import dev.eventlog.EventLogger;
import dev.eventlog.GitEvent;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.sqlite.SqliteEventStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Real Spring Boot applications (no web server) with the starter on their class path, on real
 * SQLite files; PostgreSQL in {@link PostgresDataSourceTest}.
 */
class EventLogAutoConfigurationTest {
    @TempDir
    Path dir;

    /** The smallest Boot application: everything comes from auto-configuration. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    /** An application without a DataSource (the test class path has Spring's JDBC starter). */
    static ConfigurableApplicationContext run(String... properties) {
        return runWithDataSource(withoutDataSource(properties));
    }

    private static String[] withoutDataSource(String... properties) {
        String[] all = java.util.Arrays.copyOf(properties, properties.length + 1);
        all[properties.length] = "spring.autoconfigure.exclude="
                + "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration";
        return all;
    }

    static ConfigurableApplicationContext runWithDataSource(String... properties) {
        return new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "logging.level.root=warn")
                .properties(properties)
                .run();
    }

    static long rows(Path file, EventKind kind) {
        try (SqliteEventStore store = SqliteEventStore.open(file)) {
            return store.count(EventQuery.all()).getOrDefault(kind, 0L);
        }
    }

    static HealthIndicator health(ConfigurableApplicationContext context) {
        return (HealthIndicator) context.getBean(HealthContributorRegistry.class).getContributor("eventlog");
    }

    @Test
    void withNoSettingsLogsIntoEventsDbInTheWorkingDirectoryAndClosesItWithTheContext() throws Exception {
        Path workingDirectory = Path.of(System.getProperty("user.dir"));
        Path file = workingDirectory.resolve("events.db");
        Files.deleteIfExists(file);
        EventLogger logger;
        try (ConfigurableApplicationContext context = run()) {
            logger = context.getBean(EventLogger.class);
            logger.logToolUse("grep", true, 12);
            logger.logGit(GitEvent.builder().eventType("commit").repo("repo").branch("main").commitHash("abc123")
                    .message("first").filesChanged(1).build());

            assertThat(rows(file, EventKind.TOOL_USE)).isEqualTo(1);
            assertThat(health(context).health().getStatus()).isEqualTo(Status.UP);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("eventlog.events").tag("outcome", "committed").functionCounter().count())
                    .isEqualTo(2.0);
        }

        assertThat(logger.metrics().committed()).isEqualTo(2);
        assertThat(catchThrowable(() -> logger.store().append(java.util.List.of())))
                .as("the store is closed with the context").isNotNull();
        assertThat(rows(file, EventKind.GIT)).isEqualTo(1);
    }

    @Test
    void sourceSessionAndBackupComeFromProperties() {
        Path file = dir.resolve("app.db");
        Path backup = dir.resolve("backup");
        try (ConfigurableApplicationContext context = run("eventlog.store=sqlite:" + file,
                "eventlog.backup=jsonl:" + backup, "eventlog.source=billing", "eventlog.session-id=s-42")) {
            context.getBean(EventLogger.class).logActivity(ActivityEvent.builder().activityType("deploy")
                    .description("v2").projectPath("/srv").build());
        }

        try (SqliteEventStore store = SqliteEventStore.open(file)) {
            assertThat(store.read(EventQuery.all()).toList()).singleElement().satisfies(event -> {
                assertThat(event.source()).isEqualTo("billing");
                assertThat(event.sessionId()).isEqualTo("s-42");
            });
        }
        assertThat(backup.resolve(EventKind.ACTIVITY.fileName())).content().contains("\"billing\"").contains("deploy");
    }

    @Test
    void asyncWithSpoolKeepsWhatAnUnreachableStoreCannotTakeAndTheNextRunReplaysIt() {
        Path spool = dir.resolve("spool");
        Path file = dir.resolve("later.db");
        try (ConfigurableApplicationContext context = run(
                "eventlog.store=jdbc:postgresql://127.0.0.1:1/none?user=nobody&connectTimeout=1",
                "eventlog.async.enabled=true", "eventlog.async.flush-interval=20ms",
                "eventlog.spool.directory=" + spool, "eventlog.spool.retry-interval=50ms")) {
            EventLogger logger = context.getBean(EventLogger.class);
            for (int i = 0; i < 500; i++) {
                logger.logToolUse("tool-" + i, true, i);
            }
            assertThat(logger.flush()).isTrue();

            assertThat(logger.metrics().spooled()).isEqualTo(500);
            assertThat(health(context).health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(health(context).health().getDetails()).containsEntry("storeReachable", false)
                    .doesNotContainKey("password");
        }

        try (ConfigurableApplicationContext context = run("eventlog.store=sqlite:" + file,
                "eventlog.async.enabled=true", "eventlog.spool.directory=" + spool,
                "eventlog.spool.retry-interval=50ms")) {
            EventLogger logger = context.getBean(EventLogger.class);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (logger.metrics().replayed() < 500 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(logger.metrics().replayed()).isEqualTo(500);
            assertThat(health(context).health().getStatus()).isEqualTo(Status.UP);
        }
        assertThat(rows(file, EventKind.TOOL_USE)).isEqualTo(500);
    }

    @Test
    void disabledStartsNothing() {
        Path file = dir.resolve("never.db");
        try (ConfigurableApplicationContext context = run("eventlog.enabled=false", "eventlog.store=sqlite:" + file)) {
            assertThat(context.getBeansOfType(EventLogger.class)).isEmpty();
            assertThat(context.getBeansOfType(EventLogHealthIndicator.class)).isEmpty();
            assertThat(context.getBean(MeterRegistry.class).find("eventlog.events").meters()).isEmpty();
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void anApplicationsOwnLoggerIsKept() {
        Path file = dir.resolve("own.db");
        EventLogger own = EventLogger.builder().store(SqliteEventStore.open(file)).source("own").build();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "logging.level.root=warn")
                .properties(withoutDataSource("eventlog.store=sqlite:" + dir.resolve("auto.db")))
                .initializers(c -> c.getBeanFactory().registerSingleton("eventLogger", own))
                .run()) {
            assertThat(context.getBean(EventLogger.class)).isSameAs(own);
            assertThat(health(context).health().getDetails().get("store")).asString().contains("own.db");
        }
        own.close();
        assertThat(dir.resolve("auto.db")).doesNotExist();
    }

    @Test
    void aBadStoreUrlStopsTheApplicationWithAReportNamingTheProperty() {
        Throwable failure = catchThrowable(() -> run("eventlog.store=nosuch:" + dir.resolve("x")));

        FailureAnalysis analysis = new EventLogFailureAnalyzer().analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).startsWith("eventlog could not start: eventlog.store: ")
                .contains("nosuch:").contains("sqlite:");
    }

    @Test
    void anUnreachableStoreWithoutASpoolStopsTheApplicationSuggestingTheSpoolAndHidingThePassword() {
        Throwable failure = catchThrowable(() -> run(
                "eventlog.store=jdbc:postgresql://127.0.0.1:1/none?user=app&password=hunter2&connectTimeout=1"));

        FailureAnalysis analysis = new EventLogFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).startsWith("eventlog could not start: ").contains("127.0.0.1")
                .doesNotContain("hunter2");
        assertThat(analysis.getAction()).contains("eventlog.spool.directory");
    }

    @Test
    void aSchemaForAStoreThatIsNotPostgresqlIsRefused() {
        Throwable failure = catchThrowable(() -> run("eventlog.store=sqlite:" + dir.resolve("s.db"),
                "eventlog.schema=events"));

        assertThat(new EventLogFailureAnalyzer().analyze(failure).getDescription())
                .contains("eventlog.schema was 'events' but it applies only to a jdbc:postgresql: store");
        assertThat(dir.resolve("s.db")).doesNotExist();
    }

    @Test
    void theMetadataDescribesEveryPropertyWithItsDefault() throws Exception {
        String metadata = new String(EventLogAutoConfigurationTest.class.getClassLoader()
                .getResourceAsStream("META-INF/spring-configuration-metadata.json").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        for (Map.Entry<String, String> property : Map.of(
                "eventlog.store", "\"sqlite:events.db\"",
                "eventlog.async.batch-size", "5000",
                "eventlog.spool.max-size", "\"1GB\"",
                "eventlog.async.flush-interval", "\"100ms\"").entrySet()) {
            assertThat(metadata).containsPattern("\"name\": \"" + property.getKey().replace(".", "\\.")
                    + "\"[^}]*\"description\": \"[^\"]+\"[^}]*\"defaultValue\": " + property.getValue().replace(".", "\\."));
        }
    }
}
