/**
 * JSON lines: the {@link dev.eventlog.jsonl.JsonlEventStore} (the backup format older tools read)
 * and the reading of legacy files by the import rules of the specification
 * ({@link dev.eventlog.jsonl.LineDecoder}, {@link dev.eventlog.jsonl.JsonlReader},
 * {@link dev.eventlog.jsonl.KeyAliases}).
 */
package dev.eventlog.jsonl;
