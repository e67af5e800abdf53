package dev.eventlog.spi;

/**
 * An ability of a store that is an append-only log, such as a Kafka topic: it keeps two of the
 * promises of {@link EventStore#append(java.util.List)} in a weaker form, because a log is
 * written without being read.
 *
 * <ul>
 *   <li><b>Idempotence moves to the reader.</b> An append does not look for the ids already
 *       stored: appending an event again writes a second record, and {@code append} counts every
 *       distinct id of the batch as new. Every read of the store ({@link EventStore#read},
 *       {@link EventStore#count}) and every sink that copies it into another store skips an id
 *       met before, so what is read is the same as from a store that skipped it on append.</li>
 *   <li><b>A failed append may be partly written.</b> When {@code append} throws, some events of
 *       the batch may have been written; appending the batch again is harmless, for the reason
 *       above.</li>
 * </ul>
 *
 * <p>Reads within a kind come in the log's order, not in time order. Every other promise of
 * {@link EventStore} holds. {@code EventStoreContractTest} checks a store with this ability
 * against the weaker promises and every other promise unchanged.
 */
public interface AppendOnlyLog {
}
