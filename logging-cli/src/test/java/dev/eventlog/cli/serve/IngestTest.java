package dev.eventlog.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.Event;
import dev.eventlog.EventKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a request body or inbox file becomes events: every line is accounted for, and ids repeat on a retry. */
class IngestTest {
    private final Ingest ingest = new Ingest();

    private static final String GIT = "{\"kind\":\"git\",\"ts\":1700000000,\"event_type\":\"commit\",\"repo\":\"app\"}";
    private static final String TOOL = "{\"kind\":\"tool_use\",\"ts\":\"2024-05-01T10:00:00Z\",\"tool\":\"Bash\","
            + "\"success\":\"yes\"}";

    private Ingest.Decoded decode(String body, EventKind pathKind) {
        return ingest.decode(body.getBytes(StandardCharsets.UTF_8), pathKind);
    }

    @Test
    void everyLineIsEitherAnEventOrARejectionWhereverTheBadLineIs() {
        for (int bad = 0; bad < 3; bad++) {
            String[] body = {GIT, TOOL, GIT.replace("app", "other")};
            body[bad] = "not json";
            Ingest.Decoded decoded = decode(String.join("\n", body) + "\n", null);
            System.out.printf("bad line %d: %d events, rejected %s%n", bad + 1, decoded.events().size(),
                    decoded.rejected());
            assertThat(decoded.events()).hasSize(2);
            assertThat(decoded.rejected()).extracting(Ingest.Rejection::line).containsExactly(bad + 1);
        }
    }

    @Test
    void aPrettyPrintedObjectIsOneEventAndTrailingTextIsNotDropped() {
        Ingest.Decoded pretty = decode("{\n  \"kind\": \"git\",\n  \"ts\": 1700000000,\n  \"event_type\": \"commit\","
                + "\n  \"repo\": \"app\"\n}\n", null);
        assertThat(pretty.events()).hasSize(1);
        assertThat(pretty.rejected()).isEmpty();

        Ingest.Decoded trailing = decode("{\n  \"kind\": \"git\",\n  \"ts\": 1700000000,\n  \"event_type\": \"commit\","
                + "\n  \"repo\": \"app\"\n}\ngarbage\n", null);
        System.out.println("pretty object then garbage: " + trailing.events().size() + " events, "
                + trailing.rejected().size() + " rejected");
        assertThat(trailing.events()).isEmpty();
        assertThat(trailing.rejected()).isNotEmpty();
    }

    @Test
    void theSameBodyGetsTheSameIdsAndRepeatedLinesDistinctOnes() {
        String body = GIT + "\n" + GIT + "\n" + TOOL + "\n";
        List<Event> first = decode(body, null).events();
        List<Event> again = decode(body, null).events();
        assertThat(first).extracting(Event::id).containsExactlyElementsOf(again.stream().map(Event::id).toList());
        assertThat(first.get(0).id()).isNotEqualTo(first.get(1).id());
    }

    @Test
    void theKindComesFromTheLineOrThePathAndAnUnknownOneIsRejected() {
        assertThat(decode("{\"ts\":1700000000,\"event_type\":\"commit\",\"repo\":\"a\"}", EventKind.GIT).events())
                .extracting(Event::kind).containsExactly(EventKind.GIT);
        assertThat(decode("{\"ts\":1700000000,\"repo\":\"a\"}", null).rejected().get(0).reason()).startsWith("no kind");
        assertThat(decode("{\"kind\":\"nope\",\"ts\":1700000000}", null).rejected().get(0).reason())
                .startsWith("unknown kind 'nope'");
        assertThat(decode(TOOL, EventKind.GIT).rejected().get(0).reason()).contains("the path says 'git'");
        assertThat(decode("{\"kind\":\"deploy\",\"ts\":1700000000}", EventKind.CUSTOM).events())
                .extracting(Event::kind).containsExactly(EventKind.CUSTOM);
    }

    @Test
    void aRequestLineWithoutTimeIsStampedAtReceiptAndAnInboxLineWithoutTimeIsRejected() {
        byte[] line = "{\"kind\":\"tool_use\",\"tool_name\":\"Bash\"}\n{\"kind\":\"tool_use\",\"tool_name\":\"Bash\",\"ts\":\" \"}"
                .getBytes(StandardCharsets.UTF_8);
        long received = 1_750_000_000_123L;
        Ingest.Decoded request = ingest.decode(line, null, received);
        Ingest.Decoded inbox = ingest.decode(line, null);
        Ingest.Decoded withTime = ingest.decode(TOOL.getBytes(StandardCharsets.UTF_8), null, received);
        System.out.printf("request: %d events at %s; inbox: rejected %s%n", request.events().size(),
                request.events().stream().map(e -> e.ts().toString()).toList(), inbox.rejected());
        assertThat(request.rejected()).isEmpty();
        assertThat(request.events()).hasSize(2).allSatisfy(e -> assertThat(e.ts().toEpochMilli()).isEqualTo(received));
        assertThat(request.events().get(0).id()).as("the lines differ, so do the ids")
                .isNotEqualTo(request.events().get(1).id());
        assertThat(ingest.decode(line, null, received).events()).extracting(Event::id)
                .as("the same body received in the same millisecond: the same ids")
                .containsExactlyElementsOf(request.events().stream().map(Event::id).toList());
        assertThat(inbox.events()).isEmpty();
        assertThat(inbox.rejected()).extracting(Ingest.Rejection::reason).allMatch(r -> r.startsWith("no time"));
        assertThat(withTime.events().get(0).ts()).as("a line's own time wins")
                .isEqualTo(java.time.Instant.parse("2024-05-01T10:00:00Z"));
    }
}
