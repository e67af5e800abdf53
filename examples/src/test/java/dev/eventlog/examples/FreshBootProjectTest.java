package dev.eventlog.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.ToolUseEvent;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.sqlite.SqliteEventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The starter in a fresh project outside the repository ({@link FreshBootProject}): with zero
 * configuration its application logs into {@code events.db} in its working directory; a bad
 * setting stops it with a report naming the setting, not a stack trace.
 */
class FreshBootProjectTest {

    @Test
    void withZeroConfigurationTheApplicationLogsIntoEventsDbInItsWorkingDirectory() throws Exception {
        FreshBootProject project = FreshBootProject.get();
        Path file = project.dir.resolve("events.db");
        Files.deleteIfExists(file);

        FreshBootProject.Run run = project.app();

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("committed 1 into ");
        try (SqliteEventStore store = SqliteEventStore.open(file)) {
            List<Event> events = store.read(EventQuery.all()).toList();
            assertThat(events).singleElement().isInstanceOfSatisfying(ToolUseEvent.class,
                    event -> assertThat(event.toolName()).isEqualTo("fresh-app"));
        }
    }

    @Test
    void aBadStoreSettingStopsTheApplicationWithAReportNamingItAndNoStackTrace() throws Exception {
        FreshBootProject project = FreshBootProject.get();

        FreshBootProject.Run run = project.app("--eventlog.store=nosuch:events");

        assertThat(run.exit()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("APPLICATION FAILED TO START")
                .contains("eventlog could not start: eventlog.store: store URL was 'nosuch:events'")
                .contains("Correct the eventlog.* property named above")
                .doesNotContain("\tat ");
    }
}
