/**
 * Not API: the one Jackson configuration eventlog reads and writes attribute maps and JSON arrays
 * with, shared by the JSONL store, the migration engine and the SQL stores. It may change in any
 * release.
 */
package dev.eventlog.internal.json;
