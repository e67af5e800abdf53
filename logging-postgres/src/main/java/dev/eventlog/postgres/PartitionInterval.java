package dev.eventlog.postgres;

import dev.eventlog.ConfigurationException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * The span of one time partition of a PostgreSQL store: a UTC day, an ISO week (from Monday) or a
 * calendar month (README, "PostgreSQL at scale").
 */
public enum PartitionInterval {
    /** One UTC day per partition. */
    DAY,
    /** One ISO week per partition, Monday to Sunday, UTC. */
    WEEK,
    /** One calendar month per partition, UTC; the default. */
    MONTH;

    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);

    /** The lower-case name used in URLs, options and table comments. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The interval named {@code text} ({@code day}, {@code week} or {@code month}, any case).
     *
     * @param what what the message calls the value, e.g. {@code partitions}
     * @throws ConfigurationException naming {@code what} and the value when it is none of those
     */
    public static PartitionInterval parse(String what, String text) {
        for (PartitionInterval interval : values()) {
            if (interval.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return interval;
            }
        }
        throw new ConfigurationException(what + " was '" + text + "' but it must be day, week or month");
    }

    /** The first day of the interval holding {@code day}. */
    LocalDate start(LocalDate day) {
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
    }

    /** The first day of the interval holding {@code time}, in UTC. */
    LocalDate start(Instant time) {
        return start(LocalDate.ofInstant(time, ZoneOffset.UTC));
    }

    /** The first day of the interval after the one starting on {@code start}. */
    LocalDate next(LocalDate start) {
        return switch (this) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
        };
    }

    /** PostgreSQL's {@code date_trunc} unit for the interval. */
    String unit() {
        return label();
    }

    /** The name of {@code table}'s partition starting on {@code start}, e.g. {@code tool_events_p20261201}. */
    static String partitionName(String table, LocalDate start) {
        return table + "_p" + SUFFIX.format(start);
    }
}
