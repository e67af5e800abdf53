/**
 * The store SPI: {@link dev.eventlog.spi.EventStore}, which every store implements and every
 * store's tests check with the {@code EventStoreContractTest} kit, and
 * {@link dev.eventlog.spi.EventStoreProvider}, through which {@link dev.eventlog.spi.EventStores}
 * opens a store by URL.
 */
package dev.eventlog.spi;
