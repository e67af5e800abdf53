package dev.eventlog.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventlog.ConfigurationException;
import dev.eventlog.EventKind;
import dev.eventlog.jsonl.KeyAliases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a user's own key aliases, {@code --map FILE}: a JSON object of kinds, each an object of
 * {@code "alias": "field"}, e.g. {@code {"git": {"project": "repo"}}}. They are added to the
 * built-in aliases (README, "Migrating from JSONL").
 */
final class AliasMapFile {
    private AliasMapFile() {
    }

    /**
     * The built-in aliases plus those in {@code file}.
     *
     * @throws ConfigurationException naming every problem in the file
     */
    static KeyAliases read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (JacksonException e) {
            throw new ConfigurationException("--map was '" + file + "' but it must be a JSON object like "
                    + "{\"git\": {\"project\": \"repo\"}}: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigurationException("--map was '" + file + "' but it must be a readable file (" + e + ")");
        }
        if (root == null || !root.isObject()) {
            throw new ConfigurationException("--map was '" + file + "' but it must hold a JSON object like "
                    + "{\"git\": {\"project\": \"repo\"}}");
        }
        KeyAliases aliases = KeyAliases.builtIn();
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> kinds = root.fields(); kinds.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = kinds.next();
            EventKind kind = EventKind.fromKey(entry.getKey()).orElse(null);
            if (kind == null) {
                problems.add("--map kind was '" + entry.getKey() + "' but it must be one of " + Converters.kindKeys());
                continue;
            }
            if (!entry.getValue().isObject()) {
                problems.add("--map " + entry.getKey() + " was " + entry.getValue()
                        + " but it must be an object of \"alias\": \"field\"");
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> pairs = entry.getValue().fields(); pairs.hasNext(); ) {
                Map.Entry<String, JsonNode> pair = pairs.next();
                try {
                    aliases = aliases.with(kind, pair.getKey(), pair.getValue().asText());
                } catch (ConfigurationException e) {
                    problems.addAll(e.problems());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return aliases;
    }
}
