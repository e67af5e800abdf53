package dev.eventlog.cli;

import dev.eventlog.ConfigurationException;
import dev.eventlog.cli.serve.EventServer;
import dev.eventlog.cli.serve.EventSink;
import dev.eventlog.cli.serve.ServeSettings;
import dev.eventlog.spi.EventStore;
import dev.eventlog.spi.EventStores;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eventlog serve}: the long-running local ingest service for hooks. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false, separator = " ",
        description = {"Runs a local HTTP service that stores events as they are posted, so that a hook costs a "
            + "curl instead of a JVM start:",
            "  eventlog serve --store sqlite:events.db",
            "  curl -sf --data-binary '{\"kind\":\"git\",\"event_type\":\"commit\",\"repo\":\"app\"}' "
                + "http://127.0.0.1:7607/v1/events",
            "POST /v1/events[/KIND] takes one JSON object or JSON lines, read by the import rules; it answers once "
                + "the events are committed. GET /health, /stats, /metrics (Prometheus) and / (the live report). "
                + "The inbox folder's *.jsonl files (left by hooks while the service was down) are imported on "
                + "start and every second. --follow DIR tails the JSONL files old hooks still append to. SIGTERM "
                + "stops gracefully."},
        footer = {"", "Exit codes: 0 stopped by SIGTERM or --print-config, 2 bad usage, an unusable store or an "
            + "address that cannot be bound."})
final class ServeCommand implements Callable<Integer> {
    /** The port hooks post to unless told otherwise. */
    static final int DEFAULT_PORT = 7607;

    @Spec
    CommandSpec spec;

