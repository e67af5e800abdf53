package dev.eventlog.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.Ids;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rules the migration tools rely on: every spelling of a time, blank times, and unknown keys
 * whose values no typed field would take.
 */
class LineDecoderTimeTest {
    private final LineDecoder decoder = new LineDecoder(EventKind.ACTIVITY, KeyAliases.builtIn());

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2026-01-28T08:02:34+02:00 | 2026-01-28T06:02:34Z",
        "2026-01-28T08:02:34+0200  | 2026-01-28T06:02:34Z",
        "2026-01-28T08:02:34+02    | 2026-01-28T06:02:34Z",
        "2026-01-28T06:02:34Z      | 2026-01-28T06:02:34Z",
        "2026-01-28T06:02:34.5z    | 2026-01-28T06:02:34.500Z",
        "2026-01-28 06:02:34       | 2026-01-28T06:02:34Z",
        "2026-01-28T06:02          | 2026-01-28T06:02:00Z",
        "2026-01-28                | 2026-01-28T00:00:00Z",
        "1769580154                | 2026-01-28T06:02:34Z",
        "1769580154.5              | 2026-01-28T06:02:34.500Z",
        "1769580154500             | 2026-01-28T06:02:34.500Z"})
    void readsEveryIso8601AndEpochFormOfTheTime(String text, String expected) throws RejectedLineException {
        Event event = decode("{\"ts\": \"" + text + "\"}");

        assertThat(event.ts()).isEqualTo(Instant.parse(expected));
        assertThat(LineDecoder.parseTime(text)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0                    | 1970-01-01T00:00:00Z",
        "253402300799.999     | 9999-12-31T23:59:59.999Z",
        "253402300800         | 1978-01-11T21:31:40.800Z",
        "999999999999         | 2001-09-09T01:46:39.999Z",
        "1000000000000        | 2001-09-09T01:46:40Z",
        "253402300799999      | 9999-12-31T23:59:59.999Z"})
    void aNumberUpToTheLastValidSecondIsSecondsAndAboveItMilliseconds(String number, String expected)
            throws RejectedLineException {
        Event event = decode("{\"ts\": " + number + "}");

        assertThat(event.ts()).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-1                          | ts was '-1' (1969-12-31T23:59:59Z) but it must lie in 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z",
        "253402300800000             | ts was '253402300800000' (+10000-01-01T00:00:00Z) but it must lie in",
        "1E+20                       | ts was '1E+20' but it must be a time in",
        "\"1969-12-31T23:59:59.999Z\" | ts was '1969-12-31T23:59:59.999Z' (1969-12-31T23:59:59.999Z) but it must lie in",
        "\"+10000-01-01T00:00:00Z\"   | ts was '+10000-01-01T00:00:00Z' (+10000-01-01T00:00:00Z) but it must lie in"})
    void aTimeOutsideTheValidRangeIsRejectedWithTheReason(String ts, String reason) {
        assertThatThrownBy(() -> decode("{\"ts\": " + ts + "}"))
                .isInstanceOf(RejectedLineException.class)
                .hasMessageStartingWith(reason);
    }

    @Test
    void aBlankTsFallsBackToTimestamp() throws RejectedLineException {
        Event event = decode("{\"ts\": \"\", \"timestamp\": \"2026-01-28T06:02:34Z\"}");

        assertThat(event.ts()).isEqualTo(Instant.parse("2026-01-28T06:02:34Z"));
    }

    @Test
    void aLineWhoseTimesAreAllBlankIsRejected() {
        assertThatThrownBy(() -> decode("{\"ts\": \" \", \"timestamp\": null}"))
                .isInstanceOf(RejectedLineException.class)
                .hasMessage("no time: neither 'ts' nor 'timestamp' holds a value");
    }

    private Event decode(String line) throws RejectedLineException {
        return decoder.decode(line, millis -> Ids.derived(millis, line.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anUnknownKeyHoldingAnIntegerBeyond64BitsIsKeptAsAnAttribute() throws RejectedLineException {
        Event event = decode("{\"ts\": 1, \"big\": 123456789012345678901234567890, \"small\": 7, "
                + "\"nested\": {\"n\": 18446744073709551616}}");

        assertThat(event.attributes().get("big")).isEqualTo(1.2345678901234568E29);
        assertThat(event.attributes().get("small")).isEqualTo(7L);
        assertThat(event.attributes().get("nested")).isEqualTo(java.util.Map.of("n", 1.8446744073709552E19));
    }
}
