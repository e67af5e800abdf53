package dev.eventlog.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventlog.EventKind;
import dev.eventlog.migrate.ContentCheck;
import dev.eventlog.migrate.KindTally;
import dev.eventlog.migrate.MigrationReport;
import dev.eventlog.migrate.VerifyReport;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Prints migration and verification reports as text tables or, with {@code --json}, as one JSON object. */
final class Reports {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Reports() {
    }

    /**
     * The exit code for {@code report}; when it is 1, one line on {@code err} says why, so that a
     * caller who reads only stderr (a script, a CI log) never sees a bare failure.
     */
    static int exitCode(MigrationReport report, String command, PrintWriter err) {
        return exitCode(report, command, "line", err);
    }

    /**
     * As {@link #exitCode(MigrationReport, String, PrintWriter)}, calling what was rejected
     * {@code unit}s: {@code line} for files, {@code row} for the tables of a database.
     */
    static int exitCode(MigrationReport report, String command, String unit, PrintWriter err) {
        if (report.ok()) {
            return EventlogCommand.OK;
        }
        StringBuilder why = new StringBuilder(command).append(": ");
        long rejected = report.totals().rejected();
        if (rejected > 0) {
            why.append(String.format(Locale.ROOT, "%,d rejected %s(s), written to %s", rejected, unit,
                    report.quarantine()));
        }
        ContentCheck check = report.contentCheck();
        if (!check.ok()) {
            why.append(rejected > 0 ? "; " : "").append("content check failed: ").append(describe(check));
        }
        err.println(EventlogCommand.oneLine(why.append(" (exit code 1)").toString()));
        err.flush();
        return EventlogCommand.DATA;
    }

    /** The exit code for {@code report}; when the stores differ, one line on {@code err} says so. */
    static int exitCode(VerifyReport report, String command, PrintWriter err) {
        if (report.identical()) {
            return EventlogCommand.OK;
        }
        long differing = report.kinds().stream().filter(k -> !k.identical()).count();
        err.println(command + ": the stores differ in " + differing + " kind(s): "
                + String.join(", ", report.kinds().stream().filter(k -> !k.identical())
                        .map(k -> k.kind().key()).toList()) + " (exit code 1)");
        err.flush();
        return EventlogCommand.DATA;
    }

    static void print(MigrationReport report, PrintWriter out, boolean json) {
        print(report, "line", out, json);
    }

    /** As {@link #print(MigrationReport, PrintWriter, boolean)}, calling what was rejected {@code unit}s. */
    static void print(MigrationReport report, String unit, PrintWriter out, boolean json) {
        if (json) {
            write(out, toJson(report));
            return;
        }
        out.println(report.operation() + " from " + report.source());
        out.println("        into " + report.target());
        out.printf(Locale.ROOT, "%-18s %12s %12s %16s %10s%n", "kind", "read", "imported", "already present",
                "rejected");
        report.kinds().forEach((kind, tally) -> row(out, kind.key(), tally));
        row(out, "total", report.totals());
        out.println();
        out.println("rows per table after the " + report.operation() + ":");
        report.rowsAfter().forEach((table, rows) -> {
            if (rows > 0) {
                out.printf(Locale.ROOT, "  %-26s %,12d%n", table, rows);
            }
        });
        if (report.rowsAfter().values().stream().allMatch(rows -> rows == 0)) {
            out.println("  (every table is empty)");
        }
        out.println("content check: " + describe(report.contentCheck()));
        if (report.totals().rejected() > 0 && report.quarantine() != null) {
            out.println("rejected " + unit + "s: " + report.quarantine());
        }
        report.notes().forEach(note -> out.println("note: " + note));
        out.println(report.ok() ? "result: ok" : "result: NOT ok (exit code 1)");
        out.flush();
    }

    static void print(VerifyReport report, PrintWriter out, boolean json) {
        if (json) {
            write(out, toJson(report));
            return;
        }
        out.println("verify " + report.source());
        out.println("    vs " + report.target());
        out.printf(Locale.ROOT, "%-18s %12s %12s  %-16s %s%n", "kind", "source", "target", "source digest", "result");
        for (VerifyReport.KindComparison kind : report.kinds()) {
            if (kind.sourceCount() == 0 && kind.targetCount() == 0) {
                continue;
            }
            out.printf(Locale.ROOT, "%-18s %,12d %,12d  %-16s %s%n", kind.kind().key(), kind.sourceCount(),
                    kind.targetCount(), kind.sourceDigest().substring(0, 16),
                    kind.identical() ? "identical" : "DIFFERENT");
        }
        for (VerifyReport.KindComparison kind : report.kinds()) {
            if (!kind.identical()) {
                out.println();
                out.println(kind.kind().key() + ":");
                ids(out, "only in source", kind.onlyInSource(), kind.firstOnlyInSource());
                ids(out, "only in target", kind.onlyInTarget(), kind.firstOnlyInTarget());
                ids(out, "differing", kind.differing(), kind.firstDiffering());
            }
        }
        out.println(report.identical() ? "result: identical" : "result: the stores differ (exit code 1)");
        out.flush();
    }

