package dev.eventlog.cli;

import dev.eventlog.migrate.MigrationListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Draws a progress line on stderr: the phase, a bar and its percentage when the total is known,
 * how much is done, the rate since the phase began and the time left at that rate, e.g.
 * {@code importing  [#########                     ]  31%  120.4 MB/584.0 MB  48.2 MB/s  ETA 0:10}.
 * On a terminal the line is redrawn in place at most ten times a second; when asked for with
 * {@code --progress} on stderr that is not a terminal (a log file), it is printed as a new line
 * at most once a second. The import's totals are bytes; the other phases' are events.
 */
final class ProgressBar implements MigrationListener {
    private static final int WIDTH = 30;
    private static final long TERMINAL_INTERVAL = 100_000_000L;
    private static final long LOG_INTERVAL = 1_000_000_000L;

    private final PrintWriter err;
    private final LongSupplier nanoClock;
    private final boolean inPlace;
    private String phase = "";
    private long total = -1;
    private long started;
    private long lastDraw;
    private long lastDone = -1;
    private boolean drawn;

    ProgressBar(PrintWriter err, LongSupplier nanoClock, boolean inPlace) {
        this.err = err;
        this.nanoClock = nanoClock;
        this.inPlace = inPlace;
    }

    /**
     * A progress line on {@code err} when the command runs on a terminal, or on any stderr when
     * {@code forced}; otherwise (or when not {@code wanted}) a silent listener.
     */
    static MigrationListener forTerminal(PrintWriter err, boolean wanted, boolean forced) {
        if (!wanted) {
            return MigrationListener.NONE;
        }
        boolean terminal = System.console() != null;
        return terminal || forced ? new ProgressBar(err, System::nanoTime, terminal) : MigrationListener.NONE;
    }

    @Override
    public void phase(String name, long newTotal) {
        this.phase = name;
        this.total = newTotal;
        this.started = nanoClock.getAsLong();
        this.lastDraw = started;
        this.lastDone = -1;
        draw(0, started);
    }

    @Override
    public void progress(long done) {
        long now = nanoClock.getAsLong();
        boolean last = total >= 0 && done >= total;
        if (!last && now - lastDraw < (inPlace ? TERMINAL_INTERVAL : LOG_INTERVAL)) {
            return;
        }
        lastDraw = now;
        draw(done, now);
    }

    private void draw(long done, long now) {
        if (!inPlace && done == lastDone) {
            return;
        }
        lastDone = done;
        String line = line(phase, done, total, now - started);
        if (inPlace) {
            err.print("\r" + line + "\u001b[K");
        } else {
            err.println(line);
        }
        err.flush();
        drawn = true;
    }

    /**
     * The progress line of a phase that has done {@code done} of {@code total} (-1 when unknown)
     * in {@code elapsedNanos}: rate and time left appear once some time has passed and some work
     * is done.
     */
    static String line(String phase, long done, long total, long elapsedNanos) {
        boolean bytes = phase.equals("importing");
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-10s", phase));
        if (total > 0) {
            long shown = Math.min(done, total);
            int filled = (int) (shown * WIDTH / total);
            line.append(String.format(Locale.ROOT, " [%s%s] %3d%%  %s/%s", "#".repeat(filled),
                    " ".repeat(WIDTH - filled), shown * 100 / total, amount(done, bytes), amount(total, bytes)));
        } else {
            line.append(' ').append(amount(done, bytes));
        }
        double seconds = elapsedNanos / 1e9;
        if (elapsedNanos > 0 && done > 0) {
            double rate = done / seconds;
            line.append("  ").append(bytes ? amount(Math.round(rate), true) : String.format(Locale.ROOT, "%,d events",
                    Math.round(rate))).append("/s");
            if (total > 0) {
                line.append("  ETA ").append(duration(Math.max(0, total - done) / rate));
            }
        }
        return line.toString();
    }

    private static String amount(long n, boolean bytes) {
        if (!bytes) {
            return String.format(Locale.ROOT, "%,d", n);
        }
        if (n < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f kB", n / 1e3);
        }
        if (n < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f GB", n / 1e9);
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour. */
    static String duration(double seconds) {
        long s = (long) Math.ceil(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Clears the bar so that the report starts on a clean line. */
    static void finish(MigrationListener listener) {
        if (listener instanceof ProgressBar bar && bar.drawn && bar.inPlace) {
            bar.err.print("\r\u001b[K");
            bar.err.flush();
        }
    }
}
