package dev.eventlog.cli;

import dev.eventlog.EventKind;
import dev.eventlog.jsonl.LineDecoder;
import dev.eventlog.jsonl.RejectedLineException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Turns command-line text into kinds and times, with messages that say what was expected. */
final class Converters {
    private Converters() {
    }

    /** Every kind key, for messages and help. */
    static String kindKeys() {
        List<String> keys = new ArrayList<>();
        for (EventKind kind : EventKind.values()) {
            keys.add(kind.key());
        }
        return String.join(", ", keys);
    }

    /** A kind key of the catalogue, e.g. {@code self_heal} (or {@code self-heal}). */
    static final class Kind implements ITypeConverter<EventKind> {
        @Override
        public EventKind convert(String value) {
            return EventKind.fromKey(value.strip()).orElseThrow(() -> new TypeConversionException(
                    "'" + value + "' is no kind; it must be one of " + kindKeys()));
        }
    }

    /** A time: epoch seconds, epoch milliseconds or ISO-8601 text (no offset means UTC). */
    static final class Time implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return LineDecoder.parseTime(value);
            } catch (RejectedLineException e) {
                throw new TypeConversionException("'" + value
                        + "' is no time; it must be epoch seconds, epoch milliseconds or ISO-8601 text");
            }
        }
    }
}
