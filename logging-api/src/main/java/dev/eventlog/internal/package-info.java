/**
 * Not API: shared machinery of the stores (the JDBC base, the schema migrator, value
 * normalisation, primitive collections). It may change in any release.
 */
package dev.eventlog.internal;
