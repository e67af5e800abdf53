package dev.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The event limits: what is refused is refused when the event is made, in the caller's thread,
 * with an {@link InvalidEventException} naming the field — never another exception, never a
 * {@link StackOverflowError} — and what is just within a limit is kept.
 */
class EventLimitsTest {
    private static final Instant T = Instant.parse("2026-01-28T06:02:34Z");

    /** A map nested {@code depth} levels deep (the map itself is level 1), built without recursion. */
    static Map<String, Object> nested(int depth) {
        Map<String, Object> root = new HashMap<>();
        Map<String, Object> current = root;
        for (int i = 1; i < depth; i++) {
            Map<String, Object> child = new HashMap<>();
            current.put("k", child);
            current = child;
        }
        current.put("leaf", 1L);
        return root;
    }

    private static Throwable refusal(Runnable make) {
        Throwable thrown = null;
        try {
            make.run();
        } catch (Throwable t) {
            thrown = t;
        }
        assertThat(thrown).as("what reached the caller").isExactlyInstanceOf(InvalidEventException.class);
        System.out.println("refused: " + thrown.getMessage().substring(0, Math.min(200, thrown.getMessage().length())));
        return thrown;
    }

    private static Event withAttributes(Map<String, ?> attributes) {
        return ActivityEvent.builder().ts(T).activityType("t").attributes(attributes).build();
    }

    @Test
    void attributesNestedThirtyTwoLevelsAreKeptAndThirtyThreeAreRefusedNamingThePath() {
        Event kept = withAttributes(nested(32));
        assertThat(kept.attributes()).containsKey("k");

        Throwable refused = refusal(() -> withAttributes(nested(33)));
        assertThat(refused).hasMessageStartingWith("attributes.k.k.k").hasMessageContaining("at most 32 levels");
    }

    @Test
    void aHundredThousandLevelDeepMapIsRefusedWithoutAStackOverflow() {
        Throwable refused = refusal(() -> withAttributes(nested(100_000)));
        assertThat(refused).hasMessageContaining("at most 32 levels");
    }

    @Test
    void aCyclicMapIsRefusedWithoutAStackOverflow() {
        Map<String, Object> cyclic = new HashMap<>();
        cyclic.put("self", cyclic);
        List<Object> cyclicList = new ArrayList<>();
        cyclicList.add(cyclicList);

        assertThat(refusal(() -> withAttributes(cyclic))).hasMessageContaining("attributes.self.self");
        assertThat(refusal(() -> withAttributes(Map.of("list", cyclicList))))
                .hasMessageContaining("attributes.list[0][0]");
    }

    @Test
    void attributesAboveEightMebibytesOfJsonAreRefusedAndJustBelowAreKept() {
        Map<String, Object> big = new LinkedHashMap<>();
        String value = "v".repeat(1024 * 1024);
        for (int i = 0; i < 7; i++) {
            big.put("part" + i, value);
        }
        assertThat(withAttributes(big).attributes()).hasSize(7);

        big.put("part7", value);
        Throwable refused = refusal(() -> withAttributes(big));
        assertThat(refused).hasMessageContaining("attributes passed 8388608 bytes").hasMessageContaining("part7");
    }

    @Test
    void aTextValueAboveFourMebibytesIsRefusedNamingTheFieldWhereverItIs() {
        String justRight = "é".repeat(2 * 1024 * 1024);
        String tooLong = justRight + "x";
        assertThat(SelfHealEvent.builder().ts(T).errorPattern("p").success(true).errorMessage(justRight).build()
                .errorMessage()).hasSize(2 * 1024 * 1024);

        assertThat(refusal(() -> SelfHealEvent.builder().ts(T).errorPattern("p").success(true)
                .errorMessage(tooLong).build())).hasMessageStartingWith("error_message was 4194305 bytes").hasMessageContaining("4 MiB");
        assertThat(refusal(() -> withAttributes(Map.of("note", tooLong)))).hasMessageStartingWith("attributes.note ");
        assertThat(refusal(() -> withAttributes(Map.of(tooLong, 1L)))).hasMessageContaining("(the key)");
        assertThat(refusal(() -> ActivityEvent.builder().ts(T).activityType("t").source(tooLong).build()))
                .hasMessageStartingWith("source ");
        assertThat(refusal(() -> ActivityEvent.builder().ts(T).activityType("t").sessionId(tooLong).build()))
                .hasMessageStartingWith("session_id ");
    }

    @Test
    void aListAboveSixtyFiveThousandFiveHundredThirtySixItemsIsRefusedEvenWhenEndless() {
        List<Object> justRight = new ArrayList<>(java.util.Collections.nCopies(65_536, (Object) 1L));
        assertThat(withAttributes(Map.of("list", justRight)).attributes().get("list")).asList().hasSize(65_536);

        justRight.add(1L);
        assertThat(refusal(() -> withAttributes(Map.of("list", justRight))))
                .hasMessageStartingWith("attributes.list held more than 65536 items");
        Iterable<Object> endless = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Object next() {
                return true;
            }
        };
        assertThat(refusal(() -> withAttributes(Map.of("endless", endless))))
                .hasMessageStartingWith("attributes.endless held more than 65536 items");
        List<String> files = java.util.Collections.nCopies(65_537, "f");
        assertThat(refusal(() -> ToolUseEvent.builder().ts(T).toolName("t").success(true).filePaths(files).build()))
                .hasMessageContaining("65537 items");
    }

    @Test
    void aNumberBeyondADoubleIsRefusedInsteadOfBecomingInfinity() {
        BigInteger huge = BigInteger.TEN.pow(400);

        assertThat(refusal(() -> withAttributes(Map.of("n", huge)))).hasMessageStartingWith("attributes.n ")
                .hasMessageContaining("finite number");
    }

    @Test
    void theFirstAndLastValidTimesAreKeptAndOneMillisecondBeyondIsRefusedNamingTs() {
        assertThat(Envelope.of(Envelope.MIN_TS).ts()).isEqualTo(Instant.parse("1970-01-01T00:00:00Z"));
        assertThat(Envelope.of(Envelope.MAX_TS).ts()).isEqualTo(Instant.parse("9999-12-31T23:59:59.999Z"));
        assertThat(Envelope.of(Instant.parse("9999-12-31T23:59:59.999999999Z")).ts()).isEqualTo(Envelope.MAX_TS);

        for (Instant outside : List.of(Instant.parse("1969-12-31T23:59:59.999Z"), Envelope.MAX_TS.plusMillis(1),
                Instant.MAX, Instant.MIN, Instant.parse("+294277-01-01T00:00:00Z"))) {
            assertThat(refusal(() -> Envelope.of(outside))).hasMessageStartingWith("ts was '" + outside + "'");
            assertThat(refusal(() -> GitEvent.builder().ts(outside).eventType("push").repo("r").build()))
                    .hasMessageStartingWith("ts was");
            assertThat(refusal(() -> new Envelope(UUID.randomUUID(), outside, null, null, null)))
                    .hasMessageStartingWith("ts was");
        }
    }
}
