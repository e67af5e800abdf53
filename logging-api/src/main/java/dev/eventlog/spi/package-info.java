/**
 * The store SPI: {@link dev.eventlog.spi.EventStore}, which every store implements and every
 * store passes (the {@code EventStoreContractTest} of the {@code logging-testkit} module proves it), and
 * {@link dev.eventlog.spi.EventStoreProvider}, through which {@link dev.eventlog.spi.EventStores}
 * opens a store by URL.
 */
package dev.eventlog.spi;
