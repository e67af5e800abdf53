package dev.eventlog.internal.write;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * A bounded multi-producer, single-consumer queue on a ring of slots: producers claim a slot
 * with one compare-and-set and publish into it with a release store, so offering allocates
 * nothing and takes no lock. The counters sit on cache lines of their own, so producers and the
 * consumer do not invalidate each other's lines on every event.
 *
 * <p>Any number of threads may {@link #offer}; only one thread at a time may {@link #drain}.
 *
 * @param <E> the element type
 */
public final class MpscQueue<E> extends MpscQueueConsumerIndex {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    private final Object[] slots;
    private final int mask;
    private final int capacity;

    /** A queue holding at most {@code capacity} elements, rounded up to a power of two. */
    public MpscQueue(int capacity) {
        if (capacity < 2 || capacity > (1 << 30)) {
            throw new IllegalArgumentException("capacity was '" + capacity + "' but it must be in [2, 2^30]");
        }
        this.capacity = Integer.highestOneBit(capacity - 1) << 1;
        this.slots = new Object[this.capacity];
        this.mask = this.capacity - 1;
        this.producerLimit = this.capacity;
    }

    /** How many elements the queue holds at most. */
    public int capacity() {
        return capacity;
    }

    /**
     * Adds {@code element} unless the queue is full.
     *
     * @return the element's position in the sequence of all elements ever offered (from 0), or
     *     -1 when the queue was full
     */
    public long offer(E element) {
        long limit = (long) PRODUCER_LIMIT.getOpaque(this);
        long index;
        do {
            index = (long) PRODUCER_INDEX.getVolatile(this);
            if (index >= limit) {
                limit = (long) CONSUMER_INDEX.getVolatile(this) + capacity;
                if (index >= limit) {
                    return -1;
                }
                PRODUCER_LIMIT.setOpaque(this, limit);
            }
        } while (!PRODUCER_INDEX.compareAndSet(this, index, index + 1));
        SLOT.setRelease(slots, (int) (index & mask), element);
        return index;
    }

    /**
     * Moves up to {@code max} elements, oldest first, into {@code into}. Waits for a slot whose
     * producer has claimed it but not yet published it, since elements must leave in order.
     * Only the consumer thread may call this.
     *
     * @return how many elements were moved
     */
    @SuppressWarnings("unchecked")
    public int drain(List<? super E> into, int max) {
        long consumer = (long) CONSUMER_INDEX.getOpaque(this);
        long available = Math.min(max, (long) PRODUCER_INDEX.getVolatile(this) - consumer);
        for (long i = 0; i < available; i++) {
            int slot = (int) ((consumer + i) & mask);
            Object element;
            int spins = 0;
            while ((element = SLOT.getAcquire(slots, slot)) == null) {
                // The producer claimed the slot and was descheduled before publishing into it.
                if (++spins < 100) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            SLOT.setOpaque(slots, slot, null);
            into.add((E) element);
        }
        if (available > 0) {
            CONSUMER_INDEX.setRelease(this, consumer + available);
        }
        return (int) available;
    }

    /** How many elements are waiting; exact only when no producer or consumer is active. */
    public int size() {
        long consumer = (long) CONSUMER_INDEX.getVolatile(this);
        long producer = (long) PRODUCER_INDEX.getVolatile(this);
        return (int) Math.max(0, Math.min(capacity, producer - consumer));
    }

    /** How many elements were ever claimed by producers. */
    public long producerIndex() {
        return (long) PRODUCER_INDEX.getVolatile(this);
    }

    /** How many elements the consumer has taken. */
    public long consumerIndex() {
        return (long) CONSUMER_INDEX.getVolatile(this);
    }
}

/** Padding that keeps the producer counters off the object header's cache line. */
@SuppressWarnings("unused")
abstract class MpscQueuePad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

/** The producers' claim counter and their cached view of where the consumer is. */
abstract class MpscQueueProducerIndex extends MpscQueuePad0 {
    static final VarHandle PRODUCER_INDEX;
    static final VarHandle PRODUCER_LIMIT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PRODUCER_INDEX = lookup.findVarHandle(MpscQueueProducerIndex.class, "producerIndex", long.class);
            PRODUCER_LIMIT = lookup.findVarHandle(MpscQueueProducerIndex.class, "producerLimit", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    volatile long producerIndex;
    volatile long producerLimit;
}

/** Padding between the producers' line and the consumer's line. */
@SuppressWarnings("unused")
abstract class MpscQueuePad1 extends MpscQueueProducerIndex {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

/** The consumer's counter, padded on both sides. */
@SuppressWarnings("unused")
abstract class MpscQueueConsumerIndex extends MpscQueuePad1 {
    static final VarHandle CONSUMER_INDEX;

    static {
        try {
            CONSUMER_INDEX = MethodHandles.lookup()
                    .findVarHandle(MpscQueueConsumerIndex.class, "consumerIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    volatile long consumerIndex;
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p10, p11, p12, p13, p14, p15, p16, p17;
}