    @Option(names = "--store", required = true, paramLabel = "STORE", description = "The store to write to.")
    String store;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:" + DEFAULT_PORT,
            description = "The address to listen on (default: ${DEFAULT-VALUE}); a non-loopback address needs "
                    + "--allow-remote and --token-file.")
    String listen;

    @Option(names = "--inbox", paramLabel = "DIR",
            description = "The folder hooks drop events into while the service is down (default: "
                    + "$XDG_STATE_HOME/eventlog/inbox, or ~/.local/state/eventlog/inbox).")
    Path inbox;

    @Option(names = "--spool", paramLabel = "DIR",
            description = "When the store fails, write accepted events here (fsynced) and store them once it is "
                    + "back; without it a request gets 503 while the store is down.")
    Path spool;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding the bearer token every request must carry (Authorization: Bearer TOKEN).")
    Path tokenFile;

    @Option(names = "--allow-remote", description = "Allow a non-loopback --listen address (needs --token-file).")
    boolean allowRemote;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "8388608",
            description = "The largest request body accepted; larger ones get 413 (default: ${DEFAULT-VALUE}, 8 MiB).")
    long maxBody;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long a request, its body included, may take to arrive before the connection is "
                    + "closed (default: ${DEFAULT-VALUE}).")
    int requestTimeout;

    @Option(names = "--follow", paramLabel = "DIR",
            description = "A folder of legacy JSONL files that old hooks still append to: its files are tailed and "
                    + "each complete line stored once, across restarts, truncation and rotation. May be repeated.")
    List<Path> follow = new ArrayList<>();

    @Option(names = "--follow-glob", paramLabel = "GLOB", defaultValue = ServeSettings.DEFAULT_FOLLOW_GLOB,
            description = "The names of the files started in a followed folder (default: ${DEFAULT-VALUE}).")
    String followGlob;

    @Option(names = "--follow-interval", paramLabel = "SECONDS", defaultValue = "1",
            description = "Seconds between two looks at the followed folders (default: ${DEFAULT-VALUE}; "
                    + "0.05 to 3600).")
    String followInterval;

    @Option(names = "--follow-state", paramLabel = "DIR",
            description = "Where the followed files' rejected lines are kept, and their checkpoints when the store "
                    + "does not keep them (JSONL; a SQL store commits them with the events) (default: "
                    + "$XDG_STATE_HOME/eventlog/follow, or ~/.local/state/eventlog/follow).")
    Path followState;

    @Option(names = "--print-config", description = "Print the effective settings as JSON (the store redacted) and "
            + "exit.")
    boolean printConfig;

    @Override
    public Integer call() throws IOException, InterruptedException {
        ServeSettings settings = settings();
        PrintStream out = System.out;
        if (printConfig) {
            spec.commandLine().getOut().println(settings.toJson());
            spec.commandLine().getOut().flush();
            return EventlogCommand.OK;
        }
        // Read by the JDK's server when it is first used: a request whose head and body take longer is closed.
        System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(settings.requestTimeoutSeconds()));
        System.setProperty("sun.net.httpserver.maxRspTime", Integer.toString(Math.max(60,
                settings.requestTimeoutSeconds() * 4)));
        PrintStream err = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                spec.commandLine().getErr().write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                spec.commandLine().getErr().write(new String(b, off, len, StandardCharsets.UTF_8));
                spec.commandLine().getErr().flush();
            }
        }, true, StandardCharsets.UTF_8);
        EventStore opened = Stores.openToWrite(store);
        EventServer server = new EventServer(settings, new EventSink(opened, settings.spool()), err);
        try {
            server.start();
        } catch (IOException e) {
            server.stop();
            opened.close();
            throw new ConfigurationException("--listen was '" + listen + "' but it cannot be bound: "
                    + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.stop();
            opened.close();
            err.println("eventlog serve: stopped; every answered request is committed");
            err.flush();
            out.flush();
            stopped.countDown();
            // SIGTERM is the way to stop the service, so it ends with 0, not the JVM's 143.
            Runtime.getRuntime().halt(EventlogCommand.OK);
        }, "eventlog-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        err.println("eventlog serve: listening on http://" + (settings.host().contains(":") ? "[" + settings.host()
                + "]" : settings.host()) + ":" + server.port() + ", inbox " + settings.inbox() + ", store "
                + settings.storeRedacted() + (settings.follow().isEmpty() ? "" : ", following "
                + settings.follow().stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", "))));
        stopped.await();
        return EventlogCommand.OK;
    }

    private ServeSettings settings() throws IOException {
        List<String> problems = new ArrayList<>();
        String host;
        int port = -1;
        int colon = listen.lastIndexOf(':');
        if (colon <= 0 || colon == listen.length() - 1) {
            problems.add("--listen was '" + listen + "' but it must be HOST:PORT, e.g. 127.0.0.1:" + DEFAULT_PORT);
            host = "127.0.0.1";
        } else {
            host = listen.substring(0, colon).replace("[", "").replace("]", "");
            try {
                port = Integer.parseInt(listen.substring(colon + 1));
                if (port < 0 || port > 65535) {
                    problems.add("--listen was '" + listen + "' but its port must be 0 to 65535");
                }
            } catch (NumberFormatException e) {
                problems.add("--listen was '" + listen + "' but its port must be a number");
            }
        }
        boolean loopback = true;
        try {
            loopback = InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            problems.add("--listen was '" + listen + "' but its host is unknown");
        }
        String token = null;
        if (tokenFile != null) {
            try {
                token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
                if (token.isEmpty()) {
                    problems.add("--token-file was '" + tokenFile + "' but it is empty; it must hold the token");
                    token = null;
                }
            } catch (IOException e) {
                problems.add("--token-file was '" + tokenFile + "' but it cannot be read: " + e.getMessage());
            }
        }
        if (!loopback && !allowRemote) {
            problems.add("--listen was '" + listen + "' but a non-loopback address needs --allow-remote and "
                    + "--token-file");
        } else if (!loopback && tokenFile == null) {
            problems.add("--listen was '" + listen + "' but a non-loopback address needs --token-file");
        }
        if (maxBody < 1 || maxBody > Integer.MAX_VALUE - 16) {
            problems.add("--max-body was '" + maxBody + "' but it must be 1 to " + (Integer.MAX_VALUE - 16));
        }
        if (requestTimeout < 1) {
            problems.add("--request-timeout was '" + requestTimeout + "' but it must be at least 1");
        }
        long intervalMillis = followIntervalMillis(problems);
        Path inboxDir = (inbox != null ? inbox : defaultInbox()).toAbsolutePath().normalize();
        Path stateDir = (followState != null ? followState : defaultState().resolve("follow")).toAbsolutePath()
                .normalize();
        List<Path> folders = followFolders(inboxDir, stateDir, problems);
        if (followGlob.isBlank() || followGlob.contains("/")) {
            problems.add("--follow-glob was '" + followGlob + "' but it must be a file name pattern such as *.jsonl");
        } else {
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + followGlob);
            } catch (IllegalArgumentException e) {
                problems.add("--follow-glob was '" + followGlob + "' but it is not a glob: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("; ", problems));
        }
        Files.createDirectories(inboxDir);
        return new ServeSettings(EventStores.redact(store), host, port, inboxDir,
                spool == null ? null : spool.toAbsolutePath(), token, tokenFile, maxBody, requestTimeout, folders,
                followGlob, intervalMillis, folders.isEmpty() ? null : stateDir);
    }

    private long followIntervalMillis(List<String> problems) {
        try {
            double seconds = Double.parseDouble(followInterval.strip());
            if (seconds >= 0.05 && seconds <= 3600) {
                return Math.round(seconds * 1000);
            }
        } catch (NumberFormatException e) {
            problems.add("--follow-interval was '" + followInterval + "' but it must be a number of seconds, "
                    + "0.05 to 3600");
            return 1000;
        }
        problems.add("--follow-interval was '" + followInterval + "' but it must be 0.05 to 3600 seconds");
        return 1000;
    }

    /** The --follow folders, absolute, each checked: an existing folder, not the inbox or spool, not holding the state. */
    private List<Path> followFolders(Path inboxDir, Path stateDir, List<String> problems) {
        List<Path> folders = new ArrayList<>();
        for (Path given : follow) {
            Path dir = given.toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                problems.add("--follow was '" + given + "' but it must be an existing folder");
            } else if (dir.equals(inboxDir) || (spool != null && dir.equals(spool.toAbsolutePath().normalize()))) {
                problems.add("--follow was '" + given + "' but that is the " + (dir.equals(inboxDir) ? "inbox" : "spool")
                        + ", whose files are imported and deleted: follow another folder");
            } else if (stateDir.startsWith(dir)) {
                problems.add("--follow-state was '" + stateDir + "' but it lies inside the followed folder '" + given
                        + "': keep it elsewhere");
            } else if (!folders.contains(dir)) {
                folders.add(dir);
            }
        }
        return folders;
    }

    /** {@code $XDG_STATE_HOME/eventlog/inbox}, or {@code ~/.local/state/eventlog/inbox}: the hook client's default too. */
    static Path defaultInbox() {
        return defaultState().resolve("inbox");
    }

    /** {@code $XDG_STATE_HOME/eventlog}, or {@code ~/.local/state/eventlog}. */
    private static Path defaultState() {
        String state = System.getenv("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() ? Path.of(state)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("eventlog");
    }
}
