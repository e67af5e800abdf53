package dev.eventlog.cli;

import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code eventlog --version}: the jar's implementation version. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = EventlogCommand.class.getPackage().getImplementationVersion();
        return new String[] {"eventlog " + (version == null ? "(development build)" : version)};
    }
}
