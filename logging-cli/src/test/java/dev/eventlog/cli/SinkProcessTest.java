package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import dev.eventlog.testkit.KafkaBroker;
import dev.eventlog.testkit.SampleEvents;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eventlog sink} end to end, as a real process (its own JVM) on a real broker in the test
 * JVM: killed with SIGKILL while copying, started again, stopped with SIGTERM once caught up.
 */
class SinkProcessTest {
    private static final int EVENTS = 20_000;
    private static final Pattern LAG = Pattern.compile("eventlog sink: committed (\\d+) records \\((\\d+) new, 0 "
            + "dead-lettered\\), lag (-?\\d+)");

    @TempDir
    Path dir;

    @Test
    void aSinkKilledMidBatchResumesAndAStoppedSinkExitsZeroWithEveryEventStoredOnce() throws Exception {
        List<Event> events = SampleEvents.activities(EVENTS, SampleEvents.T0);
        Path db = dir.resolve("events.db");
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
            String topic = broker.url("events") + "?partitions=2";
            try (EventStore kafka = EventStores.open(topic)) {
                kafka.append(events);
            }
            // Small polls: many batches, so that the kill lands in the middle of the copy.
            String from = broker.url("events") + "?max.poll.records=250";

            CliProcess first = CliProcess.start(dir, List.of("-Xmx256m"), "sink", "--from", from, "--to",
                    "sqlite:" + db, "--group", "to-sqlite");
            long atKillAsked = waitForRows(db, EVENTS / 10, first);
            // Rows are readable once the store commits a batch; the sink commits its offsets and reports the lag
            // after that, on its own thread: the kill waits for the first report (a hang guard, not a timing).
            long reported = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!LAG.matcher(first.errSoFar()).find() && first.alive() && System.nanoTime() < reported) {
                Thread.sleep(20);
            }
            first.kill();
            Cli.Result killed = first.await();
            long atKill = rows(db);
            assertThat(killed.exitCode()).as(killed.err()).isEqualTo(137);
            assertThat(atKill).isGreaterThanOrEqualTo(atKillAsked).isLessThan(EVENTS);
            assertThat(killed.err()).contains("eventlog sink: " + broker.url("events") + " -> ");
            // The lag is reported while copying.
            Matcher firstLag = LAG.matcher(killed.err());
            assertThat(firstLag.find()).as(killed.err()).isTrue();

            CliProcess second = CliProcess.start(dir, List.of("-Xmx256m"), "sink", "--from", from, "--to",
                    "sqlite:" + db, "--group", "to-sqlite");
            waitForRows(db, EVENTS, second);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!second.errSoFar().contains(", lag 0") && second.alive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            second.terminate(); // SIGTERM, as a service manager stops it
            Cli.Result stopped = second.await();
            System.out.printf("sink killed with %d of %d events stored; the restarted sink said:%n%s", atKill, EVENTS,
                    stopped.err());

            assertThat(stopped.exitCode()).as(stopped.err()).isZero();
            assertThat(stopped.err()).contains(", lag 0").contains("eventlog sink: stopped after ");
            // Resumed from the committed offsets: the second run read less than the whole topic.
            Matcher totals = Pattern.compile("stopped after (\\d+) records: (\\d+) events new").matcher(stopped.err());
            assertThat(totals.find()).as(stopped.err()).isTrue();
            assertThat(Long.parseLong(totals.group(1))).isLessThan(EVENTS);
            assertThat(atKill + Long.parseLong(totals.group(2))).isEqualTo(EVENTS);
        }
        assertThat(rows(db)).isEqualTo(EVENTS);
        try (EventStore store = EventStores.open("sqlite:" + db);
                Stream<Event> read = store.read(EventQuery.of(EventKind.ACTIVITY))) {
            assertThat(SampleEvents.sorted(read.toList())).containsExactlyElementsOf(events);
        }
    }

    /** Waits until the store holds at least {@code count} rows, or the child ended; returns the rows seen. */
    private static long waitForRows(Path db, long count, CliProcess child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        long seen = 0;
        while (System.nanoTime() < deadline && child.alive()) {
            seen = rows(db);
            if (seen >= count) {
                return seen;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the sink stored " + seen + " events but the test waited for " + count + "; it said: "
                + child.errSoFar());
    }

    private static long rows(Path db) throws SQLException {
        if (!db.toFile().exists()) {
            return 0;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM " + EventKind.ACTIVITY.table())) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            if (e.getMessage().contains("no such table")) {
                return 0; // the sink's store creates its tables when it opens
            }
            throw e;
        }
    }
}
