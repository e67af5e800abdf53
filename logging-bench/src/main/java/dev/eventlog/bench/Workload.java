package dev.eventlog.bench;

import dev.eventlog.ToolUseEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows every contender writes: tool-use events with the same typed fields set, so every
 * contender inserts the same columns of {@code tool_events}.
 */
final class Workload {
    private static final String[] TOOLS = {"Bash", "Read", "Edit", "Grep", "Write"};

    private Workload() {
    }

    /** The {@code i}-th event, timestamped now. */
    static ToolUseEvent event(int i) {
        return ToolUseEvent.builder().ts(Instant.now()).toolName(TOOLS[i % TOOLS.length]).toolType("builtin")
                .success(i % 17 != 0).exitCode(i % 17 == 0 ? 1 : 0).durationMs(i % 5_000)
                .projectPath("/home/dev/project").build();
    }

    /** {@code count} events made up front, for contenders that take events rather than arguments. */
    static List<ToolUseEvent> events(int count) {
        List<ToolUseEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(event(i));
        }
        return events;
    }
}
