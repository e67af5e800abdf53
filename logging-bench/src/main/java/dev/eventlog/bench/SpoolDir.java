package dev.eventlog.bench;

import dev.eventlog.SpoolOptions;
import java.nio.file.Path;

/** A spool directory for a benchmark logger. */
record SpoolDir(Path path) {
    SpoolOptions options() {
        return SpoolOptions.builder(path).build();
    }
}