    private static void row(PrintWriter out, String name, KindTally tally) {
        out.printf(Locale.ROOT, "%-18s %,12d %,12d %,16d %,10d%n", name, tally.read(), tally.imported(),
                tally.alreadyPresent(), tally.rejected());
    }

    private static void ids(PrintWriter out, String what, long count, List<UUID> first) {
        if (count > 0) {
            out.println("  " + what + ": " + count + (count > first.size() ? ", first " + first.size() + ":" : ":"));
            first.forEach(id -> out.println("    " + id));
        }
    }

    private static String describe(ContentCheck check) {
        if (!check.performed()) {
            return "skipped";
        }
        if (check.ok()) {
            return String.format(Locale.ROOT, "%,d event(s) checked, all identical", check.checked());
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "%,d event(s) checked: %,d identical, %,d differing, %,d missing", check.checked(),
                check.identical(), check.differing(), check.missing()));
        if (!check.firstDiffering().isEmpty()) {
            text.append("; first differing ").append(check.firstDiffering());
        }
        if (!check.firstMissing().isEmpty()) {
            text.append("; first missing ").append(check.firstMissing());
        }
        return text.toString();
    }

    static ObjectNode toJson(MigrationReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("operation", report.operation());
        root.put("source", report.source());
        root.put("target", report.target());
        ObjectNode kinds = root.putObject("kinds");
        for (Map.Entry<EventKind, KindTally> entry : report.kinds().entrySet()) {
            tally(kinds.putObject(entry.getKey().key()), entry.getValue());
        }
        tally(root.putObject("totals"), report.totals());
        ObjectNode rows = root.putObject("rows_after");
        report.rowsAfter().forEach(rows::put);
        ContentCheck check = report.contentCheck();
        ObjectNode content = root.putObject("content_check");
        content.put("performed", check.performed());
        content.put("checked", check.checked());
        content.put("identical", check.identical());
        content.put("differing", check.differing());
        content.put("missing", check.missing());
        ids(content.putArray("first_differing"), check.firstDiffering());
        ids(content.putArray("first_missing"), check.firstMissing());
        content.put("ok", check.ok());
        root.put("quarantine", report.quarantine() == null ? null : report.quarantine().toString());
        ArrayNode notes = root.putArray("notes");
        report.notes().forEach(notes::add);
        root.put("ok", report.ok());
        return root;
    }

    static ObjectNode toJson(VerifyReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("source", report.source());
        root.put("target", report.target());
        ObjectNode kinds = root.putObject("kinds");
        for (VerifyReport.KindComparison kind : report.kinds()) {
            ObjectNode node = kinds.putObject(kind.kind().key());
            node.put("source_count", kind.sourceCount());
            node.put("target_count", kind.targetCount());
            node.put("source_digest", kind.sourceDigest());
            node.put("target_digest", kind.targetDigest());
            node.put("identical", kind.identical());
            node.put("only_in_source", kind.onlyInSource());
            node.put("only_in_target", kind.onlyInTarget());
            node.put("differing", kind.differing());
            ids(node.putArray("first_only_in_source"), kind.firstOnlyInSource());
            ids(node.putArray("first_only_in_target"), kind.firstOnlyInTarget());
            ids(node.putArray("first_differing"), kind.firstDiffering());
        }
        root.put("identical", report.identical());
        return root;
    }

    private static void tally(ObjectNode node, KindTally tally) {
        node.put("read", tally.read());
        node.put("imported", tally.imported());
        node.put("already_present", tally.alreadyPresent());
        node.put("rejected", tally.rejected());
    }

    private static void ids(ArrayNode array, List<UUID> ids) {
        ids.forEach(id -> array.add(id.toString()));
    }

    static void write(PrintWriter out, Object json) {
        try {
            out.println(JSON.writeValueAsString(json));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
