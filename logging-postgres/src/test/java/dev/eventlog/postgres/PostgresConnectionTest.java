package dev.eventlog.postgres;

import dev.eventlog.GitEvent;
import dev.eventlog.testkit.TestDatabase;
import dev.eventlog.spi.SchemaMode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.eventlog.ConfigurationException;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.EventLogger;
import dev.eventlog.StoreException;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.testkit.SampleEvents;
import dev.eventlog.spi.StoreOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

class PostgresConnectionTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static final PostgresOptions QUICK = PostgresOptions.builder().connectionTimeoutMs(2_000)
            .minimumIdle(0).build();

    @Test
    void anUnreachableHostFailsWithOneLineNamingHostPortDatabaseAndUserButNotThePassword() {
        String url = "jdbc:postgresql://127.0.0.1:1/ops?user=alice&password=s3cret-pw&connectTimeout=2";

        StoreException failure = catchThrowableOfType(StoreException.class, () -> PostgresEventStore.open(url, QUICK));

        assertThat(failure.getMessage()).contains("127.0.0.1:1").contains("'ops'").contains("'alice'")
                .doesNotContain("s3cret-pw").doesNotContain("\n");
        assertThat(failure.sqlState()).isEqualTo("08001");
    }

    @Test
    void wrongCredentialsFailWithOneLineNamingHostPortDatabaseAndUserButNotThePassword() {
        String role = "eventlog_no_such_role";
        String url = db.urlAs(db.schema(), role, "s3cret-pw");

        StoreException failure = catchThrowableOfType(StoreException.class, () -> PostgresEventStore.open(url, QUICK));

        ConnectionTarget target = ConnectionTarget.parse(url, QUICK);
        assertThat(failure.getMessage()).startsWith("cannot connect to PostgreSQL at " + target.hosts())
                .contains("'" + target.database() + "'").contains("'" + role + "'")
                .doesNotContain("s3cret-pw").doesNotContain("\n");
        assertThat(failure.sqlState()).startsWith("28");
    }

    @Test
    void wrongCredentialsInTheOptionsFailTheSameWay() {
        String role = "eventlog_no_such_role";
        PostgresOptions credentials = QUICK.toBuilder().user(role).password("s3cret-pw").build();
        String url = db.url().replaceAll("([?&])(user|password)=[^&]*", "$1");

        StoreException failure = catchThrowableOfType(StoreException.class,
                () -> PostgresEventStore.open(url, credentials));

        assertThat(failure.getMessage()).contains("'" + role + "'").doesNotContain("s3cret-pw");
        assertThat(failure.sqlState()).startsWith("28");
        assertThat(credentials.toString()).doesNotContain("s3cret-pw");
    }

    @Test
    void refusesAUserGivenBothInTheUrlAndTheOptionsDifferently() {
        PostgresOptions other = QUICK.toBuilder().user("someone_else").build();

        assertThatThrownBy(() -> PostgresEventStore.open(db.urlAs(db.schema(), "alice", null), other))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("user was 'someone_else' but the URL logs in as 'alice'");
    }

    @Test
    void describesItselfWithoutThePasswordOfItsUrl() {
        try (PostgresEventStore store = PostgresEventStore.open(
                TestDatabase.withParameter(db.url(db.newSchemaName()), "password=s3cret-pw"))) {
            assertThat(store.describe()).startsWith("postgresql://").doesNotContain("s3cret-pw");
        }
    }

    @Test
    void aRoleWithOnlySelectAndInsertOnTheTablesCanLogInValidateOnlyMode() {
        String schema = db.newSchemaName();
        PostgresEventStore.open(db.url(schema)).close();
        String role = db.newRole();
        db.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role,
                "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA " + schema + " TO " + role);
        String url = TestDatabase.withParameter(db.urlAs(schema, role, null), "ApplicationName=eventlog-writer");
        List<Event> large = SampleEvents.activities(RowWriter.COPY_FROM_ROWS * 2, SampleEvents.T0);

        try (EventLogger logger = EventLogger.builder().failFast(true)
                .store(PostgresEventStore.open(url, PostgresOptions.builder().schemaMode(SchemaMode.VALIDATE)
                        .build())).build()) {
            logger.logAll(SampleEvents.everyKind());
            logger.logAll(large);
            logger.logGit(GitEvent.builder().eventType("commit").repo("eventlog").branch("main")
                    .commitHash("4144498").message("one at a time").filesChanged(1).build());

            assertThat(logger.metrics().failedBatches()).isZero();
            assertThat(logger.store().count(EventQuery.all()).values().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(EventKind.values().length + large.size() + 1);
        }
    }

    @Test
    void aRoleThatMayNotCreateTablesCannotOpenAnEmptySchemaExceptToValidate() {
        String schema = db.newSchema();
        String role = db.newRole();
        db.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
        String url = db.urlAs(schema, role, null);

        assertThatThrownBy(() -> PostgresEventStore.open(url, QUICK))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(schema);
        assertThatThrownBy(() -> PostgresEventStore.open(url, QUICK.toBuilder().schemaMode(SchemaMode.VALIDATE).build()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("eventlog:create-git_events");
    }

    @Test
    void opensOverTheApplicationsDataSourceAndLeavesItOpen() throws Exception {
        String schema = db.newSchemaName();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.serverUrl());
        List<Event> events = new ArrayList<>(SampleEvents.everyKind());
        events.addAll(SampleEvents.activities(RowWriter.COPY_FROM_ROWS, SampleEvents.T0.plusSeconds(60)));

        try (PostgresEventStore store = PostgresEventStore.open(dataSource,
                PostgresOptions.builder().schema(schema).build())) {
            assertThat(store.append(events)).isEqualTo(events.size());
            assertThat(store.describe()).contains(schema);
            try (Stream<Event> read = store.read(EventQuery.all())) {
                assertThat(SampleEvents.sorted(read.toList())).isEqualTo(SampleEvents.sorted(events));
            }
        }

        try (var connection = dataSource.getConnection(); var statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT count(*) FROM " + schema + ".activity_events")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(RowWriter.COPY_FROM_ROWS + 1);
        }
    }

    @Test
    void opensPostgresUrlsThroughTheProviderOnTheClassPath() {
        String schema = db.newSchemaName();

        try (EventStore store = EventStores.open(db.url(schema), StoreOptions.DEFAULT)) {
            assertThat(store).isInstanceOf(PostgresEventStore.class);
            assertThat(((PostgresEventStore) store).schema()).isEqualTo(schema);
        }
    }
}
