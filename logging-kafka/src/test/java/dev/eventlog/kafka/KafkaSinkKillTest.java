package dev.eventlog.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.testkit.SampleEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink in a child JVM, killed with SIGKILL while it copies, then started again: every event
 * is in the store once, and the second run resumes from the committed offsets.
 */
class KafkaSinkKillTest {
    private static final int EVENTS = 10_000;

    @TempDir
    Path dir;

    @Test
    void aSinkKilledWhileCopyingResumesWithNothingLostAndNothingTwice() throws Exception {
        List<Event> events = SampleEvents.activities(EVENTS, SampleEvents.T0);
        KafkaUrl topic = KafkaSinkTest.topicWith("kill", 2, events);
        // Small polls: many batches, each committed on its own, so the kill lands between two.
        String from = topic.describe() + "?max.poll.records=100";
        Path db = dir.resolve("events.db");
        try (EventStore created = EventStores.open("sqlite:" + db)) {
            assertThat(created.describe()).contains("events.db");
        }

        Process first = start(from, "sqlite:" + db, dir.resolve("first.log"));
        long before = waitForRows(db, EVENTS / 10, first);
        first.destroyForcibly(); // SIGKILL on Linux
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        long atKill = rows(db);
        System.out.printf("sink killed (exit %d) with %d of %d events stored (%d when asked)%n", first.exitValue(),
                atKill, EVENTS, before);
        assertThat(first.exitValue()).isEqualTo(137);
        assertThat(atKill).isLessThan(EVENTS);

        Process second = start(from, "sqlite:" + db, dir.resolve("second.log"));
        assertThat(second.waitFor(300, TimeUnit.SECONDS)).as("the restarted sink finished").isTrue();
        String output = Files.readString(dir.resolve("second.log"), StandardCharsets.UTF_8);
        assertThat(second.exitValue()).as(output).isZero();
        Matcher totals = Pattern.compile("consumed=(\\d+) stored=(\\d+)").matcher(output);
        assertThat(totals.find()).as(output).isTrue();
        long consumed = Long.parseLong(totals.group(1));
        long stored = Long.parseLong(totals.group(2));
        System.out.printf("restarted sink: consumed %d records, stored %d new events%n", consumed, stored);

        // Resumed, not restarted: the records before the last committed offset are not read again.
        long records = EVENTS + EVENTS / 2;
        assertThat(consumed).isLessThan(records);
        assertThat(atKill + stored).isEqualTo(EVENTS);
        try (EventStore store = EventStores.open("sqlite:" + db)) {
            List<Event> read;
            try (var stream = store.read(EventQuery.of(EventKind.ACTIVITY))) {
                read = new ArrayList<>(stream.toList());
            }
            assertThat(SampleEvents.sorted(read)).containsExactlyElementsOf(events);
        }
        assertThat(rows(db)).isEqualTo(EVENTS);
    }

    private static Process start(String from, String to, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Xmx256m",
                SinkChild.class.getName(), from, to, "kill-test")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until the store holds at least {@code count} rows, or the child ended; returns the rows seen. */
    private static long waitForRows(Path db, long count, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        long seen = 0;
        while (System.nanoTime() < deadline && child.isAlive()) {
            seen = rows(db);
            if (seen >= count) {
                return seen;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the sink stored " + seen + " events and " + (child.isAlive() ? "is still running"
                : "ended with " + child.exitValue()) + " but the test waited for " + count);
    }

    private static long rows(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM " + EventKind.ACTIVITY.table())) {
            r.next();
            return r.getLong(1);
        }
    }
}
