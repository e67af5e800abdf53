package dev.eventlog.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.jsonl.JsonlReader;
import dev.eventlog.jsonl.KeyAliases;
import dev.eventlog.jsonl.LineDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sample legacy files in {@code ../shared/samples} beside the repository (CI clones the
 * repository next to {@code shared/}) and the counts their {@code expected.json} promises.
 */
public final class SharedSamples {
    private SharedSamples() {
    }

    /** The samples directory, found by walking up from the working directory (a module or the root). */
    public static Path directory() {
        String root = System.getProperty("maven.multiModuleProjectDirectory");
        Path start = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path samples = dir.resolveSibling("shared").resolve("samples");
            if (Files.isRegularFile(samples.resolve("expected.json"))) {
                return samples;
            }
        }
        throw new IllegalStateException("no ../shared/samples/expected.json above " + start
                + ": clone the repository next to the shared/ directory");
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
            return new ObjectMapper().readTree(directory().resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
