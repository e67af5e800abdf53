package dev.eventlog.migrate;

import dev.eventlog.EventKind;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report of an import, copy or reconcile: per kind what was read, imported, already present
 * and rejected; rows per table in the target afterwards; the content check; where rejected lines
 * went. Immutable.
 *
 * @param operation {@code import}, {@code copy} or {@code reconcile}
 * @param source the input files or the source store (no password)
 * @param target the target store (no password)
 * @param kinds the tally of each kind the run read, in catalogue order
 * @param rowsAfter rows per table in the target after the run, every table of the catalogue
 * @param contentCheck the read-back comparison of what was sent
 * @param quarantine where rejected lines were written, or {@code null} when no file is kept
 * @param notes things a user should know that are not counts, e.g. a file unchanged since the
 *     last import
 */
public record MigrationReport(String operation, String source, String target, Map<EventKind, KindTally> kinds,
        Map<String, Long> rowsAfter, ContentCheck contentCheck, Path quarantine, List<String> notes) {

    /** Copies the maps and lists, keeping their order. */
    public MigrationReport {
        EnumMap<EventKind, KindTally> ordered = new EnumMap<>(EventKind.class);
        ordered.putAll(kinds);
        kinds = Collections.unmodifiableMap(ordered);
        rowsAfter = Collections.unmodifiableMap(new LinkedHashMap<>(rowsAfter));
        notes = List.copyOf(notes);
    }

    /** The sum over every kind. */
    public KindTally totals() {
        KindTally total = KindTally.ZERO;
        for (KindTally tally : kinds.values()) {
            total = total.plus(tally);
        }
        return total;
    }

    /** Whether no line was rejected and the content check found every event as sent. */
    public boolean ok() {
        return totals().rejected() == 0 && contentCheck.ok();
    }
}
