package dev.eventlog.cli.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.eventlog.EventKind;
import dev.eventlog.EventLogException;
import dev.eventlog.analytics.Analytics;
import dev.eventlog.analytics.EventAnalytics;
import dev.eventlog.cli.report.HtmlReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP service of {@code eventlog serve} on the JDK's built-in server: {@code POST /v1/events}
 * and {@code /v1/events/KIND}, {@code GET /health}, {@code /stats}, {@code /metrics} and {@code /}
 * (the live report), a bounded worker pool, the inbox and spool drained every second, and a
 * graceful {@link #stop()}. A request is answered only once its events are durable. Thread-safe.
 */
public final class EventServer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServeSettings settings;
    private final EventSink sink;
    private final Ingest ingest = new Ingest();
    private final HttpMetrics metrics = new HttpMetrics();
    private final Inbox inbox;
    private final Inbox spool;
    private final PrintStream log;
    private final AtomicInteger inFlight = new AtomicInteger();
    // The request bodies being decoded and stored at once, in KiB: at most one largest body's worth
    // (an 8 MiB body of small events holds tens of megabytes of heap until its commit, several times
    // its bytes), so the service's memory is bounded whatever the number of large requests at once;
    // small requests share the rest. Fair, so a large body is not starved by a stream of small ones.
    private final int bodyBudgetKib;
    private final Semaphore bodies;
    private final Object drainLock = new Object();
    private HttpServer http;
    private ThreadPoolExecutor workers;
    private ScheduledExecutorService poller;
    private final List<Follower> followers = new ArrayList<>();
    private ScheduledExecutorService follower;
    private volatile boolean stopping;

    /**
     * A server for {@code settings} writing through {@code sink}; {@code log} gets one line per
     * notable thing (a moved-aside inbox file, a failing store).
     */
    public EventServer(ServeSettings settings, EventSink sink, PrintStream log) {
        this.settings = settings;
        this.sink = sink;
        this.log = log;
        this.inbox = new Inbox(settings.inbox(), false, ingest, sink, log);
        this.spool = settings.spool() == null ? null : new Inbox(settings.spool(), true, ingest, sink, log);
        this.bodyBudgetKib = (int) Math.max(1024, Math.min(Integer.MAX_VALUE, settings.maxBodyBytes() / 1024 + 1));
        this.bodies = new Semaphore(bodyBudgetKib, true);
        for (Path dir : settings.follow()) {
            followers.add(new Follower(dir, settings.followGlob(), settings.followState(), ingest, sink, log));
        }
    }

    /** The followers of the {@code --follow} folders, in the order given. */
    public List<Follower> followers() {
        return List.copyOf(followers);
    }

    /**
     * Imports the inbox (and spool), binds the address and starts answering.
     *
     * @throws IOException when the address cannot be bound
     */
    public void start() throws IOException {
        // Small answers would otherwise wait for the client's delayed ACK (Nagle): about 40 ms a request.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        drainFolders();
        http = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 128);
        int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
        workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024),
                runnable -> {
                    Thread thread = new Thread(runnable, "eventlog-serve-worker");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        http.setExecutor(workers);
        http.createContext("/", this::handle);
        http.start();
        poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "eventlog-serve-inbox");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::drainFolders, 1, 1, TimeUnit.SECONDS);
        if (!followers.isEmpty()) {
            // A thread of its own: a long catch-up of a followed file does not hold up the inbox.
            follower = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "eventlog-serve-follow");
                thread.setDaemon(true);
                return thread;
            });
            follower.scheduleWithFixedDelay(this::followFiles, 0, settings.followIntervalMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void followFiles() {
        for (Follower each : followers) {
            if (stopping) {
                return;
            }
            try {
                each.poll();
            } catch (RuntimeException e) {
                log.println("eventlog serve: following " + each.dir() + " failed: " + Inbox.oneLine(String.valueOf(e)));
            }
        }
    }

    /** The port the server listens on (the one chosen when 0 was asked). */
    public int port() {
        return http.getAddress().getPort();
    }

    /**
     * Stops gracefully: new requests get 503, requests in flight finish (their events committed),
     * the inbox poller stops, the HTTP server closes. The store is the caller's to close.
     */
    public void stop() {
        stopping = true;
        followers.forEach(Follower::stop);
        if (follower != null) {
            follower.shutdown();
            awaitQuietly(follower);
            followers.forEach(Follower::close);
        }
        if (poller != null) {
            poller.shutdown();
            awaitQuietly(poller);
        }
        // Requests in flight finish; new ones are answered 503 by handle() meanwhile.
        while (inFlight.get() > 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (http != null) {
            http.stop(1);
        }
        if (workers != null) {
            workers.shutdown();
            awaitQuietly(workers);
        }
    }

    private static void awaitQuietly(java.util.concurrent.ExecutorService executor) {
        try {
            executor.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drainFolders() {
        synchronized (drainLock) {
            try {
                if (spool != null) {
                    spool.drain();
                }
                inbox.drain();
            } catch (RuntimeException e) {
                log.println("eventlog serve: importing the inbox failed: " + Inbox.oneLine(e.getMessage()));
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        int status;
        inFlight.incrementAndGet();
        try {
            status = route(exchange);
        } catch (IOException e) {
            // The client went away or was too slow (the server's request timeout closed it). A hook
            // client leaves once it has read the status line, so the body may meet a closed socket:
            // the status it read is the one counted.
            int sent = exchange.getResponseCode();
            status = sent > 0 ? sent : 499;
            exchange.close();
        } catch (RuntimeException e) {
            status = send(exchange, 500, error("internal error: " + Inbox.oneLine(String.valueOf(e))));
        } finally {
            inFlight.decrementAndGet();
        }
        metrics.request(status, System.nanoTime() - start);
    }

    private int route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (settings.token() != null && !authorized(exchange)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            return send(exchange, 401, error("missing or wrong 'Authorization: Bearer TOKEN' header"));
        }
        if (path.equals("/v1/events") || path.startsWith("/v1/events/")) {
            if (!method.equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                return send(exchange, 405, error("use POST"));
            }
            return post(exchange, path);
        }
        boolean known = path.equals("/") || path.equals("/health") || path.equals("/stats")
                || path.equals("/metrics");
        if (!known) {
            return send(exchange, 404, error("no such path: " + path
                    + " (POST /v1/events, GET /health, /stats, /metrics, /)"));
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            return send(exchange, 405, error("use GET"));
        }
        return switch (path) {
            case "/health" -> health(exchange);
            case "/stats" -> stats(exchange);
            case "/metrics" -> send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.prometheus(gauges()));
            default -> report(exchange);
        };
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, settings.token().getBytes(StandardCharsets.UTF_8));
    }

    private int post(HttpExchange exchange, String path) throws IOException {
        if (stopping) {
            return send(exchange, 503, error("shutting down"));
        }
        EventKind pathKind = null;
        if (path.startsWith("/v1/events/")) {
            String name = path.substring("/v1/events/".length());
            Optional<EventKind> kind = EventKind.fromKey(name);
            if (kind.isEmpty()) {
                return send(exchange, 404, error("unknown kind '" + name + "' in the path"));
            }
            pathKind = kind.get();
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null && parseLong(length) > settings.maxBodyBytes()) {
            return tooLarge(exchange);
        }
        // Read at once (the request timeout runs while it arrives); decoded in turn, below.
        byte[] body = readBody(exchange.getRequestBody(), settings.maxBodyBytes());
        if (body == null) {
            return tooLarge(exchange);
        }
        int kib = (int) Math.min(bodyBudgetKib, body.length / 1024 + 1);
        try {
            bodies.acquire(kib);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return send(exchange, 503, error("shutting down"));
        }
        try {
            return store(exchange, body, pathKind);
        } finally {
            bodies.release(kib);
        }
    }

    private int store(HttpExchange exchange, byte[] body, EventKind pathKind) throws IOException {
        Ingest.Decoded decoded = ingest.decode(body, pathKind, System.currentTimeMillis());
        EventSink.Written written;
        try {
            written = sink.write(decoded.events());
        } catch (EventLogException e) {
            log.println("eventlog serve: the store failed, " + decoded.events().size() + " event(s) refused with "
                    + "503: " + Inbox.oneLine(e.getMessage()));
            return send(exchange, 503, error("the store failed and there is no spool: "
                    + Inbox.oneLine(e.getMessage())));
        }
        metrics.events(written.stored(), written.duplicates(), decoded.rejected().size(), written.spooled());
        ObjectNode answer = JSON.createObjectNode();
        answer.put("accepted", written.stored());
        answer.put("duplicates", written.duplicates());
        ArrayNode rejected = answer.putArray("rejected");
        for (Ingest.Rejection rejection : decoded.rejected()) {
            rejected.addObject().put("line", rejection.line()).put("reason", rejection.reason());
        }
        if (written.spooled()) {
            answer.put("spooled", true);
        }
        return send(exchange, decoded.events().isEmpty() ? 400 : 200, answer.toString());
    }

    private int tooLarge(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Connection", "close");
        return send(exchange, 413, error("the body is over " + settings.maxBodyBytes() + " bytes (--max-body): "
                + "split it into several requests"));
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The body, or {@code null} when it is over {@code max} bytes. */
    private static byte[] readBody(InputStream in, long max) throws IOException {
        try (in) {
            byte[] limited = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            return limited.length > max ? null : limited;
        }
    }

    private int health(HttpExchange exchange) throws IOException {
        boolean reachable;
        String reason = "";
        try {
            // A count over the first millisecond of the valid range: one index probe, however large the table.
            sink.store().count(dev.eventlog.spi.EventQuery.of(EventKind.GIT)
                    .between(java.time.Instant.EPOCH, java.time.Instant.EPOCH.plusMillis(1)));
            reachable = true;
        } catch (EventLogException e) {
            reachable = false;
            reason = Inbox.oneLine(e.getMessage());
        }
        // Reads may work while writes fail (a full disk): the last write decides too.
        boolean writable = sink.storeUp();
        boolean ok = reachable && writable && !stopping;
        ObjectNode answer = JSON.createObjectNode();
        answer.put("status", ok ? "ok" : stopping ? "stopping" : !reachable ? "store unreachable"
                : "store refuses writes");
        answer.put("store_reachable", reachable);
        if (!reachable) {
            answer.put("store_error", reason);
        }
        answer.put("last_write_ok", writable);
        if (!writable) {
            answer.put("last_write_error", Inbox.oneLine(sink.lastFailure()));
        }
        answer.put("queue_depth", workers.getQueue().size());
        answer.put("in_flight", inFlight.get() - 1);
        answer.put("spool_depth", spool == null ? 0 : spool.pending().size());
        answer.put("inbox_backlog", inbox.pending().size());
        answer.put("inbox_imported", inbox.imported());
        if (!followers.isEmpty()) {
            long lag = 0;
            ArrayNode files = answer.putArray("follow");
            for (Follower each : followers) {
                for (Follower.FileLag file : each.files()) {
                    lag += file.lag();
                    files.addObject().put("file", file.file().toString())
                            .put("kind", file.kind() == null ? null : file.kind().key())
                            .put("offset", file.offset()).put("size", file.size()).put("lag_bytes", file.lag());
                }
            }
            answer.put("follow_lag_bytes", lag);
            answer.put("follow_imported", followers.stream().mapToLong(Follower::events).sum());
        }
        return send(exchange, ok ? 200 : 503, answer.toString());
    }

    private int stats(HttpExchange exchange) throws IOException {
        Analytics analytics = EventAnalytics.of(sink.store()).compute(null, null);
        return send(exchange, 200, analytics.toJson());
    }

    private int report(HttpExchange exchange) throws IOException {
        Analytics analytics = EventAnalytics.of(sink.store()).compute(null, null);
        String html = HtmlReport.render(analytics, sink.store().describe(), Instant.now());
        return send(exchange, 200, "text/html; charset=utf-8", html);
    }

    private String gauges() {
        StringBuilder text = new StringBuilder();
        HttpMetrics.gauge(text, "eventlog_serve_in_flight", "Requests being handled.", inFlight.get());
        HttpMetrics.gauge(text, "eventlog_serve_queue_depth", "Requests waiting for a worker.",
                workers.getQueue().size());
        HttpMetrics.gauge(text, "eventlog_serve_spool_files", "Spool files waiting for the store.",
                spool == null ? 0 : spool.pending().size());
        HttpMetrics.gauge(text, "eventlog_serve_inbox_files", "Inbox files waiting.", inbox.pending().size());
        HttpMetrics.counter(text, "eventlog_serve_inbox_events_total", "Events imported from the inbox and spool.",
                inbox.imported() + (spool == null ? 0 : spool.imported()));
        if (!followers.isEmpty()) {
            long files = 0;
            long lag = 0;
            for (Follower each : followers) {
                files += each.files().size();
                lag += each.files().stream().mapToLong(Follower.FileLag::lag).sum();
            }
            HttpMetrics.gauge(text, "eventlog_serve_follow_files", "Legacy files followed (--follow).", files);
            HttpMetrics.gauge(text, "eventlog_serve_follow_lag_bytes", "Bytes of the followed files not stored yet.",
                    lag);
            HttpMetrics.counter(text, "eventlog_serve_follow_events_total", "Events stored from the followed files.",
                    followers.stream().mapToLong(Follower::events).sum());
            HttpMetrics.counter(text, "eventlog_serve_follow_duplicates_total",
                    "Lines of the followed files read again that the store already held.",
                    followers.stream().mapToLong(Follower::duplicates).sum());
            HttpMetrics.counter(text, "eventlog_serve_follow_lines_rejected_total",
                    "Lines of the followed files rejected by the import rules.",
                    followers.stream().mapToLong(Follower::rejected).sum());
        }
        HttpMetrics.gauge(text, "eventlog_serve_store_up", "1 when the last store call succeeded.",
                sink.storeUp() ? 1 : 0);
        return text.toString();
    }

    private static String error(String message) {
        return JSON.createObjectNode().put("error", message).toString();
    }

    private static int send(HttpExchange exchange, int status, String json) throws IOException {
        return send(exchange, status, "application/json", json + "\n");
    }

    private static int send(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
        return status;
    }
}
