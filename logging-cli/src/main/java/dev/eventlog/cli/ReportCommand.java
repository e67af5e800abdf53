package dev.eventlog.cli;

import dev.eventlog.analytics.Analytics;
import dev.eventlog.analytics.EventAnalytics;
import dev.eventlog.analytics.SessionAnalytics;
import dev.eventlog.analytics.SessionSummary;
import dev.eventlog.cli.report.HtmlReport;
import dev.eventlog.cli.report.SessionsSection;
import dev.eventlog.spi.EventStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eventlog report}: the analytics of one store as a self-contained HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes the analytics of a store as one self-contained HTML file (no network needed to "
            + "open it): overview, activity per day, tool analytics, routing, session outcomes, session quality (score "
            + "tiers, common workflows, the lowest-scoring recent sessions) and infrastructure "
            + "(self-heal and recovery), with charts and the numbers in tables."},
        footer = {"", "Exit codes: 0 success, 2 bad usage, an unusable store or an unwritable file."})
final class ReportCommand implements Callable<Integer> {
    /** How many of the latest sessions the lowest-scoring ones are picked from. */
    static final int RECENT = 100;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STORE", description = "The store to report on; it must exist.")
    String store;

    @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "The HTML file to write (replaced whole and atomically if it exists; never a directory, "
                    + "FIFO or device).")
    Path out;

    @Mixin
    TimeRangeOptions range;

    @Override
    public Integer call() {
        // Checked before the store is read: a directory, FIFO or device is never replaced by the report.
        HtmlReport.checkOut("--out", out);
        Analytics analytics;
        SessionsSection sessions;
        String description;
        try (EventStore opened = Stores.openToRead("STORE", store)) {
            description = opened.describe();
            analytics = EventAnalytics.of(opened).compute(range.since, range.until);
            sessions = sessions(SessionAnalytics.of(opened));
        }
        HtmlReport.write(analytics, sessions, description, out);
        spec.commandLine().getOut().println("wrote " + out.toAbsolutePath() + " (" + analytics.total() + " events)");
        return EventlogCommand.OK;
    }

    /** Of the {@link #RECENT} latest sessions, the lowest scored first (then the latest). */
    private SessionsSection sessions(SessionAnalytics analytics) {
        List<SessionSummary> lowest = analytics.sessions(range.since, range.until, RECENT).stream()
                .filter(s -> s.successScore() != null)
                .sorted(Comparator.comparing(SessionSummary::successScore)
                        .thenComparing(SessionSummary::lastTs, Comparator.reverseOrder())
                        .thenComparing(SessionSummary::sessionId))
                .limit(SessionsSection.SHOWN).toList();
        List<SessionsSection.LowSession> low = new ArrayList<>();
        for (SessionSummary session : lowest) {
            low.add(new SessionsSection.LowSession(session, analytics.failingTools(session.sessionId())));
        }
        return new SessionsSection(analytics.quality(range.since, range.until),
                analytics.workflows(range.since, range.until), low);
    }
}
