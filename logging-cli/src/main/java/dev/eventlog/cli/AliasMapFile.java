package dev.eventlog.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventlog.ConfigurationException;
import dev.eventlog.EventKind;
import dev.eventlog.jsonl.KeyAliases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a user's own key aliases, {@code --map FILE}: a JSON object of kinds, each an object of
 * {@code "alias": "field"}, e.g. {@code {"git": {"project": "repo"}}}, where a field is one of the
 * kind's typed fields or an envelope field ({@code ts}, {@code id}, {@code session_id},
 * {@code source}); under {@code "*"}, aliases of envelope fields for every kind. They are added
 * to the built-in aliases (README, "Migrating from JSONL"). A problem is named with the file, the
 * line and the key.
 */
final class AliasMapFile {
    /** The key of the aliases that hold for every kind. */
    static final String EVERY_KIND = "*";

    private AliasMapFile() {
    }

    /**
     * The built-in aliases plus those in {@code file}.
     *
     * @throws ConfigurationException naming every problem in the file
     */
    static KeyAliases read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigurationException("--map was '" + file + "' but it must be a readable file (" + e + ")");
        }
        KeyAliases aliases = KeyAliases.builtIn();
        List<String> problems = new ArrayList<>();
        try (JsonParser parser = new ObjectMapper().getFactory().createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new ConfigurationException("--map was '" + file + "' but it must hold a JSON object like "
                        + "{\"git\": {\"project\": \"repo\"}}");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String kindKey = parser.currentName();
                String where = "--map " + file + " line " + parser.currentLocation().getLineNr();
                boolean everyKind = kindKey.equals(EVERY_KIND);
                EventKind kind = everyKind ? null : EventKind.fromKey(kindKey).orElse(null);
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    problems.add(where + ": " + kindKey + " was " + parser.readValueAsTree()
                            + " but it must be an object of \"alias\": \"field\"");
                    continue;
                }
                if (kind == null && !everyKind) {
                    problems.add(where + ": kind was '" + kindKey + "' but it must be one of " + Converters.kindKeys()
                            + " or \"" + EVERY_KIND + "\" (every kind)");
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String alias = parser.currentName();
                    String at = "--map " + file + " line " + parser.currentLocation().getLineNr() + ", " + kindKey
                            + " key '" + alias + "': ";
                    JsonToken value = parser.nextToken();
                    if (value != JsonToken.VALUE_STRING) {
                        problems.add(at + "field was " + parser.readValueAsTree() + " but it must be a field name");
                        continue;
                    }
                    try {
                        aliases = everyKind ? aliases.withEveryKind(alias, parser.getText())
                                : aliases.with(kind, alias, parser.getText());
                    } catch (ConfigurationException e) {
                        e.problems().forEach(problem -> problems.add(at + problem));
                    }
                }
            }
            if (parser.nextToken() != null) {
                throw new ConfigurationException("--map " + file + " line " + parser.currentLocation().getLineNr()
                        + ": more after the JSON object");
            }
        } catch (JacksonException e) {
            throw new ConfigurationException("--map was '" + file + "' but it must be a JSON object like "
                    + "{\"git\": {\"project\": \"repo\"}} (" + (e.getLocation() == null ? ""
                    : "line " + e.getLocation().getLineNr() + ": ") + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new ConfigurationException("--map was '" + file + "' but it must be a readable file (" + e + ")");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return aliases;
    }
}
