package dev.eventlog.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventlog.DualWriter;
import dev.eventlog.ErrorHandler;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.testkit.Samples;
import dev.eventlog.testkit.AnalyticsFixtures;
import dev.eventlog.testkit.SampleEvents;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyticsJsonTest {
    @TempDir
    Path dir;

    @Test
    void jsonHasTheKeysOfTheContractWithFullPrecisionPercentages() throws Exception {
        try (JsonlEventStore store = JsonlEventStore.open(dir)) {
            store.append(Samples.events());
            JsonNode json = new ObjectMapper().readTree(EventAnalytics.of(store).compute().toJson());

            assertThat(json.get("counts").get("git").asLong()).isEqualTo(27);
            assertThat(json.get("counts").get("activity").asLong()).isZero();
            List<String> keys = new ArrayList<>();
            json.get("analytics").fieldNames().forEachRemaining(keys::add);
            assertThat(keys).contains("routing_accuracy_pct", "routing_predicted_model_counts", "routing_predicted_actual_counts",
                    "self_heal_success_pct",
                    "self_heal_success_pct_by_pattern", "recovery_success_pct", "recovery_success_pct_by_strategy",
                    "recovery_mean_time_to_recover_ms", "session_outcome_counts", "session_mean_quality",
                    "session_total_cost_usd", "tool_success_pct_by_tool", "git_commits_by_repo",
                    "tool_duration_p50_ms_by_tool", "tool_duration_p95_ms_by_tool");
            assertThat(json.get("analytics").get("recovery_success_pct").asDouble()).isEqualTo(100.0 * 25 / 26);
            assertThat(json.get("analytics").get("git_commits_by_repo").get("metaventions").asLong()).isEqualTo(4);
            assertThat(json.get("analytics").get("routing_predicted_actual_counts").toString())
                    .isEqualTo("{\"haiku\":{\"haiku\":7},\"opus\":{\"opus\":11},\"sonnet\":{\"haiku\":1,\"sonnet\":7}}");
            assertThat(json.get("from").isNull()).isTrue();
            assertThat(json.get("counts_by_day").get("2026-01-28").get("tool_use").asLong()).isEqualTo(25);
        }
    }

    @Test
    void emptyRatesAreJsonNulls() throws Exception {
        try (JsonlEventStore store = JsonlEventStore.open(dir)) {
            Instant from = SampleEvents.T0;
            JsonNode json = new ObjectMapper().readTree(EventAnalytics.of(store).compute(from, null).toJson());

            assertThat(json.get("from").asText()).isEqualTo("2026-01-28T06:00:00.123Z");
            assertThat(json.get("analytics").get("self_heal_success_pct").isNull()).isTrue();
            assertThat(json.get("analytics").get("session_total_cost_usd").asDouble()).isZero();
        }
    }

    @Test
    void aDualWriterAnswersFromTheSideReadsComeFrom() {
        try (DualWriter store = DualWriter.of(JsonlEventStore.open(dir.resolve("primary")),
                JsonlEventStore.open(dir.resolve("backup")), DualWriter.Side.BACKUP, ErrorHandler.ignoring())) {
            store.backup().append(AnalyticsFixtures.gits(SampleEvents.T0));

            assertThat(EventAnalytics.of(store).compute().git().commits()).isEqualTo(3);
            store.readFrom(DualWriter.Side.PRIMARY);
            assertThat(EventAnalytics.of(store).compute().git().commits()).isZero();
        }
    }
}
