package dev.eventlog.analytics;

import dev.eventlog.spi.EventStore;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Answers the analytics questions of the README's "Analytics" section over the events of one store in a half-open
 * time range {@code [from, until)} (a {@code null} bound is open): counts per kind and per UTC
 * day, routing accuracy and predicted-model distribution, self-heal success overall and per error
 * pattern, recovery success overall and per strategy with the mean time to recover, session
 * outcome counts with mean quality and total cost, tool success and duration percentiles per tool,
 * and git commits per repository.
 *
 * <p>Every implementation follows the same definitions, so that every store gives the same
 * numbers:
 * <ul>
 *   <li>a <b>rate</b> is the share, in percent (0–100, not rounded), of the events of a group whose
 *       flag is {@code true}, over all events of the group; a {@code null} flag counts in the group
 *       but is not true. A rate over no events is {@code null};</li>
 *   <li>an event whose <b>group field</b> (pattern, strategy, tool, model, outcome, repository) is
 *       {@code null} counts in the overall figures but in no per-group map;</li>
 *   <li><b>means and sums</b> skip {@code null} values; a mean of no values is {@code null}, a sum
 *       of no values is 0;</li>
 *   <li>a <b>percentile</b> p of a tool's durations is the nearest-rank percentile of its
 *       non-null durations: sorted ascending {@code x[1..n]}, it is {@code x[k]} with
 *       {@code k = ceil(p * n / 100)}; it is always one of the recorded durations;</li>
 *   <li>a <b>git commit</b> is a git event whose {@code event_type} is exactly {@code commit};</li>
 *   <li>a <b>day</b> is the UTC calendar date of an event's time.</li>
 * </ul>
 * Counts, rates and percentiles agree exactly between stores; means and sums of real numbers may
 * differ in the last bits, as the stores add them in different orders.
 *
 * <p>Implementations are thread-safe when their store is.
 */
@FunctionalInterface
public interface EventAnalytics {

    /**
     * Computes every figure for the events in {@code [from, until)}.
     *
     * @param from the earliest time included, or {@code null} for no lower bound
     * @param until the first time excluded, or {@code null} for no upper bound
     * @throws dev.eventlog.StoreException when the store cannot be read
     */
    Analytics compute(Instant from, Instant until);

    /** Computes every figure over all events of the store. */
    default Analytics compute() {
        return compute(null, null);
    }

    /**
     * The analytics of {@code store}: its own (SQL) answers when it has the
     * {@link NativeAnalytics} {@linkplain EventStore#capability(Class) capability}, one streaming
     * pass over {@link EventStore#read} otherwise.
     */
    static EventAnalytics of(EventStore store) {
        Objects.requireNonNull(store, "store");
        Optional<NativeAnalytics> answering = store.capability(NativeAnalytics.class);
        if (answering.isPresent()) {
            return answering.get()::analytics;
        }
        return streaming(store);
    }

    /**
     * Analytics computed in one pass over {@link EventStore#read}, whatever the store. Memory is
     * bounded by the number of distinct groups and days, plus one {@code long} per tool duration
     * (which the percentiles need).
     */
    static EventAnalytics streaming(EventStore store) {
        return new StreamingAnalytics(Objects.requireNonNull(store, "store"));
    }
}
