package dev.eventlog;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs store failures as SLF4J warnings, at most one per interval. Thread-safe. */
final class RateLimitedWarning implements ErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger("dev.eventlog");

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
        LOG.warn("eventlog could not store {} event(s): {}{}", events.size(), error.getMessage(),
                skipped == 0 ? "" : " (" + skipped + " more failure(s) since the last warning)", error);
    }
}
