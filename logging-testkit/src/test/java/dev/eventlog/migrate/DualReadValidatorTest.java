package dev.eventlog.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventlog.CustomEvent;
import dev.eventlog.Event;
import dev.eventlog.EventKind;
import dev.eventlog.GitEvent;
import dev.eventlog.jsonl.JsonlEventStore;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.testkit.SampleEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DualReadValidatorTest {
    @TempDir
    Path dir;

    @Test
    void twoStoresHoldingTheSameEventsInAnotherOrderAreIdentical() {
        List<Event> events = SampleEvents.everyKind();
        List<Event> reversed = new ArrayList<>(events);
        Collections.reverse(reversed);
        try (JsonlEventStore a = JsonlEventStore.open(dir.resolve("a"));
                JsonlEventStore b = JsonlEventStore.open(dir.resolve("b"))) {
            a.append(events);
            for (Event event : reversed) {
                b.append(List.of(event));
            }

            VerifyReport report = DualReadValidator.compare(a, b);

            assertThat(report.identical()).isTrue();
            assertThat(report.kinds()).hasSize(EventKind.values().length)
                    .allSatisfy(k -> assertThat(k.sourceCount()).isEqualTo(1).isEqualTo(k.targetCount()));
        }
    }

    @Test
    void attributeKeyOrderDoesNotMatterButEveryValueDoes() {
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", 1);
        ab.put("b", Map.of("x", 1, "y", 2));
        Map<String, Object> ba = new LinkedHashMap<>();
        ba.put("b", Map.of("y", 2, "x", 1));
        ba.put("a", 1);
        CustomEvent first = CustomEvent.builder("deploy").ts(SampleEvents.T0).attributes(ab).build();
        CustomEvent sameReordered = CustomEvent.builder("deploy").id(first.id()).ts(SampleEvents.T0).attributes(ba).build();
        EventFingerprints fingerprints = new EventFingerprints();

        assertThat(fingerprints.of(first)).isEqualTo(fingerprints.of(sameReordered));

        CustomEvent otherValue = CustomEvent.builder("deploy").id(first.id()).ts(SampleEvents.T0)
                .attribute("a", 1.0).attribute("b", Map.of("x", 1, "y", 2)).build();
        assertThat(fingerprints.of(otherValue)).isNotEqualTo(fingerprints.of(first));
    }

    @Test
    void listsTheFirstIdsOnlyOneSideHoldsAndThoseThatDiffer() throws Exception {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(GitEvent.builder().ts(SampleEvents.T0.plusSeconds(i)).eventType("commit").repo("r")
                    .commitHash("h" + i).build());
        }
        GitEvent changed = GitEvent.builder().id(events.get(5).id()).ts(events.get(5).ts()).eventType("commit")
                .repo("r").commitHash("h5").message("edited").build();
        GitEvent extra = GitEvent.builder().ts(SampleEvents.T0.plusSeconds(100)).eventType("push").repo("r").build();
        try (JsonlEventStore source = JsonlEventStore.open(dir.resolve("source"));
                JsonlEventStore target = JsonlEventStore.open(Files.createDirectories(dir.resolve("target")))) {
            source.append(events);
            List<Event> targetEvents = new ArrayList<>(events);
            targetEvents.remove(12);
            targetEvents.remove(3);
            targetEvents.set(4, changed);
            targetEvents.add(extra);
            target.append(targetEvents);

            VerifyReport report = DualReadValidator.compare(source, target, EventQuery.of(EventKind.GIT),
                    MigrationListener.NONE);

            assertThat(report.identical()).isFalse();
            VerifyReport.KindComparison git = report.kinds().get(0);
            assertThat(git.sourceCount()).isEqualTo(20);
            assertThat(git.targetCount()).isEqualTo(19);
            assertThat(git.sourceDigest()).isNotEqualTo(git.targetDigest());
            assertThat(git.onlyInSource()).isEqualTo(2);
            assertThat(git.firstOnlyInSource()).containsExactly(events.get(3).id(), events.get(12).id());
            assertThat(git.onlyInTarget()).isEqualTo(1);
            assertThat(git.firstOnlyInTarget()).containsExactly(extra.id());
            assertThat(git.differing()).isEqualTo(1);
            assertThat(git.firstDiffering()).containsExactly(changed.id());
        }
    }

    @Test
    void comparesOnlyTheTimeRangeAsked() {
        GitEvent early = GitEvent.builder().ts(SampleEvents.T0).eventType("commit").repo("r").commitHash("a").build();
        GitEvent late = GitEvent.builder().ts(SampleEvents.T0.plusSeconds(60)).eventType("commit").repo("r")
                .commitHash("b").build();
        try (JsonlEventStore a = JsonlEventStore.open(dir.resolve("a"));
                JsonlEventStore b = JsonlEventStore.open(dir.resolve("b"))) {
            a.append(List.of(early, late));
            b.append(List.of(late));

            assertThat(DualReadValidator.compare(a, b).identical()).isFalse();
            assertThat(DualReadValidator.compare(a, b, EventQuery.all().between(SampleEvents.T0.plusSeconds(1), null),
                    MigrationListener.NONE).identical()).isTrue();
        }
    }
}
