package dev.eventlog;

import dev.eventlog.spi.CheckpointedAppends;
import dev.eventlog.spi.EventQuery;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.Expiring;
import dev.eventlog.spi.LazyCommits;
import dev.eventlog.spi.SchemaManaged;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Writes every event to two stores during a cutover: a primary (usually the database) and a
 * backup (usually the JSONL directory older tools read). The backup is written first, so that
 * after a crash it holds everything the primary holds and {@code eventlog reconcile} can replay
 * the difference. A backup failure never fails the primary: it is counted and handed to the
 * error handler. A primary failure is thrown, after the backup was written.
 *
 * <p>Reads and counts come from the side named as the source of truth, which can be switched at
 * run time with {@link #readFrom(Side)}. Abilities asked for with {@link #capability(Class)} are
 * forwarded: {@link SchemaManaged} and {@link Expiring} are the primary's (the schema tools manage the database), every
 * other one (such as {@code NativeAnalytics}) is the read side's, so that analytics answer for the
 * same events reads return. Thread-safe.
 */
public final class DualWriter implements EventStore {

    /** Which store answers reads. */
    public enum Side {
        /** The primary store, usually the database. */
        PRIMARY,
        /** The backup store, usually the JSONL files. */
        BACKUP
    }

    private final EventStore primary;
    private final EventStore backup;
    private final ErrorHandler errorHandler;
    private final LongAdder backupFailures = new LongAdder();
    private volatile Side readSide;

    private DualWriter(EventStore primary, EventStore backup, Side readSide, ErrorHandler errorHandler) {
        this.primary = Objects.requireNonNull(primary, "primary");
        this.backup = Objects.requireNonNull(backup, "backup");
        this.readSide = Objects.requireNonNull(readSide, "readSide");
        this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
    }

    /** Writes to both, reads from the primary, warns through SLF4J on backup failures. */
    public static DualWriter of(EventStore primary, EventStore backup) {
        return new DualWriter(primary, backup, Side.PRIMARY, ErrorHandler.logging());
    }

    /** Writes to both, reads from {@code readSide}, hands backup failures to {@code errorHandler}. */
    public static DualWriter of(EventStore primary, EventStore backup, Side readSide, ErrorHandler errorHandler) {
        return new DualWriter(primary, backup, readSide, errorHandler);
    }

    /** Serves reads from {@code side} from now on: the cutover switch. */
    public void readFrom(Side side) {
        this.readSide = Objects.requireNonNull(side, "side");
    }

    /** The side reads come from. */
    public Side readSide() {
        return readSide;
    }

    /** How many batches the backup failed to store since this writer was made. */
    public long backupFailures() {
        return backupFailures.sum();
    }

    /** The primary store. */
    public EventStore primary() {
        return primary;
    }

    /** The backup store. */
    public EventStore backup() {
        return backup;
    }

    /** @return how many events were new in the primary */
    @Override
    public int append(List<? extends Event> batch) {
        try {
            backup.append(batch);
        } catch (RuntimeException e) {
            backupFailures.increment();
            EventLogException error = e instanceof EventLogException ele ? ele
                    : new StoreException("backup " + backup.describe() + " failed: " + e, e);
            try {
                errorHandler.onFailure(error, batch);
            } catch (RuntimeException handlerFailure) {
                error.addSuppressed(handlerFailure);
            }
        }
        return primary.append(batch);
    }

    @Override
    public Stream<Event> read(EventQuery query) {
        return readStore().read(query);
    }

    @Override
    public Map<EventKind, Long> count(EventQuery query) {
        return readStore().count(query);
    }

    /**
     * This writer when it is a {@code type}; else {@link SchemaManaged} and {@link Expiring} from the
     * primary (the schema tools and retention manage the database; the backup keeps every event), none
     * for {@link CheckpointedAppends} and {@link LazyCommits} (an append through one side alone would
     * miss the other), and any
     * other ability from the side reads come from (so {@code NativeAnalytics} answers for the
     * events reads return).
     */
    @Override
    public <T> Optional<T> capability(Class<T> type) {
        if (type.isInstance(this)) {
            return Optional.of(type.cast(this));
        }
        if (type == CheckpointedAppends.class || type == LazyCommits.class) {
            return Optional.empty();
        }
        return type == SchemaManaged.class || type == Expiring.class ? primary.capability(type)
                : readStore().capability(type);
    }

    private EventStore readStore() {
        return readSide == Side.PRIMARY ? primary : backup;
    }

    @Override
    public String describe() {
        return "dual(primary=" + primary.describe() + ", backup=" + backup.describe() + ", reads=" + readSide + ")";
    }

    /** Closes both stores, the backup even when closing the primary fails. */
    @Override
    public void close() {
        try {
            primary.close();
        } finally {
            backup.close();
        }
    }
}
