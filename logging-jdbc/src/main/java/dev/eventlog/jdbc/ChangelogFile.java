package dev.eventlog.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Liquibase formatted-SQL changelog in the jar holds, read once: its change sets in order,
 * the tables and views each one creates, and the tables its rollback drops. The migrator uses it
 * to check a database before changing anything.
 */
final class ChangelogFile {
    private static final Pattern CHANGESET = Pattern.compile("(?m)^--changeset\\s+([^:\\s]+):(\\S+)");
    private static final Pattern CREATES = Pattern.compile(
            "(?i)\\bCREATE\\s+(?:OR\\s+REPLACE\\s+)?(TABLE|VIEW)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?\"?(\\w+)\"?");
    private static final Pattern DROPS = Pattern.compile("(?i)\\bDROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?\"?(\\w+)\"?");
    /** A change set's comment naming tables whose rows are computed from the events ({@code -- derived: a, b}). */
    private static final String DERIVED = "-- derived:";

    /**
     * One change set.
     *
     * @param id {@code author:id}
     * @param creates the tables and views it creates, lower case
     * @param rollbackDrops the tables its rollback drops, lower case, but those its {@code -- derived:}
     *     comment names: their rows are computed from the events, so dropping them loses nothing
     */
    record ChangeSet(String id, List<String> creates, List<String> rollbackDrops) {
        String author() {
            return id.substring(0, id.indexOf(':'));
        }
    }

    /** Changelogs already read, by resource: a jar's changelog never changes, so each store open after the first skips the parse. */
    private static final Map<String, ChangelogFile> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

    private final String text;
    private final List<String> ids;
    // What each change set creates and drops, read at the first question about it: a store that is
    // up to date is checked by the ids alone, and reading every statement is most of the parse.
    private volatile Map<String, ChangeSet> changeSets;

    private ChangelogFile(String text) {
        this.text = text;
        Set<String> headers = new LinkedHashSet<>();
        Matcher header = CHANGESET.matcher(text);
        while (header.find()) {
            headers.add(header.group(1) + ":" + header.group(2));
        }
        this.ids = List.copyOf(headers);
    }

    static ChangelogFile read(String resource) {
        return PARSED.computeIfAbsent(resource, ChangelogFile::load);
    }

    private static ChangelogFile load(String resource) {
        try (InputStream in = ChangelogFile.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("changelog " + resource + " is not on the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read changelog " + resource, e);
        }
    }

    static ChangelogFile parse(String text) {
        return new ChangelogFile(text);
    }

    private Map<String, ChangeSet> changeSets() {
        Map<String, ChangeSet> sets = changeSets;
        if (sets == null) {
            sets = changeSets(text);
            changeSets = sets;
        }
        return sets;
    }

    private static Map<String, ChangeSet> changeSets(String text) {
        Map<String, ChangeSet> sets = new LinkedHashMap<>();
        Matcher header = CHANGESET.matcher(text);
        List<int[]> bounds = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        while (header.find()) {
            ids.add(header.group(1) + ":" + header.group(2));
            bounds.add(new int[] {header.end(), 0});
        }
        for (int i = 0; i < ids.size(); i++) {
            int end = i + 1 < ids.size() ? text.lastIndexOf("--changeset", bounds.get(i + 1)[0]) : text.length();
            String body = text.substring(bounds.get(i)[0], end);
            List<String> creates = new ArrayList<>();
            List<String> drops = new ArrayList<>();
            List<String> derived = new ArrayList<>();
            for (String line : body.split("\n")) {
                String trimmed = line.strip();
                if (trimmed.startsWith(DERIVED)) {
                    for (String name : trimmed.substring(DERIVED.length()).split(",")) {
                        derived.add(name.strip().toLowerCase(Locale.ROOT));
                    }
                } else if (trimmed.startsWith("--rollback")) {
                    Matcher drop = DROPS.matcher(trimmed);
                    while (drop.find()) {
                        drops.add(drop.group(1).toLowerCase(Locale.ROOT));
                    }
                } else if (!trimmed.startsWith("--")) {
                    Matcher create = CREATES.matcher(trimmed);
                    while (create.find()) {
                        creates.add(create.group(2).toLowerCase(Locale.ROOT));
                    }
                }
            }
            drops.removeAll(derived);
            sets.putIfAbsent(ids.get(i), new ChangeSet(ids.get(i), List.copyOf(creates), List.copyOf(drops)));
        }
        return sets;
    }

    /** The change set ids in order, as {@code author:id}. */
    List<String> ids() {
        return ids;
    }

    /** The change set {@code id}, or {@code null} when this changelog does not have it. */
    ChangeSet get(String id) {
        return changeSets().get(id);
    }

    /** Whether some change set of this changelog has {@code author}. */
    boolean hasAuthor(String author) {
        return changeSets().values().stream().anyMatch(set -> set.author().equals(author));
    }
}
