package dev.eventlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventlog.EventKind;
import dev.eventlog.testkit.Samples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsCommandTest {
    /** expected.json rounds to 4 decimals. */
    static final double TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    @Test
    void statsOfTheImportedSamplesInSqliteEqualExpectedJson() throws IOException {
        String db = "sqlite:" + dir.resolve("events.db");
        Cli.run("import", "--to", db, copyOfSharedSamples().toString());

        Cli.Result result = Cli.run("stats", db, "--format", "json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertMatchesExpectedJson(result.json());
    }

    @Test
    void statsOfTheImportedSamplesInJsonlEqualExpectedJson() throws IOException {
        String jsonl = "jsonl:" + dir.resolve("events");
        Cli.run("import", "--to", jsonl, copyOfSharedSamples().toString());

        Cli.Result result = Cli.run("stats", jsonl, "--format=json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertMatchesExpectedJson(result.json());
    }

    @Test
    void statsOfTheLegacyDirectoryItselfEqualExpectedJson() throws IOException {
        Cli.Result result = Cli.run("stats", "jsonl:" + copyOfSharedSamples(), "--format", "json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertMatchesExpectedJson(result.json());
    }

    @Test
    void theTextTablePrintsTheExpectedNumbersToFourDecimals() throws IOException {
        String db = "sqlite:" + dir.resolve("events.db");
        Cli.run("import", "--to", db, copyOfSharedSamples().toString());

        Cli.Result result = Cli.run("stats", db);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("Routing: 26 decisions, accuracy 96.1538 %")
                .contains("Self-heal: 26 fixes, success 42.3077 %")
                .contains("Recovery: 26 recoveries, success 96.1538 %, mean time to recover 18330.9600 ms")
                .contains("Sessions: 25 sessions, mean quality 0.4636, total cost $33.1715")
                .containsPattern("predicted \\\\ actual\\s+haiku\\s+opus\\s+sonnet\\n\\s+haiku\\s+7\\s+0\\s+0\\n"
                        + "\\s+opus\\s+0\\s+11\\s+0\\n\\s+sonnet\\s+1\\s+0\\s+7\\n")
                .containsPattern("permission-denied\\s+3\\s+66\\.6667 %")
                .containsPattern("Write\\s+6\\s+83\\.3333 %")
                .containsPattern("metaventions\\s+4")
                .containsPattern("total\\s+155");
    }

    @Test
    void sinceAndUntilLimitTheRangeHalfOpen() throws IOException {
        String db = "sqlite:" + dir.resolve("events.db");
        Cli.run("import", "--to", db, copyOfSharedSamples().toString());

        // The first tool use is at 1769580006 s and the second at 1769580042 s.
        Cli.Result result = Cli.run("stats", db, "--since", "1769580006", "--until", "2026-01-28T06:00:42Z",
                "--format", "json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.json().at("/counts/tool_use").asLong()).isEqualTo(1);
        assertThat(result.json().at("/from").asText()).isEqualTo("2026-01-28T06:00:06Z");
        assertThat(result.json().at("/until").asText()).isEqualTo("2026-01-28T06:00:42Z");
        assertThat(result.json().at("/analytics/tool_count_by_tool").toString()).isEqualTo("{\"Grep\":1}");
    }

    @Test
    void aMissingStoreIsAOneLineReasonAndExitCodeTwo() {
        Cli.Result result = Cli.run("stats", "sqlite:" + dir.resolve("missing.db"));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).contains("missing.db").contains("must be an existing database file");
        assertThat(Files.exists(dir.resolve("missing.db"))).isFalse();
    }

    @Test
    void aBadFormatIsRefusedNamingTheChoices() {
        Cli.Result result = Cli.run("stats", "jsonl:" + dir, "--format", "xml");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.reason()).contains("xml").contains("text").contains("json");
    }

    /** The "counts" and "analytics" of expected.json, numbers to its 4 decimals, maps with the same keys. */
    static void assertMatchesExpectedJson(JsonNode actual) {
        JsonNode expected = Samples.expected();
        for (Map.Entry<EventKind, Long> count : Samples.expectedCounts().entrySet()) {
            assertThat(actual.at("/counts/" + count.getKey().key()).asLong()).as(count.getKey().key())
                    .isEqualTo(count.getValue());
        }
        List<String> keys = new ArrayList<>();
        expected.get("analytics").fieldNames().forEachRemaining(keys::add);
        assertThat(keys).hasSize(13);
        for (String key : keys) {
            JsonNode want = expected.get("analytics").get(key);
            JsonNode got = actual.get("analytics").get(key);
            assertThat(got).as(key).isNotNull();
            if (want.isObject()) {
                List<String> wantKeys = new ArrayList<>();
                want.fieldNames().forEachRemaining(wantKeys::add);
                List<String> gotKeys = new ArrayList<>();
                got.fieldNames().forEachRemaining(gotKeys::add);
                assertThat(gotKeys).as(key).containsExactlyInAnyOrderElementsOf(wantKeys);
                for (String group : wantKeys) {
                    if (want.get(group).isObject()) { // the routing matrix: counts, exactly
                        assertThat(got.get(group)).as("%s.%s", key, group).isEqualTo(want.get(group));
                    } else {
                        assertThat(got.get(group).asDouble()).as("%s.%s", key, group)
                                .isCloseTo(want.get(group).asDouble(), within(TOLERANCE));
                    }
                }
            } else {
                assertThat(got.asDouble()).as(key).isCloseTo(want.asDouble(), within(TOLERANCE));
            }
        }
    }

    Path copyOfSharedSamples() throws IOException {
        return Samples.copyTo(dir.resolve("samples"));
    }
}
