package dev.eventlog.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.Ids;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.jsonl.LineDecoder;
import dev.eventlog.jsonl.RejectedLineException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Decodes a request body or an inbox file (one JSON object, or JSON lines) into events by the
 * import rules. A line's kind is its {@code kind} field when that names a kind, else the kind the
 * caller gives (the request path's); under {@code custom} the {@code kind} field is the custom
 * event's name. A line without an id gets the id {@code eventlog import} would give it: derived
 * from the kind, the line's bytes and how often the same line came before in the same body, so a
 * retried body stores nothing twice. A request body may leave the time out: {@link
 * #decode(byte[], EventKind, long)} gives such a line the time the service received it (and the id
 * derived from that time); an inbox file's lines must hold their time. Thread-safe.
 */
public final class Ingest {
    private static final ObjectMapper JSON = new ObjectMapper();
    // The whole body as one value: trailing tokens (a second line) make it not one object.
    private static final com.fasterxml.jackson.databind.ObjectReader WHOLE = JSON.reader()
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    // No time of receipt: a line must hold its own time (an inbox file).
    private static final long NO_RECEIPT = Long.MIN_VALUE;

    private final Map<EventKind, LineDecoder> decoders = new EnumMap<>(EventKind.class);

    /** An ingest by the built-in key aliases. */
    public Ingest() {
        KeyAliases aliases = KeyAliases.builtIn();
        for (EventKind kind : EventKind.values()) {
            decoders.put(kind, new LineDecoder(kind, aliases));
        }
    }

    /** One rejected line: its number in the body (from 1) and why. */
    public record Rejection(int line, String reason) {
    }

    /** What a body holds: the events to store and the lines rejected. */
    public record Decoded(List<Event> events, List<Rejection> rejected) {
    }

    /**
     * Decodes {@code body}.
     *
     * @param pathKind the kind of lines that name none, or {@code null}
     */
    public Decoded decode(byte[] body, EventKind pathKind) {
        return decode(body, pathKind, NO_RECEIPT);
    }

    /**
     * Decodes a request {@code body} received at {@code receivedMillis}: a line with neither
     * {@code ts} nor {@code timestamp} gets that time, so a client need not read the clock.
     *
     * @param pathKind the kind of lines that name none, or {@code null}
     * @param receivedMillis when the body was received, in epoch milliseconds
     */
    public Decoded decode(byte[] body, EventKind pathKind, long receivedMillis) {
        List<Event> events = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        Map<Long, Integer> occurrences = new HashMap<>();
        int number = 0;
        int start = 0;
        while (start <= body.length) {
            int end = start;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            number++;
            int contentEnd = end > start && body[end - 1] == '\r' ? end - 1 : end;
            String text = new String(body, start, contentEnd - start, StandardCharsets.UTF_8);
            if (!text.isBlank()) {
                decodeLine(number, body, start, contentEnd, text, pathKind, receivedMillis, occurrences, events,
                        rejected);
            }
            start = end + 1;
        }
        if (events.isEmpty() && rejected.isEmpty()) {
            rejected.add(new Rejection(1, "empty body: send one JSON object or JSON lines"));
        }
        if (events.isEmpty() && !rejected.isEmpty() && rejected.get(0).reason().startsWith("not JSON")) {
            byte[] single = asOneLine(body);
            if (single != null) {
                return decode(single, pathKind, receivedMillis);
            }
        }
        return new Decoded(events, rejected);
    }

    // One JSON object spread over several lines (pretty-printed) is one event: read as its compact line.
    private static byte[] asOneLine(byte[] body) {
        try {
            JsonNode whole = WHOLE.readTree(body);
            if (whole != null && whole.isObject()) {
                byte[] compact = JSON.writeValueAsBytes(whole);
                return java.util.Arrays.equals(compact, body) ? null : compact;
            }
        } catch (java.io.IOException e) {
            // Not one object either: the line-by-line reasons stand.
            return null;
        }
        return null;
    }

    private void decodeLine(int number, byte[] body, int from, int to, String text, EventKind pathKind,
            long receivedMillis, Map<Long, Integer> occurrences, List<Event> events, List<Rejection> rejected) {
        JsonNode root;
        try {
            root = LineDecoder.parse(text);   // parsed once: the decoder below takes the same tree
        } catch (RejectedLineException e) {
            rejected.add(new Rejection(number, e.getMessage()));
            return;
        }
        if (receivedMillis != NO_RECEIPT && absent(root.get("ts")) && absent(root.get("timestamp"))) {
            ((ObjectNode) root).put("ts", receivedMillis);
        }
        JsonNode kindField = root.get("kind");
        EventKind kind;
        if (pathKind == EventKind.CUSTOM) {
            kind = EventKind.CUSTOM;
        } else if (kindField != null && kindField.isTextual()) {
            Optional<EventKind> named = EventKind.fromKey(kindField.textValue());
            if (named.isEmpty()) {
                rejected.add(new Rejection(number, "unknown kind '" + kindField.textValue() + "': use a kind of "
                        + "the catalogue, or post a custom event to /v1/events/custom"));
                return;
            }
            if (pathKind != null && named.get() != pathKind) {
                rejected.add(new Rejection(number, "kind was '" + kindField.textValue() + "' but the path says '"
                        + pathKind.key() + "'"));
                return;
            }
            kind = named.get();
        } else if (pathKind != null) {
            kind = pathKind;
        } else {
            rejected.add(new Rejection(number, "no kind: give a \"kind\" field or post to /v1/events/KIND"));
            return;
        }
        byte[] hash = lineHash(kind, body, from, to);
        int occurrence = occurrences.merge(ByteBuffer.wrap(hash).getLong(), 1, Integer::sum) - 1;
        try {
            events.add(decoders.get(kind).decode(root, millis -> derivedId(millis, hash, occurrence)));
        } catch (RejectedLineException e) {
            rejected.add(new Rejection(number, e.getMessage()));
        }
    }

    /**
     * Reads one line of a followed file by the rules of {@code eventlog import}: a line of a file named
     * for a kind ({@code fileKind} not null) is that kind, its {@code kind} field an attribute unless it
     * names the same kind; a line of another file is the kind its {@code kind} field names. The line's
     * occurrence among identical lines before it in the file is counted in {@code occurrences} (every
     * non-blank line of a kind's file, as the importer counts), so the id is the one {@code eventlog
     * import} gives the same line of the same file.
     *
     * @param bytes the buffer holding the line, {@code from} inclusive, {@code to} exclusive, without its
     *     line feed (a carriage return before it is dropped here)
     * @param decode false to count the line only (re-reading the part of a file already stored)
     * @return the event, or {@code null} for a blank line or when {@code decode} is false
     * @throws RejectedLineException with the reason when the line is not an event
     */
    Event followedLine(byte[] bytes, int from, int to, EventKind fileKind, Map<Long, Integer> occurrences,
            boolean decode) throws RejectedLineException {
        int end = to > from && bytes[to - 1] == '\r' ? to - 1 : to;
        if (blank(bytes, from, end)) {
            return null;
        }
        if (fileKind != null) {
            byte[] hash = lineHash(fileKind, bytes, from, end);
            int occurrence = occurrences.merge(ByteBuffer.wrap(hash).getLong(), 1, Integer::sum) - 1;
            if (!decode) {
                return null;
            }
            JsonNode root = LineDecoder.parse(strictUtf8(bytes, from, end));
            return decoders.get(fileKind).decode(root, millis -> derivedId(millis, hash, occurrence));
        }
        JsonNode root = LineDecoder.parse(strictUtf8(bytes, from, end));
        JsonNode kindField = root.get("kind");
        if (kindField == null || !kindField.isTextual()) {
            throw new RejectedLineException("no kind: the file's name is not one of the catalogue's, so each line "
                    + "needs a \"kind\" field");
        }
        EventKind kind = EventKind.fromKey(kindField.textValue()).orElseThrow(() -> new RejectedLineException(
                "unknown kind '" + kindField.textValue() + "': use a kind of the catalogue"));
        byte[] hash = lineHash(kind, bytes, from, end);
        int occurrence = occurrences.merge(ByteBuffer.wrap(hash).getLong(), 1, Integer::sum) - 1;
        return decode ? decoders.get(kind).decode(root, millis -> derivedId(millis, hash, occurrence)) : null;
    }

    // Blank as the importer's reader sees it: spaces, tabs and carriage returns only.
    private static boolean blank(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static String strictUtf8(byte[] bytes, int from, int to) throws RejectedLineException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, to - from))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new RejectedLineException("not valid UTF-8");
        }
    }

    // As the decoder reads it: no value, null or blank text.
    private static boolean absent(JsonNode value) {
        return value == null || value.isNull() || (value.isTextual() && value.textValue().isBlank());
    }

    // The same digest as the importer's: the kind's key and a line feed, then the line's bytes.
    private static byte[] lineHash(EventKind kind, byte[] body, int from, int to) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        digest.update((kind.key() + "\n").getBytes(StandardCharsets.UTF_8));
        digest.update(body, from, to - from);
        return digest.digest();
    }

    private static UUID derivedId(long millis, byte[] lineHash, int occurrence) {
        byte[] content = java.util.Arrays.copyOf(lineHash, lineHash.length + 4);
        ByteBuffer.wrap(content, lineHash.length, 4).putInt(occurrence);
        return Ids.derived(millis, content);
    }
}
