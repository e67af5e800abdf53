package dev.eventlog;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * Logs store failures as SLF4J warnings, at most one per interval. When no SLF4J provider is on
 * the class path (SLF4J then discards everything), the warning goes to standard error instead,
 * as one line without a stack trace, so a failure is never silent. Thread-safe.
 */
final class RateLimitedWarning implements ErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger("dev.eventlog");
    private static final boolean NO_PROVIDER = LOG instanceof NOPLogger
            || LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory;

    private final long intervalMillis;
    private final AtomicLong nextAllowed = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    /** Warns at most once per {@code intervalMillis}. */
    public RateLimitedWarning(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    @Override
    public void onFailure(EventLogException error, List<? extends Event> events) {
        long now = System.currentTimeMillis();
        long allowed = nextAllowed.get();
        if (now < allowed || !nextAllowed.compareAndSet(allowed, now + intervalMillis)) {
            suppressed.incrementAndGet();
            return;
        }
        long skipped = suppressed.getAndSet(0);
        if (NO_PROVIDER) {
            System.err.println("eventlog: WARN could not store " + events.size() + " event(s): " + error.getMessage()
                    + (skipped == 0 ? "" : " (" + skipped + " more failure(s) since the last warning)")
                    + " [no SLF4J provider on the class path, so this goes to standard error]");
            return;
        }
        LOG.warn("eventlog could not store {} event(s): {}{}", events.size(), error.getMessage(),
                skipped == 0 ? "" : " (" + skipped + " more failure(s) since the last warning)", error);
    }
}
