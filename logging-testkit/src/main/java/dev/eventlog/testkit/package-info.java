/**
 * The test kit: {@link dev.eventlog.testkit.EventStoreContractTest}, the contract every
 * {@link dev.eventlog.spi.EventStore} passes (extend it in a store's tests, as every store of this
 * project does), the sample legacy JSONL files with the results a correct import yields
 * ({@link dev.eventlog.testkit.Samples}), event fixtures ({@link dev.eventlog.testkit.SampleEvents})
 * and the PostgreSQL server and schemas tests use ({@link dev.eventlog.testkit.TestDatabase}).
 */
package dev.eventlog.testkit;
