package dev.eventlog.bench;

import dev.eventlog.AsyncOptions;
import dev.eventlog.Backpressure;
import dev.eventlog.ErrorHandler;
import dev.eventlog.EventLogger;
import dev.eventlog.LoggerMetrics;
import dev.eventlog.ToolUseEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** eventlog's side of the comparison: async throughput, sync latency, caller latency at an offered rate. */
final class EventlogRuns {
    private EventlogRuns() {
    }

    /** What a run measured. */
    record Result(double eventsPerSecond, Percentiles callerLatency, long stored, LoggerMetrics metrics) {
    }

    /** Events per transaction, for eventlog's writer and Log4j2's buffer alike: the default batch size. */
    static final int BATCH = AsyncOptions.DEFAULT.batchSize();

    /** An async logger that never spills: the caller waits instead, so throughput is the writer's. */
    static AsyncOptions sustainedOptions() {
        return AsyncOptions.builder().queueCapacity(1 << 17).batchSize(BATCH)
                .backpressure(Backpressure.BLOCK).maxBlock(Duration.ofMinutes(1)).build();
    }

    /** Logs {@code events} from one thread as fast as the logger takes them; time until all are committed. */
    static Result asyncThroughput(Target target, List<ToolUseEvent> events) throws Exception {
        LoggerMetrics metrics;
        long elapsed;
        try (EventLogger logger = EventLogger.builder().store(target.openStore()).async(sustainedOptions())
                .errorHandler(ErrorHandler.logging()).build()) {
            long start = System.nanoTime();
            for (ToolUseEvent event : events) {
                logger.log(event);
            }
            if (!logger.flush(Duration.ofMinutes(5))) {
                throw new IllegalStateException("eventlog did not commit within 5 minutes");
            }
            elapsed = System.nanoTime() - start;
            metrics = logger.metrics();
        }
        return new Result(events.size() * 1e9 / elapsed, null, target.count("tool_events"), metrics);
    }

    /** Logs {@code events} one by one with a sync logger, timing each call. */
    static Result syncLatency(Target target, List<ToolUseEvent> events) throws Exception {
        long[] samples = new long[events.size()];
        LoggerMetrics metrics;
        long start = System.nanoTime();
        try (EventLogger logger = EventLogger.builder().store(target.openStore()).build()) {
            for (int i = 0; i < samples.length; i++) {
                long t0 = System.nanoTime();
                logger.log(events.get(i));
                samples[i] = System.nanoTime() - t0;
            }
            metrics = logger.metrics();
        }
        long elapsed = System.nanoTime() - start;
        return new Result(events.size() * 1e9 / elapsed, new Percentiles(samples, samples.length),
                target.count("tool_events"), metrics);
    }

    /**
     * Offers {@code rate} events per second for {@code seconds} from one thread to an async logger
     * with its default settings (spill when full), timing each typed-method call: making the
     * event, queueing it, and nothing else.
     */
    static Result pacedAsync(Target target, SpoolDir spool, int rate, int seconds) throws Exception {
        int count = rate * seconds;
        long[] samples = new long[count];
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        LoggerMetrics metrics;
        try (EventLogger logger = EventLogger.builder().store(target.openStore()).async(AsyncOptions.DEFAULT)
                .spool(spool.options()).build()) {
            // Warm the path up first, so the JIT has compiled it before anything is timed.
            for (int i = 0; i < 20_000; i++) {
                logger.logToolUse("warm-up", true, i);
                if (i % 1_000 == 0) {
                    logger.flush();
                }
            }
            logger.flush();
            long next = System.nanoTime();
            for (int i = 0; i < count; i++) {
                next += interval;
                long wait;
                while ((wait = next - System.nanoTime()) > 0) {
                    if (wait > 50_000) {
                        LockSupport.parkNanos(wait - 40_000);
                    } else {
                        Thread.onSpinWait();
                    }
                }
                long t0 = System.nanoTime();
                logger.logToolUse("Bash", (i & 15) != 0, i);
                samples[i] = System.nanoTime() - t0;
            }
            logger.flush(Duration.ofMinutes(5));
            metrics = logger.metrics();
        }
        return new Result(rate, new Percentiles(samples, count), target.count("tool_events"), metrics);
    }
}
