package dev.eventlog;

import dev.eventlog.jsonl.JsonlEventStore;
import java.nio.file.Path;

/**
 * A program run by {@link DefaultErrorHandlerWithoutSlf4jProviderTest} in its own JVM whose class
 * path holds no SLF4J provider: it logs through a logger with the default error handler to a
 * store that refuses every append, then exits.
 */
final class NoSlf4jProviderChild {
    private NoSlf4jProviderChild() {
    }

    public static void main(String[] args) {
        FlakyStore store = new FlakyStore(JsonlEventStore.open(Path.of(args[0])));
        store.unreachable(true);
        try (EventLogger logger = EventLogger.builder().store(store).build()) {
            for (int i = 0; i < 3; i++) {
                logger.logActivity(ActivityEvent.builder().activityType("child").description("event " + i).build());
            }
            System.out.println("failed batches " + logger.metrics().failedBatches());
        }
    }
}
