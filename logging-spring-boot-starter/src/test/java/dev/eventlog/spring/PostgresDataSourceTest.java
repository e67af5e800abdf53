package dev.eventlog.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.EventLogger;
import dev.eventlog.GitEvent;
import dev.eventlog.RecoveryEvent;
import dev.eventlog.SelfHealEvent;
import dev.eventlog.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.ConfigurableApplicationContext;

/** A Boot application whose events go through its own DataSource into a real PostgreSQL. */
class PostgresDataSourceTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    static long rows(String schema, String table) throws Exception {
        try (Connection admin = db.admin(); Statement statement = admin.createStatement();
                ResultSet count = statement.executeQuery("SELECT count(*) FROM " + schema + "." + table)) {
            count.next();
            return count.getLong(1);
        }
    }

    @Test
    void eventsGoIntoTheDataSourcesCurrentSchemaAndTheDataSourceOutlivesTheLogger() throws Exception {
        DataSource dataSource;
        try (ConfigurableApplicationContext context = EventLogAutoConfigurationTest.runWithDataSource(
                "spring.datasource.url=" + db.url(), "eventlog.store=datasource")) {
            EventLogger logger = context.getBean(EventLogger.class);
            dataSource = context.getBean(DataSource.class);
            logger.logSelfHeal(SelfHealEvent.builder().errorPattern("timeout").fixApplied("retry").success(true)
                    .executionTimeMs(40).build());
            logger.logToolUse("grep", true, 3);

            assertThat(rows(db.schema(), "self_heal_events")).isEqualTo(1);
            assertThat(EventLogAutoConfigurationTest.health(context).health().getStatus()).isEqualTo(Status.UP);
            logger.close();
            try (Connection stillOpen = dataSource.getConnection()) {
                assertThat(stillOpen.isValid(1)).as("closing the logger leaves the application's pool").isTrue();
            }
        }
        assertThat(rows(db.schema(), "tool_events")).isEqualTo(1);
    }

    @Test
    void eventlogSchemaPutsTheEventsInTheirOwnSchemaOfTheApplicationsDatabase() throws Exception {
        String events = db.newSchemaName();
        try (ConfigurableApplicationContext context = EventLogAutoConfigurationTest.runWithDataSource(
                "spring.datasource.url=" + db.url(), "eventlog.store=datasource", "eventlog.schema=" + events)) {
            context.getBean(EventLogger.class).logRecovery(RecoveryEvent.builder().errorType("oom")
                    .recoveryStrategy("restart").success(true).attempts(2).timeToRecoverMs(900).build());
        }
        assertThat(rows(events, "recovery_events")).isEqualTo(1);
    }

    @Test
    void theApplicationsOwnLiquibaseStillRunsWhenItAsksForIt() throws Exception {
        // The stores bring Liquibase; without a changelog of its own the application must not be
        // made to run Spring Boot's migration, and with one (here: asked for by property) it must.
        String appSchema = db.newSchema();
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> EventLogAutoConfigurationTest
                .runWithDataSource("spring.datasource.url=" + db.url(appSchema), "eventlog.store=datasource",
                        "spring.liquibase.change-log=classpath:no/such/changelog.yaml").close());
        assertThat(failure).as("Spring Boot's Liquibase ran as asked").hasStackTraceContaining("no/such/changelog.yaml");
    }

    @Test
    void aStoreUrlAndASchemaAreTheTwoPropertiesWithoutADataSource() throws Exception {
        String events = db.newSchemaName();
        try (ConfigurableApplicationContext context = EventLogAutoConfigurationTest.run(
                "eventlog.store=" + db.serverUrl(), "eventlog.schema=" + events)) {
            context.getBean(EventLogger.class).logGit(GitEvent.builder().eventType("push").repo("repo").branch("main")
                    .commits(3).build());
        }
        assertThat(rows(events, "git_events")).isEqualTo(1);
    }
}
