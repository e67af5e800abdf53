package dev.eventlog.spring;

import dev.eventlog.EventLogException;
import dev.eventlog.StoreException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an eventlog setting or store that stops the application from starting (a bad
 * {@code eventlog.*} value, a store that cannot be opened without a spool) into Spring Boot's
 * short "APPLICATION FAILED TO START" report naming the setting or store, instead of a stack trace.
 */
public final class EventLogFailureAnalyzer extends AbstractFailureAnalyzer<EventLogException> {

    /** Creates the analyzer; Spring Boot calls it. */
    public EventLogFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, EventLogException cause) {
        String action = cause instanceof StoreException
                ? "Make the store reachable, or set eventlog.spool.directory: the application then starts while"
                        + " the store is unreachable and its events wait in the spool."
                : "Correct the eventlog.* property named above (README, \"Spring Boot\"), or set"
                        + " eventlog.enabled=false.";
        return new FailureAnalysis("eventlog could not start: " + cause.getMessage(), action, cause);
    }
}
