package dev.eventlog.analytics;

/**
 * The success score of a session and its tiers, as every store computes them. The score is the
 * weighted mean, times 100, of the components that are not null — the tool success rate (weight
 * 0.40), the outcome score (0.35: {@code success} = 1, {@code partial} = 0.5, any other outcome 0)
 * and the quality clamped to [0, 1] (0.25) — with the present weights rescaled to sum to 1, then
 * rounded half up to one decimal as {@code floor(x * 10 + 0.5) / 10}. The SQL views compute it with
 * the same double-precision operations in the same order, so the stores agree to the last bit.
 * Stateless and thread-safe.
 */
public final class SessionScore {
    /** Weight of the tool success rate. */
    public static final double TOOL_WEIGHT = 0.40;
    /** Weight of the outcome score. */
    public static final double OUTCOME_WEIGHT = 0.35;
    /** Weight of the clamped quality. */
    public static final double QUALITY_WEIGHT = 0.25;
    /** The lowest score of the {@code high} tier. */
    public static final double HIGH = 80;
    /** The lowest score of the {@code medium} tier. */
    public static final double MEDIUM = 50;

    private SessionScore() {
    }

    /**
     * The score of a session, or {@code null} when all three components are {@code null}.
     *
     * @param toolSuccessRate the tool success rate (0–1), or {@code null}
     * @param outcome the last outcome, or {@code null}
     * @param quality the last quality (any value; clamped), or {@code null}
     */
    public static Double score(Double toolSuccessRate, String outcome, Double quality) {
        if (toolSuccessRate == null && outcome == null && quality == null) {
            return null;
        }
        double sum = (toolSuccessRate == null ? 0 : TOOL_WEIGHT * toolSuccessRate)
                + (outcome == null ? 0 : OUTCOME_WEIGHT * outcomeScore(outcome))
                + (quality == null ? 0 : QUALITY_WEIGHT * Math.max(0.0, Math.min(1.0, quality)));
        double weights = (toolSuccessRate == null ? 0 : TOOL_WEIGHT) + (outcome == null ? 0 : OUTCOME_WEIGHT)
                + (quality == null ? 0 : QUALITY_WEIGHT);
        double raw = 100 * sum / weights;
        return Math.floor(raw * 10 + 0.5) / 10;
    }

    /** 1 for {@code success}, 0.5 for {@code partial}, 0 for any other outcome (case-sensitive). */
    public static double outcomeScore(String outcome) {
        return switch (outcome) {
            case "success" -> 1.0;
            case "partial" -> 0.5;
            default -> 0.0;
        };
    }

    /** {@code high} (≥ 80), {@code medium} (≥ 50), {@code low} (below 50), or {@code null} for no score. */
    public static String tier(Double score) {
        if (score == null) {
            return null;
        }
        return score >= HIGH ? "high" : score >= MEDIUM ? "medium" : "low";
    }
}
