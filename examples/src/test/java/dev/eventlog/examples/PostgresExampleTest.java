package dev.eventlog.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.testkit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresExampleTest {
    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static String run(String url) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            PostgresExample.main(new String[] {url});
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void logsIntoItsSchemaAndReadsItBackInValidateOnlyMode() {
        String schema = db.newSchemaName();

        String out = run(db.url(schema));

        assertThat(out).contains("store failures so far: 0")
                .contains("git                   1 rows in " + schema + ".git_events")
                .contains("routing_metric        1 rows in " + schema + ".routing_metrics_events")
                .contains("tool_use           2000 rows in " + schema + ".tool_events")
                .contains("custom                1 rows in " + schema + ".custom_events");
    }

    @Test
    void runningItTwiceAddsASecondSetOfEvents() {
        String schema = db.newSchemaName();
        run(db.url(schema));

        String out = run(db.url(schema));

        assertThat(out).contains("tool_use           4000 rows in " + schema + ".tool_events");
    }
}
