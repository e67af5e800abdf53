package dev.eventlog.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.ExpertiseRoutingEvent;
import dev.eventlog.internal.json.Json;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jackson's read limits are no lower than the longest line eventlog reads: a line just under
 * the maximum is parsed and judged by the event rules, and a key or number longer than Jackson's
 * defaults decodes.
 */
class JacksonLimitsTest {
    private static final UUID ID = UUID.fromString("019c0000-0000-7000-8000-000000000001");

    @TempDir
    Path dir;

    private static Event decode(EventKind kind, String line) throws RejectedLineException {
        return new LineDecoder(kind, KeyAliases.builtIn()).decode(line, millis -> ID);
    }

    @Test
    void aLineOfOneStringJustUnderTheMaximumLineSizeIsParsedAndJudgedByTheEventLimits() throws Exception {
        byte[] head = "{\"ts\":1769580154,\"activity_type\":\"t\",\"note\":\"".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\"}".getBytes(StandardCharsets.US_ASCII);
        int lineBytes = Json.MAX_LINE_BYTES - 1;
        byte[] filler = new byte[lineBytes - head.length - tail.length];
        Arrays.fill(filler, (byte) 'x');
        Path file = dir.resolve(EventKind.ACTIVITY.fileName());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(head);
            out.write(filler);
            out.write(tail);
            out.write('\n');
        }

        JsonlReader.Line line;
        try (JsonlReader reader = JsonlReader.open(file, new LineDecoder(EventKind.ACTIVITY, KeyAliases.builtIn()))) {
            line = reader.next();
        }

        System.out.println("a " + lineBytes + "-byte line: " + line.rejection());
        // Jackson read the whole string; the event rules refuse a text above 4 MiB, naming it.
        assertThat(line.event()).isNull();
        assertThat(line.rejection()).startsWith("attributes.note was " + filler.length + " bytes of UTF-8 text")
                .contains("at most 4194304 bytes").doesNotContain("exceeds the maximum");
    }

    @Test
    void aKeyLongerThanJacksonsDefaultNameLimitDecodes() throws RejectedLineException {
        String key = "k".repeat(60_000);

        Event event = decode(EventKind.ACTIVITY, "{\"ts\":1769580154,\"activity_type\":\"t\",\"" + key + "\":1}");

        System.out.println("decoded a " + key.length() + "-character key");
        assertThat(event.attributes()).containsEntry(key, 1L);
    }

    @Test
    void aNumberLongerThanJacksonsDefaultNumberLimitDecodes() throws RejectedLineException {
        String number = "0.5" + "0".repeat(5_000) + "1";

        Event event = decode(EventKind.EXPERTISE_ROUTING, "{\"ts\":1769580154,\"domain\":\"d\",\"chosen_model\":\"m\","
                + "\"expertise_level\":" + number + "}");

        System.out.println("decoded a " + number.length() + "-character number");
        assertThat(((ExpertiseRoutingEvent) event).expertiseLevel()).isEqualTo(0.5);
    }
}
