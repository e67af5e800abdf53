package dev.eventlog.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.jsonl.JsonlReader;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.jsonl.LineDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sample legacy JSONL files that ship with the test kit (resources under
 * {@value #RESOURCES}) and what a correct import of them yields, from their {@code expected.json}:
 * events per kind, rejected lines per kind and the analytics figures, computed independently of
 * eventlog from the same lines.
 *
 * <p>The files are as older shell and Python hooks wrote them: times as epoch seconds, epoch
 * milliseconds or ISO-8601 text, booleans as {@code true}, {@code 1} or {@code "yes"}, older key
 * names, a torn line, malformed lines, an unknown key, quotes, SQL-looking strings, Unicode and a
 * NUL character. Thread-safe.
 */
public final class Samples {
    /** Where the files are on the class path. */
    public static final String RESOURCES = "dev/eventlog/testkit/samples/";

    private static final List<String> FILES = List.of("git-activity.jsonl",
            "recovery-outcomes.jsonl", "routing-metrics.jsonl", "self-heal-outcomes.jsonl",
            "session-outcomes.jsonl", "tool-usage.jsonl");

    private Samples() {
    }

    /**
     * A new temporary directory holding a copy of the sample JSONL files, so that a test may import,
     * edit or write beside them without touching another test's copy. Deleted when the JVM exits.
     */
    public static Path directory() {
        try {
            Path dir = Files.createTempDirectory("eventlog-samples");
            dir.toFile().deleteOnExit();
            copyTo(dir);
            for (String name : FILES) {
                dir.resolve(name).toFile().deleteOnExit();
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the sample JSONL files into {@code dir}, creating it; returns {@code dir}. */
    public static Path copyTo(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String name : FILES) {
                try (InputStream in = resource(name)) {
                    Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = Samples.class.getClassLoader().getResourceAsStream(RESOURCES + name);
        if (in == null) {
            throw new IllegalStateException("the test kit's resource " + RESOURCES + name + " is missing");
        }
        return in;
    }

    /** Events per kind that importing the samples yields. */
    public static Map<EventKind, Long> expectedCounts() {
        return perKind("counts");
    }

    /** Rejected lines per kind that importing the samples yields. */
    public static Map<EventKind, Long> expectedRejected() {
        return perKind("rejected");
    }

    /** The {@code analytics} object of expected.json. */
    public static JsonNode expectedAnalytics() {
        return expected().get("analytics");
    }

    private static Map<EventKind, Long> perKind(String section) {
        Map<EventKind, Long> counts = new EnumMap<>(EventKind.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = expected().get(section).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            counts.put(EventKind.fromKey(entry.getKey()).orElseThrow(), entry.getValue().asLong());
        }
        return counts;
    }

    /** Every event the sample files hold by the import rules, file by file; rejected lines left out. */
    public static List<Event> events() {
        List<Event> events = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
                EventKind kind = EventKind.fromFileName(file.getFileName().toString()).orElseThrow();
                try (JsonlReader reader = JsonlReader.open(file, new LineDecoder(kind, KeyAliases.builtIn()))) {
                    for (JsonlReader.Line line = reader.next(); line != null; line = reader.next()) {
                        if (line.event() != null) {
                            events.add(line.event());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    /** The whole of expected.json. */
    public static JsonNode expected() {
        try {
            try (InputStream in = resource("expected.json")) {
                return new ObjectMapper().readTree(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
