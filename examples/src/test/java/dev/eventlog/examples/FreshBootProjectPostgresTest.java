package dev.eventlog.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The starter in a fresh project ({@link FreshBootProject}) logs into PostgreSQL with two properties. */
class FreshBootProjectPostgresTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    @Test
    void twoPropertiesSendTheEventsToAPostgresqlSchema() throws Exception {
        FreshBootProject project = FreshBootProject.get();
        String schema = db.newSchemaName();

        FreshBootProject.Run run = project.app("--eventlog.store=" + db.serverUrl(), "--eventlog.schema=" + schema);

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("committed 1 into ");
        try (Connection admin = db.admin(); Statement statement = admin.createStatement();
                ResultSet rows = statement.executeQuery("SELECT tool_name FROM " + schema + ".tool_events")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("fresh-app");
            assertThat(rows.next()).isFalse();
        }
    }
}
