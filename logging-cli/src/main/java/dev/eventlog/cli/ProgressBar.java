package dev.eventlog.cli;

import dev.eventlog.migrate.MigrationListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Draws a one-line progress bar on stderr, redrawn in place, at most ten times a second. Only
 * used when the command runs on a terminal; piped or redirected output gets none.
 */
final class ProgressBar implements MigrationListener {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private String phase = "";
    private long total = -1;
    private long lastDraw;
    private boolean drawn;

    private ProgressBar(PrintWriter err) {
        this.err = err;
    }

    /** A progress bar on {@code err} when the command runs on a terminal, otherwise a silent listener. */
    static MigrationListener forTerminal(PrintWriter err, boolean wanted) {
        return wanted && System.console() != null ? new ProgressBar(err) : MigrationListener.NONE;
    }

    @Override
    public void phase(String name, long newTotal) {
        this.phase = name;
        this.total = newTotal;
        this.lastDraw = 0;
        draw(0);
    }

    @Override
    public void progress(long done) {
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L && (total < 0 || done < total)) {
            return;
        }
        lastDraw = now;
        draw(done);
    }

    private void draw(long done) {
        String line;
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, done * WIDTH / total);
            line = String.format(Locale.ROOT, "%-10s [%s%s] %3d%%", phase, "#".repeat(filled), " ".repeat(WIDTH - filled),
                    Math.min(100, done * 100 / total));
        } else {
            line = String.format(Locale.ROOT, "%-10s %,d", phase, done);
        }
        err.print("\r" + line + "\u001b[K");
        err.flush();
        drawn = true;
    }

    /** Clears the bar so that the report starts on a clean line. */
    static void finish(MigrationListener listener) {
        if (listener instanceof ProgressBar bar && bar.drawn) {
            bar.err.print("\r\u001b[K");
            bar.err.flush();
        }
    }
}
