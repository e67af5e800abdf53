package dev.eventlog.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.EventKind;
import dev.eventlog.examples.boot.BootExample;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.sqlite.SqliteEventStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootExampleTest {
    @TempDir
    Path dir;

    @Test
    void theBootApplicationLogsItsDeploymentThroughTheStartersLogger() {
        Path file = dir.resolve("boot.db");
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            BootExample.main(new String[] {"--eventlog.store=sqlite:" + file, "--spring.main.banner-mode=off"});
        } finally {
            System.setOut(original);
        }

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("logged 3, committed 3, failed 0 into ");
        try (SqliteEventStore store = SqliteEventStore.open(file)) {
            Map<EventKind, Long> counts = store.count(EventQuery.all());
            assertThat(counts).containsEntry(EventKind.ACTIVITY, 1L).containsEntry(EventKind.CUSTOM, 1L)
                    .containsEntry(EventKind.TOOL_USE, 1L);
        }
    }
}
