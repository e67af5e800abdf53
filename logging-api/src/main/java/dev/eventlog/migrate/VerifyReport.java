package dev.eventlog.migrate;

import dev.eventlog.EventKind;
import java.util.List;
import java.util.UUID;

/**
 * What {@link DualReadValidator} found: per kind, both sides' counts and content digests and,
 * where they disagree, how many events each side holds that the other lacks or holds differently,
 * with the first few ids of each. Immutable.
 *
 * @param source the first store compared (no password)
 * @param target the second store compared (no password)
 * @param kinds one comparison per kind asked, in catalogue order
 */
public record VerifyReport(String source, String target, List<KindComparison> kinds) {

    /** Copies the list. */
    public VerifyReport {
        kinds = List.copyOf(kinds);
    }

    /** Whether both sides hold exactly the same events, every field alike. */
    public boolean identical() {
        return kinds.stream().allMatch(KindComparison::identical);
    }

    /**
     * One kind compared.
     *
     * @param kind the kind
     * @param sourceCount events of the kind in the source
     * @param targetCount events of the kind in the target
     * @param sourceDigest order-independent SHA-256-based digest of every field of every source event
     * @param targetDigest the same over the target
     * @param onlyInSource how many ids only the source holds
     * @param onlyInTarget how many ids only the target holds
     * @param differing how many ids both hold with different content
     * @param firstOnlyInSource the first few ids only the source holds, in the source's read order
     * @param firstOnlyInTarget the first few ids only the target holds, in the target's read order
     * @param firstDiffering the first few ids both hold differently, in the target's read order
     */
    public record KindComparison(EventKind kind, long sourceCount, long targetCount, String sourceDigest,
            String targetDigest, long onlyInSource, long onlyInTarget, long differing, List<UUID> firstOnlyInSource,
            List<UUID> firstOnlyInTarget, List<UUID> firstDiffering) {

        /** Copies the lists. */
        public KindComparison {
            firstOnlyInSource = List.copyOf(firstOnlyInSource);
            firstOnlyInTarget = List.copyOf(firstOnlyInTarget);
            firstDiffering = List.copyOf(firstDiffering);
        }

        /** Whether both sides hold the same events of this kind, every field alike. */
        public boolean identical() {
            return sourceCount == targetCount && sourceDigest.equals(targetDigest);
        }
    }
}
